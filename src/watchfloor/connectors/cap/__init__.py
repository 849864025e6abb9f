"""OASIS CAP 1.2 public alerts: hardened parsing, validation against the bundled schema, and the
alert reports they become."""
