"""IoT and smart-city sensor messages (JSON over HTTP or MQTT) as typed values."""
