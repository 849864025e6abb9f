"""Frigate NVR's MQTT contract (`<prefix>/events`, `<prefix>/reviews`) as typed values and the
alert reports of its activities."""
