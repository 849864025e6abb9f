"""Who works an incident (claim, take-over, release) and the intel notes operators add to it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from watchfloor.audit.service import AuditEntry
from watchfloor.core.context import RequestContext, Role
from watchfloor.core.errors import Conflict, Forbidden
from watchfloor.domain.incidents.models import Incident, IncidentNote, new_id
from watchfloor.domain.incidents.schemas import ClaimOut, IncidentClaimChanged, IncidentNoteAdded
from watchfloor.domain.incidents.timeline import add_entry


@dataclass(frozen=True)
class ClaimEvent:
    """A claim change to audit and publish."""

    kind: str
    payload: IncidentClaimChanged


def who(username: str | None, designator: str | None) -> str:
    """How the floor names a person: the CAD designator when there is one."""
    return designator or username or "unknown"


def claim(
    session: AsyncSession,
    incident: Incident,
    context: RequestContext,
    now: datetime,
    *,
    take_over: bool,
) -> ClaimEvent | None:
    """Claim for the caller; None when the caller already holds the claim."""
    actor = context.actor
    previous = incident.claimed_by_username
    if incident.claimed_by_user_id == actor.user_id and previous is not None:
        return None
    if previous is not None:
        holder = who(previous, incident.claimed_by_designator)
        if not take_over:
            raise Conflict(
                f"incident is already claimed by {holder} ({previous})", "already_claimed"
            )
        if actor.role is not Role.SUPERVISOR:
            raise Forbidden("only a supervisor may take over a claimed incident", "not_supervisor")
    incident.claimed_by_user_id = actor.user_id
    incident.claimed_by_username = actor.username
    incident.claimed_by_designator = actor.designator
    incident.claimed_at = now
    incident.version += 1
    details = {"previous": previous} if previous else {}
    add_entry(session, incident.id, now, "claimed", who(actor.username, actor.designator), details)
    return ClaimEvent("incident.claimed", _payload(incident.id, context, previous))


def release(
    session: AsyncSession, incident: Incident, context: RequestContext, now: datetime
) -> ClaimEvent:
    """Release the claim: only its holder or a supervisor may."""
    actor = context.actor
    previous = incident.claimed_by_username
    if previous is None:
        raise Conflict("incident is not claimed", "not_claimed")
    if incident.claimed_by_user_id != actor.user_id and actor.role is not Role.SUPERVISOR:
        holder = who(previous, incident.claimed_by_designator)
        raise Forbidden(f"only {holder} or a supervisor may release this incident", "not_claimer")
    incident.claimed_by_user_id = None
    incident.claimed_by_username = None
    incident.claimed_by_designator = None
    incident.claimed_at = None
    incident.version += 1
    add_entry(
        session,
        incident.id,
        now,
        "released",
        who(actor.username, actor.designator),
        {"previous": previous},
    )
    return ClaimEvent("incident.released", _payload(incident.id, context, previous))


def _payload(
    incident_id: str, context: RequestContext, previous: str | None
) -> IncidentClaimChanged:
    actor = context.actor
    return IncidentClaimChanged(
        incident_id=incident_id,
        user_id=actor.user_id,
        username=actor.username,
        designator=actor.designator,
        previous_username=previous,
    )


def audit_entry(incident: Incident, event: ClaimEvent) -> AuditEntry:
    """The audit record of a claim change."""
    details = (
        {"previous": event.payload.previous_username} if event.payload.previous_username else {}
    )
    return AuditEntry(event.kind, object_type="incident", object_id=incident.id, details=details)


def claim_out(incident: Incident) -> ClaimOut:
    """The claim state of an incident."""
    return ClaimOut(
        incident_id=incident.id,
        claimed_by_user_id=incident.claimed_by_user_id,
        claimed_by_username=incident.claimed_by_username,
        claimed_by_designator=incident.claimed_by_designator,
        claimed_at=incident.claimed_at,
    )


def add_note(
    session: AsyncSession, incident: Incident, text: str, context: RequestContext, now: datetime
) -> tuple[IncidentNote, IncidentNoteAdded]:
    """Store an intel note by the caller and put it on the timeline."""
    actor = context.actor
    note = IncidentNote(
        id=new_id(),
        incident_id=incident.id,
        eido_id=None,
        origin="intel",
        author=actor.username,
        author_user_id=actor.user_id,
        designator=actor.designator,
        text=text,
        written_at=now,
    )
    session.add(note)
    incident.version += 1
    add_entry(
        session,
        incident.id,
        now,
        "note.added",
        who(actor.username, actor.designator),
        {"origin": "intel", "note_id": note.id},
    )
    payload = IncidentNoteAdded(
        incident_id=incident.id,
        note_id=note.id,
        text=text,
        author=actor.username,
        designator=actor.designator,
    )
    return note, payload
