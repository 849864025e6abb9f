"""Timeline entries of what the rules did, written in batches in the engine's own sessions. An
entry waits `linger_s` for the others of its moment (a gunshot's attach, cameras, plates and
units notes come within a few ms), so they are one write, made after the work they record
rather than in the middle of it."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from watchfloor.db.engine import Database
from watchfloor.domain.incidents.timeline import add_entry
from watchfloor.domain.lpr.nearby import PlateActivity
from watchfloor.domain.units.schemas import NearbyUnit

log = logging.getLogger(__name__)
ACTOR = "system:correlation"


def sweep_note(
    alert_id: str, radius_m: float, start: datetime, end: datetime, activity: PlateActivity
) -> dict[str, Any]:
    """What a plate sweep around an alert writes on the timeline: counts, never plates."""
    return {
        "alert_id": alert_id,
        "radius_m": radius_m,
        "since": start.isoformat(),
        "until": end.isoformat(),
        "reads": activity.reads,
        "readers": [
            {"code": r.code, "name": r.name, "reads": r.reads, "distance_m": round(r.distance_m, 1)}
            for r in activity.readers
        ],
        "hits": len(activity.hits),
    }


def units_note(alert_id: str, nearest: Sequence[NearbyUnit]) -> dict[str, Any]:
    """What the nearest units around an alert write on the timeline."""
    listed = [
        {
            "code": u.code,
            "name": u.name,
            "status": u.status,
            "distance_m": round(u.distance_m, 1),
            "stale": u.stale,
        }
        for u in nearest
    ]
    return {"alert_id": alert_id, "units": listed}


@dataclass(frozen=True, slots=True)
class Entry:
    """One timeline entry to write."""

    incident_id: str
    at: datetime
    kind: str
    details: dict[str, Any]


class TimelineWriter:
    """Collects entries and writes whatever has gathered in one transaction."""

    def __init__(self, db: Database, batch: int = 64, linger_s: float = 0.0) -> None:
        self._db = db
        self._batch = batch
        self._linger_s = linger_s
        self._pending: list[Entry] = []
        self._wake = asyncio.Event()
        self._lock = asyncio.Lock()
        self.written = 0
        self.writes = 0

    def add(self, incident_id: str, at: datetime, kind: str, details: dict[str, Any]) -> None:
        """Queue one entry (written by `run` or `flush`)."""
        self._pending.append(Entry(incident_id, at, kind, details))
        self._wake.set()

    @property
    def pending(self) -> int:
        """Entries not yet written."""
        return len(self._pending)

    async def run(self) -> None:
        """Write entries as they come, each after its linger, until cancelled."""
        while True:
            await self._wake.wait()
            await asyncio.sleep(self._linger_s)
            await self.flush()

    async def flush(self) -> None:
        """Write every queued entry now, `batch` per transaction."""
        async with self._lock:
            self._wake.clear()
            while self._pending:
                batch, self._pending = self._pending[: self._batch], self._pending[self._batch :]
                await self._write(batch)

    async def _write(self, batch: list[Entry]) -> None:
        try:
            await self._insert(batch)
        except IntegrityError:
            # an incident vanished under us: keep the others, one by one
            for entry in batch:
                try:
                    await self._insert([entry])
                except IntegrityError:
                    log.warning("timeline entry for missing incident %s dropped", entry.incident_id)
        except Exception:
            log.exception("timeline batch of %d entries lost", len(batch))

    async def _insert(self, batch: list[Entry]) -> None:
        def work(session: Session) -> None:
            for entry in batch:
                add_entry(session, entry.incident_id, entry.at, entry.kind, ACTOR, entry.details)

        await self._db.write_in_thread(work)
        self.written += len(batch)
        self.writes += 1
