"""Plate readers: their reads, the alerts hotlist hits raise, investigative search, retention."""
