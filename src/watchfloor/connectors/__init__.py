"""Outside systems, one folder each: they translate formats into typed events; never store or decide."""
