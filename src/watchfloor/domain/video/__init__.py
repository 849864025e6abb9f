"""Live video: relays from cameras to consoles, and recordings taken from them."""
