"""Fixtures of the MQTT subscriber tests: a real Mosquitto broker."""

from tests.support.mosquitto import mosquitto

__all__ = ["mosquitto"]
