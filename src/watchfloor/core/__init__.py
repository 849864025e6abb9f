"""Shared vocabulary: events, bus, clock, context, geo, errors. Imports nothing else from watchfloor."""
