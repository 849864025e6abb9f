"""The after-action timeline of an incident: every event, alert, camera view and action on it in
time order, as JSON or as a PDF; reading and exporting it are audited."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import load_only

from watchfloor.audit.service import AuditEntry, AuditFilter, AuditLog
from watchfloor.core.clock import Clock
from watchfloor.core.context import RequestContext
from watchfloor.core.errors import NotFound
from watchfloor.db.engine import Database
from watchfloor.domain.cameras.viewing import CameraViewing
from watchfloor.domain.incidents.models import (
    EidoDocument,
    Incident,
    IncidentNote,
    IncidentTimelineEntry,
)
from watchfloor.domain.incidents.timeline import entries
from watchfloor.domain.playbooks import after_entries as source
from watchfloor.domain.playbooks import run_store
from watchfloor.domain.playbooks.after_entries import AlertView
from watchfloor.domain.playbooks.models import PlaybookRun, PlaybookStep
from watchfloor.domain.playbooks.pdf import IncidentFacts, render_after_action
from watchfloor.domain.playbooks.schemas import AfterActionEntry, AfterActionOut

MAX_AUDIT = 5000


class AlertsOfIncident(Protocol):
    """The alert desk's query of the alerts attached to an incident."""

    async def for_incident(self, incident_id: str) -> Sequence[AlertView]: ...


@dataclass
class _Stored:
    """What the incident's own tables hold, read in one session."""

    incident: Incident
    timeline: list[IncidentTimelineEntry]
    documents: list[EidoDocument]
    notes: dict[str, str]
    run: PlaybookRun | None = None
    steps: list[PlaybookStep] = field(default_factory=list)


class AfterAction:
    """Assembles, exports and audits the after-action timeline of incidents."""

    def __init__(
        self,
        db: Database,
        clock: Clock,
        audit: AuditLog,
        viewing: CameraViewing,
        alerts: AlertsOfIncident | None = None,
    ) -> None:
        self._db = db
        self._clock = clock
        self._audit = audit
        self._viewing = viewing
        self.alerts = alerts  # the alert desk, when this installation has one

    async def read(self, incident_id: str, context: RequestContext) -> AfterActionOut:
        """The timeline (an audited read)."""
        out = (await self._assemble(incident_id))[1]
        entry = AuditEntry(
            "incident.after_action.read",
            object_type="incident",
            object_id=incident_id,
            details={"entries": len(out.entries)},
        )
        await self._audit.record_alone(context, entry)
        return out

    async def export_pdf(self, incident_id: str, context: RequestContext) -> bytes:
        """The timeline as a PDF: title, incident summary, entries, who generated it when
        (audited as an export, with the document's SHA-256)."""
        stored, out = await self._assemble(incident_id)
        now = self._clock.now()
        actor = context.actor
        by = f"{actor.username} ({actor.designator})" if actor.designator else actor.username
        document = render_after_action(_facts(stored.incident), out.entries, now, by)
        entry = AuditEntry(
            "incident.after_action.exported",
            object_type="incident",
            object_id=incident_id,
            details={
                "format": "pdf",
                "entries": len(out.entries),
                "bytes": len(document),
                "sha256": hashlib.sha256(document).hexdigest(),
            },
        )
        await self._audit.record_alone(context, entry)
        return document

    async def _assemble(self, incident_id: str) -> tuple[_Stored, AfterActionOut]:
        async with self._db.read_session() as session:
            stored = await _stored(session, incident_id)
        alerts = list(await self.alerts.for_incident(incident_id)) if self.alerts else []
        incident = stored.incident
        refs = [r for r in (incident.id, incident.cad_incident_number, incident.eido_id) if r]
        views = await self._viewing.views_for_incident(refs, [a.id for a in alerts])
        records = await self._audit.query(
            AuditFilter(object_type="incident", object_id=incident_id, limit=MAX_AUDIT)
        )
        # Sources in tie order: at one instant, what arrived comes before what was done about it.
        gathered: list[AfterActionEntry] = [
            *source.from_documents(stored.documents),
            *source.from_timeline(stored.timeline, stored.notes),
            *source.from_alerts(alerts),
            *source.from_run(stored.run, stored.steps),
            *source.from_views(views),
            *source.from_audit(records),
        ]
        ordered = sorted(gathered, key=lambda entry: entry.at)
        return stored, AfterActionOut(incident_id=incident_id, entries=ordered)


async def _stored(session: AsyncSession, incident_id: str) -> _Stored:
    incident = await session.scalar(select(Incident).where(Incident.id == incident_id))
    if incident is None:
        raise NotFound("no such incident")
    documents = await session.scalars(
        select(EidoDocument)
        .options(load_only(*_DOCUMENT_COLUMNS))
        .where(EidoDocument.incident_id == incident_id)
        .order_by(EidoDocument.received_at, EidoDocument.id)
    )
    notes = await session.scalars(
        select(IncidentNote).where(IncidentNote.incident_id == incident_id)
    )
    stored = _Stored(
        incident=incident,
        timeline=await entries(session, incident_id),
        documents=list(documents),
        notes={(n.eido_id or n.id): n.text for n in notes},
    )
    if await run_store.has_run(session, incident_id):
        stored.run, stored.steps = await run_store.load_run(session, incident_id)
    return stored


_DOCUMENT_COLUMNS = (
    EidoDocument.id,
    EidoDocument.received_at,
    EidoDocument.source,
    EidoDocument.outcome,
    EidoDocument.sha256,
    EidoDocument.last_updated_at,
)


def _facts(incident: Incident) -> IncidentFacts:
    return IncidentFacts(
        incident_id=incident.id,
        cad_number=incident.cad_incident_number,
        type_code=incident.type_code,
        type_text=incident.type_text,
        priority=incident.priority,
        status=incident.status,
        address=incident.address,
        received_at=incident.received_at,
        closed_at=incident.closed_at,
    )
