"""Tables of camera health: probe results and maintenance tickets."""
