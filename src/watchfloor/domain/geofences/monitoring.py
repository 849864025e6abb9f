"""The electronic-monitoring intake: positions are stored, each watched person's side of each
zone that watches them is kept, and a crossing the zone's rules care about fires once (stored
with the positions, in one transaction, before the feed hears back).

A person first seen inside a zone with the enters rule fires at once (being there is the
breach); leaving needs a known inside. Positions older than the one that decided a person's side,
or less accurate than the configured limit, are stored but move nobody."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from datetime import datetime
from typing import NoReturn

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from watchfloor.core.clock import Clock
from watchfloor.core.errors import DomainError
from watchfloor.core.health import HealthRegistry
from watchfloor.db.engine import Database
from watchfloor.domain.geofences.firings import FiringOutbox
from watchfloor.domain.geofences.index import GeofenceIndex, applies_at
from watchfloor.domain.geofences.models import GeofencePresence, MonitoredPosition
from watchfloor.domain.geofences.positions import decode_positions
from watchfloor.domain.geofences.rules import Firing, crossing_firing
from watchfloor.domain.geofences.schemas import GeofenceOut, PositionIn, PositionsResult
from watchfloor.domain.geofences.service import GeofenceBook
from watchfloor.domain.quarantine.service import QuarantineService

SOURCE = "monitoring-positions"
CONTENT_TYPE = "application/json"


class PositionIntake:
    """Accepts monitored-person positions over HTTP (and their quarantine replays)."""

    def __init__(
        self,
        db: Database,
        clock: Clock,
        book: GeofenceBook,
        outbox: FiringOutbox,
        quarantine: QuarantineService,
        health: HealthRegistry,
        stale_after_s: float,
    ) -> None:
        self._db = db
        self._clock = clock
        self._book = book
        self._outbox = outbox
        self._quarantine = quarantine
        self._health = health
        self._stale_after_s = stale_after_s
        self._turn = asyncio.Lock()  # one batch at a time decides crossings (no double firing)
        quarantine.register_replayer(SOURCE, self._replay)

    async def accept(self, raw: bytes, content_type: str | None) -> PositionsResult:
        """Store a post's positions, or refuse (4xx naming the fields) and quarantine it."""
        self._health.feed(SOURCE, self._stale_after_s)
        try:
            positions = self._decode(raw)
        except DomainError as error:
            await self.reject(raw, content_type, error)
        result = await self.store(positions)
        self._health.feed_accepted(SOURCE, result.accepted)
        return result

    def _decode(self, raw: bytes) -> list[PositionIn]:
        settings = self._book.settings
        now = self._clock.now()
        return decode_positions(raw, settings.max_positions, now, settings.future_tolerance_s)

    async def reject(
        self, raw: bytes, content_type: str | None, error: DomainError, size: int | None = None
    ) -> NoReturn:
        """Quarantine a refused post (or the head of an oversized one) and raise its error."""
        await self._quarantine.hold(SOURCE, raw, content_type or CONTENT_TYPE, error, size=size)
        self._health.feed_rejected(SOURCE, error.message)
        raise error

    async def _replay(self, raw: bytes) -> str:
        result = await self.store(self._decode(raw))
        return f"{result.accepted} positions stored, {result.fired} rules fired"

    async def store(self, positions: list[PositionIn]) -> PositionsResult:
        """Store new positions and the crossings they make; durable when this returns."""
        index = self._book.index
        async with self._turn, self._db.session() as session:
            fresh = await self._new_only(session, positions)
            session.add_all(self._row(p) for p in fresh)
            firings = await self._crossings(session, index, fresh)
            stored = await self._outbox.add(session, firings)
        await self._outbox.deliver_pending()
        await self._outbox.announce(stored)
        accepted = len(fresh)
        return PositionsResult(
            accepted=accepted, duplicates=len(positions) - accepted, fired=len(stored)
        )

    async def _new_only(
        self, session: AsyncSession, positions: list[PositionIn]
    ) -> list[PositionIn]:
        """Positions not stored before (a feed's retry repeats them), in time order."""
        unique = {(p.person_ref, _ms(p.at)): p for p in positions}
        persons = sorted({p.person_ref for p in positions})
        start, end = min(p.at for p in positions), max(p.at for p in positions)
        query = select(MonitoredPosition.person_ref, MonitoredPosition.at).where(
            MonitoredPosition.person_ref.in_(persons),
            MonitoredPosition.at.between(start, end),
        )
        known = {(ref, _ms(at)) for ref, at in (await session.execute(query)).all()}
        fresh = [p for key, p in unique.items() if key not in known]
        return sorted(fresh, key=lambda p: p.at)

    def _row(self, position: PositionIn) -> MonitoredPosition:
        return MonitoredPosition(
            person_ref=position.person_ref,
            program=position.program,
            at=position.at,
            lat=position.latitude,
            lon=position.longitude,
            accuracy_m=position.accuracy_m,
            received_at=self._clock.now(),
        )

    async def _crossings(
        self, session: AsyncSession, index: GeofenceIndex, positions: list[PositionIn]
    ) -> list[Firing]:
        by_person: dict[str, list[PositionIn]] = defaultdict(list)
        for position in positions:
            by_person[position.person_ref].append(position)
        firings: list[Firing] = []
        for person_ref, moves in by_person.items():
            zones = index.watching(person_ref)
            if zones:
                sides = await _sides(session, person_ref, [z.id for z in zones])
                firings += self._follow(session, index, zones, sides, moves)
        return firings

    def _follow(
        self,
        session: AsyncSession,
        index: GeofenceIndex,
        zones: list[GeofenceOut],
        sides: dict[str, GeofencePresence],
        moves: list[PositionIn],
    ) -> list[Firing]:
        """Walk one person's positions in time order through the zones watching them."""
        settings = self._book.settings
        firings: list[Firing] = []
        for move in moves:
            if move.accuracy_m is not None and move.accuracy_m > settings.max_accuracy_m:
                continue
            for zone in zones:
                inside = index.contains(zone.id, move.latitude, move.longitude)
                side = sides.get(zone.id)
                if side is not None and move.at <= side.at:
                    continue  # late: an older position never undoes a newer one
                crossed = inside if side is None else inside != side.inside
                if side is None:
                    side = sides[zone.id] = _presence(zone.id, move, inside)
                    session.add(side)
                side.inside, side.at = inside, move.at
                if crossed and applies_at(zone, move.at, settings.timezone):
                    firing = crossing_firing(zone, move, inside, settings.monitoring_priority)
                    firings += [firing] if firing is not None else []
        return firings


async def _sides(
    session: AsyncSession, person_ref: str, zone_ids: list[str]
) -> dict[str, GeofencePresence]:
    query = (
        select(GeofencePresence)
        .where(
            GeofencePresence.person_ref == person_ref,
            GeofencePresence.geofence_id.in_(zone_ids),
        )
        .with_for_update()
    )
    rows = (await session.execute(query)).scalars()
    return {row.geofence_id: row for row in rows}


def _presence(zone_id: str, move: PositionIn, inside: bool) -> GeofencePresence:
    return GeofencePresence(
        geofence_id=zone_id, person_ref=move.person_ref, inside=inside, at=move.at
    )


def _ms(at: datetime) -> int:
    return int(at.timestamp() * 1000)
