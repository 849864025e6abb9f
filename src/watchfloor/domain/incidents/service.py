"""The incidents service: stores CAD updates, ranks the queue, shows, claims, annotates."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from watchfloor.audit.service import AuditEntry, AuditLog
from watchfloor.core.bus import EventBus
from watchfloor.core.clock import Clock
from watchfloor.core.context import RequestContext
from watchfloor.core.errors import NotFound
from watchfloor.core.events import Event
from watchfloor.core.geo import GeoPoint
from watchfloor.db.engine import Database
from watchfloor.domain.incidents import claims
from watchfloor.domain.incidents.merge import Received, merge
from watchfloor.domain.incidents.models import (
    Incident,
    IncidentAgency,
    IncidentCaution,
    IncidentNote,
    IncidentPerson,
    IncidentUnit,
    IncidentVehicle,
)
from watchfloor.domain.incidents.queue import open_queue, queue_row
from watchfloor.domain.incidents.schemas import (
    AgencyOut,
    CautionOut,
    ClaimOut,
    IncidentChanged,
    IncidentDetail,
    IncidentOut,
    NoteOut,
    PersonOut,
    QueueRow,
    StoreOutcome,
    StoreResult,
    TimelineOut,
    UnitOut,
    VehicleOut,
)
from watchfloor.domain.incidents.timeline import entries
from watchfloor.domain.units.schemas import UNITS_REPORTED, UnitsReported
from watchfloor.events.cad import IncidentStatus, NoteReport

WithNotes = Callable[[dict[str, Any], list[NoteReport], str, datetime], dict[str, Any]]
"""The EIDO connector's export: the original document with Watchfloor's notes added."""

_PUBLISHED = {StoreOutcome.CREATED: "incident.created", StoreOutcome.UPDATED: "incident.updated"}


def _delivery_entry(done: list[tuple[Received, IncidentChanged, StoreOutcome]]) -> AuditEntry:
    """One audit record per delivery: who sent it, what it did to which incidents."""
    outcomes: dict[str, int] = {}
    for _item, _summary, outcome in done:
        outcomes[outcome.value] = outcomes.get(outcome.value, 0) + 1
    changed = [s.incident_id for _i, s, o in done if o in _PUBLISHED]
    return AuditEntry(
        action="incident.ingested",
        object_type="incident" if len(done) == 1 else "eido_batch",
        object_id=done[0][1].incident_id if len(done) == 1 else None,
        details={
            "source": done[0][0].source if done else None,
            "documents": len(done),
            "outcomes": outcomes,
            "changed_incidents": changed[:50],
        },
    )


def location_of(incident: Incident) -> GeoPoint | None:
    """The incident's point, when the CAD gave one."""
    if incident.lat is None or incident.lon is None:
        return None
    return GeoPoint(lat=incident.lat, lon=incident.lon)


