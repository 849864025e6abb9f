"""Investigative search over stored reads (contract; helper fills in)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from watchfloor.audit.service import AuditLog
from watchfloor.core.clock import Clock
from watchfloor.db.engine import Database
from watchfloor.settings import LprSettings


@dataclass(frozen=True)
class Circle:
    """An area: within radius_m metres of a point."""

    lat: float
    lon: float
    radius_m: float


@dataclass(frozen=True)
class Polygon:
    """An area: inside a ring of (lon, lat) points."""

    ring: tuple[tuple[float, float], ...]


@dataclass(frozen=True)
class ReadQuery:
    """What an investigator looks for: a plate pattern (exact, `ABC*`, `*12*`, `A?C123`), a time
    window, an area, readers, vehicle attributes."""

    since: datetime
    until: datetime
    plate: str | None = None
    area: Circle | Polygon | None = None
    reader_codes: tuple[str, ...] = ()
    make: str | None = None
    model: str | None = None
    colour: str | None = None
    limit: int = 500


class ReadSearch:
    """Plate (exact, prefix, wildcard), time, area, reader and vehicle search, purpose-bound."""

    def __init__(self, db: Database, clock: Clock, audit: AuditLog, settings: LprSettings) -> None:
        self._db = db
        self._clock = clock
        self._audit = audit
        self._settings = settings
