"""Rule firings on their way to the alert desk. A firing is stored in the same transaction as
what caused it (a position, a checked hotlist hit), then offered to the desk; one the desk did
not take (down, failing) stays pending and is offered again, so none is lost. Its source
reference is unique: the same crossing or hit never fires twice."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from watchfloor.core.bus import EventBus
from watchfloor.core.clock import Clock
from watchfloor.core.context import Actor, RequestContext
from watchfloor.core.events import Event
from watchfloor.db.engine import Database
from watchfloor.domain.geofences.models import GeofenceFiring
from watchfloor.domain.geofences.rules import Firing
from watchfloor.domain.geofences.schemas import RuleFired
from watchfloor.events.alerts import AlertReport

log = logging.getLogger(__name__)

SYSTEM = RequestContext(actor=Actor.system("geofences"))
FIRED = "geofence.rule.fired"
BATCH = 100


class Receipt(Protocol):
    """What the alert desk says about one report it took."""

    @property
    def alert_id(self) -> str: ...

    @property
    def source_ref(self) -> str: ...


class AlertSink(Protocol):
    """The alert desk as geofences use it (domain.alerts.service.AlertDesk)."""

    async def receive(
        self, reports: list[AlertReport], context: RequestContext
    ) -> Sequence[Receipt]: ...


class FiringOutbox:
    """Stores firings with their cause and hands them to the alert desk."""

    def __init__(self, db: Database, clock: Clock, bus: EventBus, desk: AlertSink | None) -> None:
        self._db = db
        self._clock = clock
        self._bus = bus
        self.desk = desk
        self._turn = asyncio.Lock()

    async def add(self, session: AsyncSession, firings: list[Firing]) -> list[Firing]:
        """Store the firings not stored before, in the caller's transaction; returns those."""
        if not firings:
            return []
        refs = [f.report.source_ref for f in firings]
        query = select(GeofenceFiring.source_ref).where(GeofenceFiring.source_ref.in_(refs))
        known = set((await session.execute(query)).scalars())
        now = self._clock.now()
        unique = {f.report.source_ref: f for f in firings}
        fresh = [f for ref, f in unique.items() if ref not in known]
        session.add_all(_row(f, now) for f in fresh)
        await session.flush()
        return fresh

    async def announce(self, firings: list[Firing]) -> None:
        """Publish each stored firing (after its transaction committed)."""
        for firing in firings:
            payload = RuleFired(
                geofence_id=firing.geofence_id,
                rule=firing.rule,
                source_ref=firing.report.source_ref,
                title=firing.report.title,
            )
            now = self._clock.now()
            event = Event[RuleFired](
                kind=FIRED,
                source="geofences",
                occurred_at=firing.report.occurred_at,
                received_at=now,
                payload=payload,
            )
            await self._bus.publish(event)

    async def deliver_pending(self) -> int:
        """Offer every pending firing to the desk, oldest first; returns how many it took."""
        if self.desk is None:
            return 0
        async with self._turn:
            taken = 0
            while True:
                batch = await self._pending()
                delivered = [row for row in batch if await self._deliver(row)]
                taken += len(delivered)
                if len(batch) < BATCH or len(delivered) < len(batch):
                    return taken

    async def _pending(self) -> list[GeofenceFiring]:
        query = (
            select(GeofenceFiring)
            .where(GeofenceFiring.delivered_at.is_(None))
            .order_by(GeofenceFiring.id)
            .limit(BATCH)
        )
        async with self._db.read_session() as session:
            return list((await session.execute(query)).scalars())

    async def _deliver(self, row: GeofenceFiring) -> bool:
        assert self.desk is not None
        report = AlertReport.model_validate(row.report)
        try:
            receipts = await self.desk.receive([report], SYSTEM)
        except Exception:  # the desk's failure must not stop the others; offered again later
            log.exception("geofence firing %s not taken by the alert desk", row.source_ref)
            await self._note(row.id, None)
            return False
        alert_id = receipts[0].alert_id if receipts else None
        await self._note(row.id, alert_id, delivered=True)
        return True

    async def _note(self, row_id: int, alert_id: str | None, delivered: bool = False) -> None:
        async with self._db.session() as session:
            row = await session.get(GeofenceFiring, row_id)
            if row is None:
                return
            row.attempts += 1
            if delivered:
                row.delivered_at = self._clock.now()
                row.alert_id = alert_id


def _row(firing: Firing, now: datetime) -> GeofenceFiring:
    return GeofenceFiring(
        geofence_id=firing.geofence_id,
        rule=firing.rule,
        source_ref=firing.report.source_ref,
        report=firing.report.model_dump(mode="json"),
        created_at=now,
        delivered_at=None,
        alert_id=None,
        attempts=0,
    )
