"""Mobile panic buttons (JSON presses with the device's location and owner)."""
