"""Investigative search over stored reads (contract; helper fills in)."""

from __future__ import annotations

from watchfloor.audit.service import AuditLog
from watchfloor.core.clock import Clock
from watchfloor.db.engine import Database
from watchfloor.settings import LprSettings


class ReadSearch:
    """Plate (exact, prefix, wildcard), time, area, reader and vehicle search, purpose-bound."""

    def __init__(self, db: Database, clock: Clock, audit: AuditLog, settings: LprSettings) -> None:
        self._db = db
        self._clock = clock
        self._audit = audit
        self._settings = settings
