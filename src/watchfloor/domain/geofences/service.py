"""The geofence book: supervisors and admins draw zones and give them rules (audited); the rules
look zones up in memory, in an index rebuilt whenever one changes."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import delete, select

from watchfloor.audit.service import AuditEntry, AuditLog
from watchfloor.core.clock import Clock
from watchfloor.core.context import RequestContext
from watchfloor.core.errors import NotFound
from watchfloor.db.engine import Database
from watchfloor.domain.geofences.index import GeofenceIndex
from watchfloor.domain.geofences.models import Geofence, GeofencePresence
from watchfloor.domain.geofences.schemas import GeofenceIn, GeofenceOut
from watchfloor.domain.geofences.shapes import check_geofence
from watchfloor.settings import GeofenceSettings


class GeofenceBook:
    """Geofences: stored, audited, and indexed in memory for the rules."""

    def __init__(
        self, db: Database, clock: Clock, audit: AuditLog, settings: GeofenceSettings
    ) -> None:
        self._db = db
        self._clock = clock
        self._audit = audit
        self.settings = settings
        self.index = GeofenceIndex([])

    async def load(self) -> None:
        """Read every geofence and rebuild the index."""
        self.index = GeofenceIndex(await self.list())

    def containing(self, lat: float, lon: float) -> list[GeofenceOut]:
        """The active geofences containing the point (from memory)."""
        return self.index.containing(lat, lon)

    async def list(self) -> list[GeofenceOut]:
        """Every geofence, by name."""
        async with self._db.read_session() as session:
            rows = await session.execute(select(Geofence).order_by(Geofence.name, Geofence.id))
            return [GeofenceOut.model_validate(row) for row in rows.scalars()]

    async def get(self, geofence_id: str) -> GeofenceOut:
        """One geofence; 404 when there is none."""
        async with self._db.read_session() as session:
            row = await session.get(Geofence, geofence_id)
            if row is None:
                raise NotFound("no such geofence")
            return GeofenceOut.model_validate(row)

    async def create(self, body: GeofenceIn, context: RequestContext) -> GeofenceOut:
        """Store a new geofence (422 naming the field when its polygon or rules are wrong)."""
        ring = check_geofence(body, self.settings.max_points)
        now, who = self._clock.now(), context.actor.username
        row = Geofence(id=str(uuid.uuid4()), created_at=now, created_by=who, **_fields(body, ring))
        row.updated_at, row.updated_by = now, who
        async with self._db.session() as session:
            session.add(row)
            await session.flush()
            await self._audit.record(session, context, _entry("geofence.created", row))
            out = GeofenceOut.model_validate(row)
        await self.load()
        return out

    async def update(
        self, geofence_id: str, body: GeofenceIn, context: RequestContext
    ) -> GeofenceOut:
        """Replace a geofence's name, kind, polygon, rules, state and hours."""
        ring = check_geofence(body, self.settings.max_points)
        async with self._db.session() as session:
            query = select(Geofence).where(Geofence.id == geofence_id).with_for_update()
            row = (await session.execute(query)).scalar_one_or_none()
            if row is None:
                raise NotFound("no such geofence")
            for name, value in _fields(body, ring).items():
                setattr(row, name, value)
            row.updated_at, row.updated_by = self._clock.now(), context.actor.username
            await self._audit.record(session, context, _entry("geofence.updated", row))
            out = GeofenceOut.model_validate(row)
        await self.load()
        return out

    async def delete(self, geofence_id: str, context: RequestContext) -> None:
        """Remove a geofence and what it knew of monitored persons' whereabouts."""
        async with self._db.session() as session:
            row = await session.get(Geofence, geofence_id, with_for_update=True)
            if row is None:
                raise NotFound("no such geofence")
            await self._audit.record(session, context, _entry("geofence.deleted", row))
            await session.delete(row)
            gone = delete(GeofencePresence).where(GeofencePresence.geofence_id == geofence_id)
            await session.execute(gone)
        await self.load()


def _fields(body: GeofenceIn, ring: list[list[float]]) -> dict[str, Any]:
    return {
        "name": body.name,
        "kind": body.kind.value,
        "polygon": ring,
        "rules": [rule.model_dump(mode="json", exclude_none=True) for rule in body.rules],
        "active": body.active,
        "hours": body.hours.model_dump(mode="json") if body.hours else None,
    }


def _entry(action: str, row: Geofence) -> AuditEntry:
    return AuditEntry(
        action,
        object_type="geofence",
        object_id=row.id,
        details={
            "name": row.name,
            "kind": row.kind,
            "active": row.active,
            "rules": [rule["rule"] for rule in row.rules],
            "points": len(row.polygon),
        },
    )