class IncidentService:
    """Owns the incident tables; every change is durable before it is published."""

    def __init__(
        self, db: Database, clock: Clock, bus: EventBus, audit: AuditLog, with_notes: WithNotes
    ) -> None:
        self._db = db
        self._clock = clock
        self._bus = bus
        self._audit = audit
        self._with_notes = with_notes

    async def store(self, items: list[Received], context: RequestContext) -> list[StoreResult]:
        """Store every document and its audit record in one transaction, then publish."""
        try:
            changed = await self._store_once(items, context)
        except IntegrityError:
            # Another writer created the same incident concurrently: merge into theirs.
            changed = await self._store_once(items, context)
        for item, summary, outcome in changed:
            await self._publish_change(item, summary, outcome)
        return [
            StoreResult(eido_id=summary.eido_id, incident_id=summary.incident_id, outcome=outcome)
            for _item, summary, outcome in changed
        ]

    async def _store_once(
        self, items: list[Received], context: RequestContext
    ) -> list[tuple[Received, IncidentChanged, StoreOutcome]]:

        def work(session: Session) -> list[tuple[Received, IncidentChanged, StoreOutcome]]:
            done: list[tuple[Received, IncidentChanged, StoreOutcome]] = []
            for item in items:
                incident, outcome = merge(session, item)
                done.append((item, _summary(incident), outcome))
            self._audit.append(session, context, [_delivery_entry(done)])
            return done

        return await self._db.write_in_thread(work)

    async def _publish_change(
        self, item: Received, summary: IncidentChanged, outcome: StoreOutcome
    ) -> None:
        kind = _PUBLISHED.get(outcome)
        if kind is None:
            return
        point = item.report.location.point if item.report.location else None
        await self._bus.publish(
            Event[IncidentChanged](
                kind=kind,
                source=f"cad:{item.report.issuing_element}",
                occurred_at=item.report.last_updated_at,
                received_at=item.received_at,
                location=point,
                payload=summary,
            )
        )
        if item.report.units:
            # The roster follows the units' CAD positions and assignments.
            await self._bus.publish(
                Event[UnitsReported](
                    kind=UNITS_REPORTED,
                    source=f"cad:{item.report.issuing_element}",
                    occurred_at=item.report.last_updated_at,
                    received_at=item.received_at,
                    location=point,
                    payload=UnitsReported(
                        incident_id=summary.incident_id, units=list(item.report.units)
                    ),
                )
            )

    async def queue(self) -> list[QueueRow]:
        """Open incidents in RTCC policy order: P1, then P2, then P3-5, oldest first in each."""
        async with self._db.read_session() as session:
            return await open_queue(session, self._clock.now())

    async def queue_row(self, incident_id: str) -> QueueRow | None:
        """One incident's queue row as it stands now; None once it has left the queue."""
        now = self._clock.now()
        # One thread hop: the live hub asks for every incident change it sends to consoles.
        return await self._db.read_in_thread(lambda session: queue_row(session, incident_id, now))

    async def detail(self, incident_id: str, context: RequestContext) -> IncidentDetail:
        """Everything about one incident: an audited read."""
        async with self._db.session() as session:
            incident = await _get(session, incident_id)
            detail = IncidentDetail(
                incident=IncidentOut.model_validate(incident),
                units=await _children(session, IncidentUnit, incident.id, UnitOut),
                notes=await _children(session, IncidentNote, incident.id, NoteOut, "written_at"),
                cautions=await _children(session, IncidentCaution, incident.id, CautionOut),
                persons=await _children(session, IncidentPerson, incident.id, PersonOut),
                vehicles=await _children(session, IncidentVehicle, incident.id, VehicleOut),
                agencies=await _children(session, IncidentAgency, incident.id, AgencyOut),
                timeline=[
                    TimelineOut.model_validate(e) for e in await entries(session, incident.id)
                ],
            )
            await self._audit.record(
                session,
                context,
                AuditEntry("incident.read", object_type="incident", object_id=incident.id),
            )
        return detail

    async def claim(
        self, incident_id: str, context: RequestContext, *, take_over: bool = False
    ) -> ClaimOut:
        """Claim an incident for the caller; a supervisor may take over someone else's claim."""
        now = self._clock.now()
        async with self._db.session() as session:
            incident = await _get(session, incident_id, for_update=True)
            event = claims.claim(session, incident, context, now, take_over=take_over)
            if event is not None:
                await self._audit.record(session, context, claims.audit_entry(incident, event))
            result = claims.claim_out(incident)
        if event is not None:
            await self._publish_claim(incident, event, context, now)
        return result

    async def release(self, incident_id: str, context: RequestContext) -> ClaimOut:
        """Release the caller's claim (a supervisor may release anyone's)."""
        now = self._clock.now()
        async with self._db.session() as session:
            incident = await _get(session, incident_id, for_update=True)
            event = claims.release(session, incident, context, now)
            await self._audit.record(session, context, claims.audit_entry(incident, event))
            result = claims.claim_out(incident)
        await self._publish_claim(incident, event, context, now)
        return result

    async def _publish_claim(
        self, incident: Incident, event: claims.ClaimEvent, context: RequestContext, now: datetime
    ) -> None:
        await self._publish(event.kind, event.payload, incident, context, now)

    async def add_note(self, incident_id: str, text: str, context: RequestContext) -> NoteOut:
        """Add an intel note: stored, on the timeline, audited, then published."""
        now = self._clock.now()
        async with self._db.session() as session:
            incident = await _get(session, incident_id)
            note, payload = claims.add_note(session, incident, text, context, now)
            await self._audit.record(
                session,
                context,
                AuditEntry(
                    "incident.note.added",
                    object_type="incident",
                    object_id=incident.id,
                    details={"note_id": note.id, "length": len(text)},
                ),
            )
            out = NoteOut.model_validate(note)
        await self._publish("incident.note.added", payload, incident, context, now)
        return out

    async def _publish(
        self,
        kind: str,
        payload: BaseModel,
        incident: Incident,
        context: RequestContext,
        now: datetime,
    ) -> None:
        await self._bus.publish(
            Event[Any](
                kind=kind,
                source="watchfloor:incidents",
                occurred_at=now,
                received_at=now,
                location=location_of(incident),
                payload=payload,
                context=context,
            )
        )

    async def eido_export(self, ref: str, context: RequestContext) -> dict[str, Any]:
        """The latest EIDO document of an incident (by EIDO $id or internal id) with intel notes."""
        async with self._db.session() as session:
            incident = await _get(session, ref, by_eido_id=True)
            notes = await _intel_notes(session, incident.id)
            await self._audit.record(
                session,
                context,
                AuditEntry("incident.eido.read", object_type="incident", object_id=incident.id),
            )
        updated_at = max((n.written_at for n in notes), default=incident.last_updated_at)
        return self._with_notes(dict(incident.document), notes, "watchfloor", updated_at)


def _summary(incident: Incident) -> IncidentChanged:
    return IncidentChanged(
        incident_id=incident.id,
        eido_id=incident.eido_id,
        type_code=incident.type_code,
        priority=incident.priority,
        status=IncidentStatus(incident.status),
        address=incident.address,
        version=incident.version,
    )


async def _get(
    session: AsyncSession, ref: str, *, for_update: bool = False, by_eido_id: bool = False
) -> Incident:
    condition = (
        (Incident.id == ref) | (Incident.eido_id == ref) if by_eido_id else Incident.id == ref
    )
    query = select(Incident).where(condition).order_by(Incident.id).limit(1)
    if for_update:
        query = query.with_for_update()
    incident = (await session.execute(query)).scalar_one_or_none()
    if incident is None:
        raise NotFound("no such incident")
    return incident


async def _children(
    session: AsyncSession,
    model: Any,
    incident_id: str,
    out: type[BaseModel],
    order: str = "eido_id",
) -> list[Any]:
    rows = await session.execute(
        select(model)
        .where(model.incident_id == incident_id)
        .order_by(getattr(model, order), model.id)
    )
    return [out.model_validate(row) for row in rows.scalars()]


async def _intel_notes(session: AsyncSession, incident_id: str) -> list[NoteReport]:
    rows = await session.execute(
        select(IncidentNote)
        .where(IncidentNote.incident_id == incident_id, IncidentNote.origin == "intel")
        .order_by(IncidentNote.written_at, IncidentNote.id)
    )
    return [
        NoteReport(
            eido_id=note.eido_id or note.id,
            text=note.text,
            author=f"{note.author} ({note.designator})" if note.designator else note.author,
            written_at=note.written_at,
        )
        for note in rows.scalars()
    ]
