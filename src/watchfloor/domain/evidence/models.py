"""Tables of video evidence: items, custody log, packages."""
