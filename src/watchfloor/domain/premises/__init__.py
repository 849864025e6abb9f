"""Premises: hazards, notes and floor plans attached to an address."""
