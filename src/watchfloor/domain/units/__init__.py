"""Units: the field resources, their status and latest positions."""
