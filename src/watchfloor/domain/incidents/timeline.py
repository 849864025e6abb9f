"""The incident timeline: every status change, unit status change, note, claim and release."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from watchfloor.domain.incidents.models import IncidentTimelineEntry


def add_entry(
    session: AsyncSession | Session,
    incident_id: str,
    at: datetime,
    kind: str,
    actor: str,
    details: dict[str, Any],
) -> None:
    """Add one entry to an incident's timeline in the caller's transaction."""
    session.add(
        IncidentTimelineEntry(
            incident_id=incident_id, at=at, kind=kind, actor=actor[:200], details=details
        )
    )


async def entries(session: AsyncSession, incident_id: str) -> list[IncidentTimelineEntry]:
    """An incident's timeline, oldest first (insertion order breaks ties)."""
    rows = await session.execute(
        select(IncidentTimelineEntry)
        .where(IncidentTimelineEntry.incident_id == incident_id)
        .order_by(IncidentTimelineEntry.at, IncidentTimelineEntry.id)
    )
    return list(rows.scalars())
