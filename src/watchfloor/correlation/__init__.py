"""Correlation: rules, one per module, that turn alerts into incidents with their context."""
