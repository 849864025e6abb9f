"""Gunshot detection webhooks (vendor-style JSON alerts and their review updates)."""
