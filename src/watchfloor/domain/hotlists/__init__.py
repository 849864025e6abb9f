"""Hotlists: imported and manual plate lists, their refresh, and the in-memory hit matcher."""
