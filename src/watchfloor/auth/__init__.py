"""Accounts, logon with a second factor, sessions, lockout, roles."""
