"""The incident context packet: everything an operator needs about a place, in one call."""
