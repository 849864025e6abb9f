"""Fixtures of the plate-read connector tests: a real Mosquitto broker."""

from tests.support.mosquitto import mosquitto

__all__ = ["mosquitto"]
