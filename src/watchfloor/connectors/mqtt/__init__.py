"""MQTT: the reconnecting subscriber that acknowledges each message only after its delivery."""
