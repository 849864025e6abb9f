"""Shared vocabulary: events, bus, clock, context, geo, errors, health.

Imports nothing else from watchfloor.
"""
