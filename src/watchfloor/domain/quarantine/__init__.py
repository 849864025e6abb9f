"""Quarantine of rejected inbound payloads: inspect and replay after a fix."""
