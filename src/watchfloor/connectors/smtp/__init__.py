"""Outbound e-mail over SMTP (maintenance tickets)."""
