"""Plate readers: the JSON read format (HTTP and MQTT) and the MQTT subscriber that carries it."""
