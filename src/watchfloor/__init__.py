"""Watchfloor: an open-source Real-Time Crime Center platform."""

__version__ = "0.1.0"
