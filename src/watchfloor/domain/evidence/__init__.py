"""Video evidence: clips and snapshots with their hashes, custody log, packages and checks."""
