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
from watchfloor.core.errors import Conflict, FieldProblem, InvalidInput, NotFound
from watchfloor.core.events import Event
from watchfloor.core.geo import GeoPoint
from watchfloor.db.engine import Database
from watchfloor.domain.units.index import UnitIndex, is_stale
from watchfloor.domain.units.kinds import normalize_kind
from watchfloor.domain.units.models import Unit
from watchfloor.domain.units.schemas import (
    STATUSES,
    UNIT_CHANGED,
    UNITS_REPORTED,
    NearbyUnit,
    TrailPoint,
    UnitEdit,
    UnitIn,
    UnitOut,
    UnitPosition,
    UnitsReported,
)
from watchfloor.domain.units.trail import append_point, read_trail
from watchfloor.events.cad import UnitReport, UnitStatus
from watchfloor.settings import ContextSettings

log = logging.getLogger(__name__)
FREE = frozenset({UnitStatus.AVAILABLE.value, UnitStatus.CLEARED.value})
TRAIL_LIMIT = 5_000


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
                    append_point(session, row.code, position.at, _point(position), source)
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
        await self._changed({row.code: UnitOut.model_validate(row) for row in applied}, source)
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
        return (await self._changed({code: out}, "console"))[0]

    async def get(self, code: str) -> UnitOut:
        """One unit with its stale flag (NotFound)."""
        unit = self._index.units.get(code)
        if unit is None:
            raise NotFound("no such unit")
        return self._fresh(unit)

    async def on_incident(self, incident_id: str) -> builtins.list[UnitOut]:
        """The units assigned to an incident, by code."""
        units = self._index.units
        return [self._fresh(units[c]) for c in sorted(units) if units[c].incident_id == incident_id]

    async def trail(
        self, code: str, since: datetime, limit: int = TRAIL_LIMIT
    ) -> builtins.list[TrailPoint]:
        """The unit's applied positions since `since`, oldest first (NotFound)."""
        if code not in self._index.units:
            raise NotFound("no such unit")
        async with self._db.read_session() as session:
            return await read_trail(session, code, since, limit)

    async def create(self, unit: UnitIn, context: RequestContext) -> UnitOut:
        """Add a unit (audited); Conflict when the code is taken."""
        now = self._clock.now()
        async with self._db.session() as session:
            if await session.get(Unit, unit.code) is not None:
                raise Conflict("a unit with this code exists", "unit_exists")
            row = _new_unit(session, {}, unit.code, now)
            row.status_by = context.actor.username
            _apply_details(row, unit.model_dump(mode="json", exclude={"code"}))
            row.name = unit.name or unit.code
            await self._audit.record(session, context, _details_entry("unit.created", row))
            out = UnitOut.model_validate(row)
        return (await self._changed({unit.code: out}, "console"))[0]

    async def edit(self, code: str, edit: UnitEdit, context: RequestContext) -> UnitOut:
        """Change a unit's kind, name, agency, crew or capabilities (audited; NotFound)."""
        async with self._db.session() as session:
            row = await session.get(Unit, code, with_for_update=True)
            if row is None:
                raise NotFound("no such unit")
            _apply_details(row, edit.model_dump(mode="json", exclude_unset=True))
            row.updated_at = self._clock.now()
            await self._audit.record(session, context, _details_entry("unit.edited", row))
            out = UnitOut.model_validate(row)
        return (await self._changed({code: out}, "console"))[0]

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
            changed: dict[str, UnitOut] = {}
            for u in reported.units:
                row = rows.get(u.name) or _new_unit(session, rows, u.name, now, u.updated_at)
                if _apply_cad(row, u, reported):
                    append_point(session, row.code, u.updated_at, _cad_point(row), "cad")
                changed[row.code] = UnitOut.model_validate(row)
        await self._changed(changed, "cad")

    async def _changed(self, units: dict[str, UnitOut], source: str) -> builtins.list[UnitOut]:
        """Index the changed units and publish each on the bus; returns them with stale flags."""
        now = self._clock.now()
        published: builtins.list[UnitOut] = []
        for unit in units.values():
            self._index.put(unit)
            out = self._fresh(unit)
            published.append(out)
            location = None
            if out.lat is not None and out.lon is not None:
                location = GeoPoint(lat=out.lat, lon=out.lon)
            event = Event[UnitOut](
                kind=UNIT_CHANGED,
                source=f"units:{source}",
                occurred_at=now,
                received_at=now,
                location=location,
                payload=out,
            )
            await self._bus.publish(event)
        return published

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
        crew=[],
        capabilities=[],
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
    if position.kind is not None and row.kind == "unknown":
        row.kind, row.kind_text = normalize_kind(position.kind), position.kind
    row.agency = position.agency or row.agency
    if position.status is not None and position.status != row.status:
        row.status, row.status_at, row.status_by = position.status, position.at, source
    return True


def _point(position: UnitPosition) -> tuple[float, float, float | None, float | None]:
    return position.latitude, position.longitude, position.heading, position.speed_mps


def _cad_point(row: Unit) -> tuple[float, float, float | None, float | None]:
    return row.lat or 0.0, row.lon or 0.0, row.heading, row.speed_mps


def _apply_details(row: Unit, details: dict[str, object]) -> None:
    for field in ("name", "kind", "agency", "crew", "capabilities"):
        if field in details and (details[field] is not None or field == "agency"):
            setattr(row, field, details[field])
    if "kind" in details and details["kind"] is not None:
        row.kind_text = None


def _details_entry(action: str, row: Unit) -> AuditEntry:
    details = {
        "kind": row.kind,
        "name": row.name,
        "agency": row.agency,
        "crew": list(row.crew),
        "capabilities": list(row.capabilities),
    }
    return AuditEntry(action, object_type="unit", object_id=row.code, details=details)


def _apply_cad(row: Unit, unit: UnitReport, reported: UnitsReported) -> bool:
    """Apply one CAD unit; True when its location was applied (a new trail point)."""
    if row.kind == "unknown":
        row.kind, row.kind_text = normalize_kind(unit.kind), unit.kind
    if unit.updated_at >= row.status_at:
        row.status, row.status_at, row.status_by = unit.status.value, unit.updated_at, "cad"
        row.incident_id = None if unit.status.value in FREE else reported.incident_id
    fresher = row.position_at is None or unit.updated_at > row.position_at
    row.updated_at = unit.updated_at
    if unit.location is not None and fresher:
        row.lat, row.lon = unit.location.lat, unit.location.lon
        row.heading = row.speed_mps = None
        row.position_at, row.position_source = unit.updated_at, "cad"
        return True
    return False
