"""Geofences: polygons with rules, and the positions of monitored persons checked against them."""
