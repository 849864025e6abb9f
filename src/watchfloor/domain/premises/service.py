"""Premise information: hazards, notes and floor plans per address (changes audited)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from watchfloor.audit.service import AuditEntry, AuditLog
from watchfloor.core.clock import Clock
from watchfloor.core.context import RequestContext
from watchfloor.core.errors import NotFound
from watchfloor.core.geo import grid_cell
from watchfloor.db.engine import Database
from watchfloor.domain.premises.address import address_key
from watchfloor.domain.premises.files import FloorPlanFiles
from watchfloor.domain.premises.models import FloorPlan, Premise
from watchfloor.domain.premises.schemas import FloorPlanOut, PremiseIn, PremiseOut

LIST_LIMIT = 1_000


class PremiseRegistry:
    """Owns the premise tables and the floor plan files."""

    def __init__(self, db: Database, clock: Clock, audit: AuditLog, files: FloorPlanFiles) -> None:
        self._db = db
        self._clock = clock
        self._audit = audit
        self.files = files

    async def list(self, limit: int = LIST_LIMIT) -> list[PremiseOut]:
        """Premises by address (at most limit)."""
        async with self._db.read_session() as session:
            query = select(Premise).order_by(Premise.address_key, Premise.id).limit(limit)
            rows = list((await session.execute(query)).scalars())
            plans = await plans_of(session, [r.id for r in rows])
        return [_out(row, plans.get(row.id, [])) for row in rows]

    async def get(self, premise_id: str) -> PremiseOut:
        """One premise with its floor plans."""
        async with self._db.read_session() as session:
            row = await _get(session, premise_id)
            plans = await plans_of(session, [row.id])
        return _out(row, plans.get(row.id, []))

    async def create(self, body: PremiseIn, context: RequestContext) -> PremiseOut:
        """Record a premise (audited)."""
        now = self._clock.now()
        row = Premise(created_at=now)
        async with self._db.session() as session:
            _fill(row, body, now, context)
            session.add(row)
            await session.flush()
            await self._audit.record(session, context, _entry("premise.created", row.id, body))
        return _out(row, [])

    async def update(self, premise_id: str, body: PremiseIn, context: RequestContext) -> PremiseOut:
        """Change a premise (audited)."""
        now = self._clock.now()
        async with self._db.session() as session:
            row = await _get(session, premise_id, for_update=True)
            _fill(row, body, now, context)
            await self._audit.record(session, context, _entry("premise.updated", row.id, body))
            plans = await plans_of(session, [row.id])
        return _out(row, plans.get(row.id, []))

    async def delete(self, premise_id: str, context: RequestContext) -> None:
        """Remove a premise and its floor plan records (audited; files stay content-addressed)."""
        async with self._db.session() as session:
            row = await _get(session, premise_id, for_update=True)
            await session.execute(delete(FloorPlan).where(FloorPlan.premise_id == row.id))
            await session.delete(row)
            await self._audit.record(
                session,
                context,
                AuditEntry(
                    "premise.deleted",
                    object_type="premise",
                    object_id=premise_id,
                    details={"address": row.address},
                ),
            )

    async def add_floor_plan(
        self, premise_id: str, name: str, data: bytes, context: RequestContext
    ) -> FloorPlanOut:
        """Attach a floor plan (PNG, JPEG or PDF by its bytes, size-limited; audited)."""
        media_type = self.files.check(data)
        digest = self.files.put(data)
        async with self._db.session() as session:
            row = await _get(session, premise_id, for_update=True)
            plan = FloorPlan(
                premise_id=row.id,
                name=name,
                media_type=media_type,
                size=len(data),
                sha256=digest,
                uploaded_at=self._clock.now(),
                uploaded_by=context.actor.username,
            )
            session.add(plan)
            await session.flush()
            await self._audit.record(
                session,
                context,
                AuditEntry(
                    "premise.floor_plan.added",
                    object_type="premise",
                    object_id=row.id,
                    details={"file_id": plan.id, "name": name, "sha256": digest},
                ),
            )
        return FloorPlanOut.model_validate(plan)

    async def floor_plan(
        self, premise_id: str, file_id: str, context: RequestContext
    ) -> tuple[bytes, FloorPlanOut]:
        """A floor plan's bytes and facts (an audited read)."""
        async with self._db.session() as session:
            plan = await session.get(FloorPlan, file_id)
            if plan is None or plan.premise_id != premise_id:
                raise NotFound("no such floor plan")
            await self._audit.record(
                session,
                context,
                AuditEntry(
                    "premise.floor_plan.read",
                    object_type="premise",
                    object_id=premise_id,
                    details={"file_id": file_id},
                ),
            )
            out = FloorPlanOut.model_validate(plan)
        return self.files.get(out.sha256), out


async def plans_of(session: AsyncSession, premise_ids: list[str]) -> dict[str, list[FloorPlan]]:
    """The floor plans of these premises, by premise, in upload order."""
    return await session.run_sync(floor_plans_of, premise_ids)


def floor_plans_of(session: Session, premise_ids: list[str]) -> dict[str, list[FloorPlan]]:
    """plans_of on a synchronous session."""
    if not premise_ids:
        return {}
    query = (
        select(FloorPlan)
        .where(FloorPlan.premise_id.in_(premise_ids))
        .order_by(FloorPlan.uploaded_at, FloorPlan.id)
    )
    found: dict[str, list[FloorPlan]] = {}
    for plan in session.execute(query).scalars():
        found.setdefault(plan.premise_id, []).append(plan)
    return found


def _fill(row: Premise, body: PremiseIn, now: datetime, context: RequestContext) -> None:
    row.address = body.address.strip()
    row.address_key = address_key(body.address) or body.address
    row.lat, row.lon = body.lat, body.lon
    row.cell = grid_cell(body.lat, body.lon)
    row.hazards = list(body.hazards)
    row.notes = body.notes
    row.updated_at, row.updated_by = now, context.actor.username


def _entry(action: str, premise_id: str, body: PremiseIn) -> AuditEntry:
    return AuditEntry(
        action,
        object_type="premise",
        object_id=premise_id,
        details={"address": body.address, "hazards": len(body.hazards)},
    )


async def _get(session: AsyncSession, premise_id: str, *, for_update: bool = False) -> Premise:
    query = select(Premise).where(Premise.id == premise_id)
    if for_update:
        query = query.with_for_update()
    row = (await session.execute(query)).scalar_one_or_none()
    if row is None:
        raise NotFound("no such premise")
    return row


def _out(row: Premise, plans: list[FloorPlan]) -> PremiseOut:
    return PremiseOut(
        id=row.id,
        address=row.address,
        lat=row.lat,
        lon=row.lon,
        hazards=list(row.hazards),
        notes=row.notes,
        floor_plans=[FloorPlanOut.model_validate(p) for p in plans],
        created_at=row.created_at,
        updated_at=row.updated_at,
        updated_by=row.updated_by,
    )
