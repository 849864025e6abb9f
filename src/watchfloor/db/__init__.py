"""The store: engine, sessions, column types and migrations (SQLite or PostgreSQL + PostGIS)."""
