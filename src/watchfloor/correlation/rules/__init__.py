"""The correlation rules, one per module."""
