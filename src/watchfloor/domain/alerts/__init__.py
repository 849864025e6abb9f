"""Alerts: what gunshot sensors, panic buttons, sensors and video analytics report."""
