"""The RTCC call queue: open incidents in the policy manual's order (DPM 2.10.75 8.1)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import case, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session, defer

from watchfloor.domain.incidents.claims import who
from watchfloor.domain.incidents.models import Incident
from watchfloor.domain.incidents.schemas import QueueRow
from watchfloor.events.cad import IncidentStatus

CLOSED_STATUSES = (IncidentStatus.CLEARED.value, IncidentStatus.CLOSED.value)

# Priority 1 first, then Priority 2, then Priority 3-5 and unknown priority together.
PRIORITY_GROUP = case((Incident.priority == 1, 0), (Incident.priority == 2, 1), else_=2)


async def open_queue(session: AsyncSession, now: datetime, limit: int = 500) -> list[QueueRow]:
    """Open incidents: by priority group, then oldest received first; ties by eido_id, id."""
    rows = await session.execute(
        select(Incident)
        .options(defer(Incident.document))
        .where(Incident.status.not_in(CLOSED_STATUSES))
        .order_by(PRIORITY_GROUP, Incident.received_at, Incident.eido_id, Incident.id)
        .limit(limit)
    )
    return [_row(incident, now) for incident in rows.scalars()]


def queue_row(session: Session, incident_id: str, now: datetime) -> QueueRow | None:
    """The queue row of one incident; None when it is closed or unknown."""
    incident = session.scalar(
        select(Incident)
        .options(defer(Incident.document))
        .where(Incident.id == incident_id, Incident.status.not_in(CLOSED_STATUSES))
    )
    return None if incident is None else _row(incident, now)


def _row(incident: Incident, now: datetime) -> QueueRow:
    claimed_by = None
    if incident.claimed_by_username is not None:
        claimed_by = who(incident.claimed_by_username, incident.claimed_by_designator)
    return QueueRow(
        id=incident.id,
        eido_id=incident.eido_id,
        type=incident.type_code,
        type_text=incident.type_text,
        priority=incident.priority,
        status=IncidentStatus(incident.status),
        address=incident.address,
        received_at=incident.received_at,
        received_age_s=max(0.0, (now - incident.received_at).total_seconds()),
        claimed_by=claimed_by,
        claimed_by_username=incident.claimed_by_username,
        lat=incident.lat,
        lon=incident.lon,
    )
