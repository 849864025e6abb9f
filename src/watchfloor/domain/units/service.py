"""The unit roster: units, their status and latest positions, in the store and in memory."""

from __future__ import annotations

import builtins
import logging
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from watchfloor.audit.service import AuditEntry, AuditLog
from watchfloor.core.bus import EventBus
from watchfloor.core.clock import Clock
from watchfloor.core.context import RequestContext
from watchfloor.core.errors import FieldProblem, InvalidInput, NotFound
from watchfloor.db.engine import Database
from watchfloor.domain.units.index import UnitIndex, is_stale
from watchfloor.domain.units.models import Unit
from watchfloor.domain.units.schemas import (
    STATUSES,
    UNITS_REPORTED,
    NearbyUnit,
    UnitOut,
    UnitPosition,
    UnitsReported,
)
from watchfloor.events.cad import UnitReport, UnitStatus
from watchfloor.settings import ContextSettings

log = logging.getLogger(__name__)
FREE = frozenset({UnitStatus.AVAILABLE.value, UnitStatus.CLEARED.value})


class UnitRoster:
    """Owns the unit table; answers "which units are nearest?" from memory."""

    def __init__(
        self, db: Database, clock: Clock, bus: EventBus, audit: AuditLog, settings: ContextSettings
    ) -> None:
        self._db = db
        self._clock = clock
        self._bus = bus
        self._audit = audit
        self._stale_s = settings.unit_stale_after_s
        self._index = UnitIndex()

    async def load(self) -> None:
        """Read every unit into memory."""
        async with self._db.read_session() as session:
            rows = (await session.execute(select(Unit))).scalars().all()
            for row in rows:
                self._index.put(UnitOut.model_validate(row))

    async def update_positions(
        self, positions: list[UnitPosition], context: RequestContext, source: str = "feed"
    ) -> int:
        """Store positions from a source (feed, nmea, cot ...); a unit seen first is added, older
        than the stored one are skipped. One transaction and one audit record per delivery;
        returns the positions applied."""
        for i, position in enumerate(positions):
            if position.status is not None and position.status not in STATUSES:
                reason = f"unknown status; one of {', '.join(sorted(STATUSES))}"
                raise InvalidInput("bad unit position", [FieldProblem(f"/{i}/status", reason)])
        now = self._clock.now()
        applied: list[Unit] = []
        async with self._db.session() as session:
            rows = await _rows(session, {p.unit for p in positions})
            for position in sorted(positions, key=lambda p: p.at):
                row = rows.get(position.unit) or _new_unit(session, rows, position.unit, now)
                if _apply_position(row, position, now, source):
                    applied.append(row)
            await self._audit.record(
                session,
                context,
                AuditEntry(
                    "units.positions.received",
                    object_type="unit",
                    details={
                        "positions": len(positions),
                        "applied": len(applied),
                        "source": source,
                    },
                ),
            )
        for row in applied:
            self._index.put(UnitOut.model_validate(row))
        return len(applied)

    async def set_status(self, code: str, status: str, context: RequestContext) -> UnitOut:
        """An operator's change of a unit's status (audited)."""
        if status not in STATUSES:
            raise InvalidInput("bad status", [FieldProblem("/status", "unknown status")])
        now = self._clock.now()
        async with self._db.session() as session:
            row = await session.get(Unit, code, with_for_update=True)
            if row is None:
                raise NotFound("no such unit")
            before = row.status
            row.status, row.status_at, row.updated_at = status, now, now
            row.status_by = context.actor.username
            if status in FREE:
                row.incident_id = None
            await self._audit.record(
                session,
                context,
                AuditEntry(
                    "unit.status.changed",
                    object_type="unit",
                    object_id=code,
                    details={"from": before, "to": status},
                ),
            )
            out = UnitOut.model_validate(row)
        self._index.put(out)
        return self._fresh(out)

    async def list(self) -> builtins.list[UnitOut]:
        """Every unit, by code, with its stale flag."""
        return [self._fresh(u) for _c, u in sorted(self._index.units.items())]

    async def nearest(
        self, lat: float, lon: float, *, limit: int = 5, available_only: bool = False
    ) -> builtins.list[NearbyUnit]:
        """The nearest units with a position, nearest first (in memory)."""
        return self._index.nearest(lat, lon, limit, available_only, self._stale_before())

    async def follow(self) -> None:
        """Follow the CAD's units (status, incident, location) until cancelled."""
        subscription = self._bus.subscribe(UNITS_REPORTED)
        try:
            async for event in subscription:
                try:
                    await self.apply_cad(event.payload)
                except Exception:  # one bad update must not stop the roster following the CAD
                    log.exception("units: could not apply a CAD unit update")
        finally:
            subscription.close()

    async def apply_cad(self, reported: UnitsReported) -> None:
        """Apply one CAD update's units: status, assignment and (when given) location."""
        now = self._clock.now()
        async with self._db.session() as session:
            rows = await _rows(session, {u.name for u in reported.units})
            changed = [
                _apply_cad(
                    rows.get(u.name) or _new_unit(session, rows, u.name, now, u.updated_at),
                    u,
                    reported,
                )
                for u in reported.units
            ]
        for row in changed:
            self._index.put(UnitOut.model_validate(row))

    def _stale_before(self) -> datetime:
        return self._clock.now() - timedelta(seconds=self._stale_s)

    def _fresh(self, unit: UnitOut) -> UnitOut:
        return unit.model_copy(update={"stale": is_stale(unit, self._stale_before())})


async def _rows(session: AsyncSession, codes: set[str]) -> dict[str, Unit]:
    if not codes:
        return {}
    query = select(Unit).where(Unit.code.in_(sorted(codes))).with_for_update()
    return {row.code: row for row in (await session.execute(query)).scalars()}


def _new_unit(
    session: AsyncSession,
    rows: dict[str, Unit],
    code: str,
    now: datetime,
    status_at: datetime | None = None,
) -> Unit:
    row = Unit(
        code=code,
        name=code,
        kind="unknown",
        status=UnitStatus.AVAILABLE.value,
        status_at=status_at or now,
        status_by="system:units",
        updated_at=now,
    )
    session.add(row)
    rows[code] = row
    return row


def _apply_position(row: Unit, position: UnitPosition, now: datetime, source: str) -> bool:
    if row.position_at is not None and position.at <= row.position_at:
        return False
    row.lat, row.lon = position.latitude, position.longitude
    row.heading, row.speed_mps = position.heading, position.speed_mps
    row.position_at, row.position_source, row.updated_at = position.at, source, now
    row.name = position.name or row.name
    row.kind = position.kind or row.kind
    row.agency = position.agency or row.agency
    if position.status is not None and position.status != row.status:
        row.status, row.status_at, row.status_by = position.status, position.at, source
    return True


def _apply_cad(row: Unit, unit: UnitReport, reported: UnitsReported) -> Unit:
    row.kind = unit.kind if row.kind == "unknown" else row.kind
    if unit.updated_at >= row.status_at:
        row.status, row.status_at, row.status_by = unit.status.value, unit.updated_at, "cad"
        row.incident_id = None if unit.status.value in FREE else reported.incident_id
    fresher = row.position_at is None or unit.updated_at > row.position_at
    if unit.location is not None and fresher:
        row.lat, row.lon = unit.location.lat, unit.location.lon
        row.position_at, row.position_source = unit.updated_at, "cad"
    row.updated_at = unit.updated_at
    return row
