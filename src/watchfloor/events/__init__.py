"""Typed event payloads shared by connectors (which produce them) and domains (which consume them).

Imports only watchfloor.core.
"""
