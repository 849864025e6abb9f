"""Outside systems, one folder each.

Connectors translate formats into typed events; they never store or decide.
"""
