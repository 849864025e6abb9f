"""Correlation rules, one per module: each a small function over the engine's memory."""
