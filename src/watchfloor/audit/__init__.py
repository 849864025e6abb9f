"""The audit log: append-only, hash-chained, queryable; the accountability core."""
