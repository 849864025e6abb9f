"""Reading and writing runs in the caller's session: build a run from a playbook, load one with
its steps, show it, and find the steps that are overdue."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from watchfloor.core.errors import NotFound
from watchfloor.domain.incidents.models import Incident
from watchfloor.domain.incidents.queue import CLOSED_STATUSES
from watchfloor.domain.playbooks.models import Playbook, PlaybookRun, PlaybookStep
from watchfloor.domain.playbooks.schemas import RunOut, StepOut, StepSpec, StepState

MAX_LAPSED_PER_CHECK = 500


class IncidentKey(NamedTuple):
    """What matching needs of an incident."""

    incident_id: str
    type_code: str
    type_internal_code: str | None
    priority: int | None


def new_run(
    incident_id: str, playbook: Playbook, now: datetime
) -> tuple[PlaybookRun, list[PlaybookStep]]:
    """A run of the playbook for the incident, started now, with every step's due time."""
    run = PlaybookRun(
        id=str(uuid.uuid4()),
        incident_id=incident_id,
        playbook_code=playbook.code,
        playbook_version=playbook.version,
        title=playbook.title,
        started_at=now,
    )
    steps = []
    for position, raw in enumerate(playbook.steps):
        spec = StepSpec.model_validate(raw)
        due = None if spec.due_after_s is None else now + timedelta(seconds=spec.due_after_s)
        steps.append(
            PlaybookStep(
                run_id=run.id,
                position=position,
                key=spec.key,
                title=spec.title,
                detail=spec.detail,
                due_at=due,
                state=StepState.OPEN.value,
            )
        )
    return run, steps


async def has_run(session: AsyncSession, incident_id: str) -> bool:
    """Whether the incident has a run already."""
    return await session.run_sync(has_run_in, incident_id)


def has_run_in(session: Session, incident_id: str) -> bool:
    """`has_run` in a synchronous session."""
    found = session.scalar(select(PlaybookRun.id).where(PlaybookRun.incident_id == incident_id))
    return found is not None


async def load_run(
    session: AsyncSession, incident_id: str, *, for_update: bool = False
) -> tuple[PlaybookRun, list[PlaybookStep]]:
    """The incident's run and its steps in order; 404 when it has none."""
    query = select(PlaybookRun).where(PlaybookRun.incident_id == incident_id)
    if for_update:
        query = query.with_for_update()
    run = (await session.execute(query)).scalar_one_or_none()
    if run is None:
        raise NotFound("this incident has no playbook run")
    return run, await steps_of(session, run.id)


async def steps_of(session: AsyncSession, run_id: str) -> list[PlaybookStep]:
    """A run's steps in playbook order."""
    rows = await session.scalars(
        select(PlaybookStep).where(PlaybookStep.run_id == run_id).order_by(PlaybookStep.position)
    )
    return list(rows)


def run_out(run: PlaybookRun, steps: list[PlaybookStep]) -> RunOut:
    """A run as the API and the consoles show it."""
    return RunOut(
        incident_id=run.incident_id,
        playbook=run.playbook_code,
        title=run.title,
        started_at=run.started_at,
        steps=[StepOut.model_validate(step) for step in steps],
    )


async def overdue(session: AsyncSession, now: datetime) -> list[tuple[PlaybookStep, PlaybookRun]]:
    """Open steps past their due time on incidents still open, oldest due first."""
    rows = await session.execute(
        select(PlaybookStep, PlaybookRun)
        .join(PlaybookRun, PlaybookRun.id == PlaybookStep.run_id)
        .join(Incident, Incident.id == PlaybookRun.incident_id)
        .where(
            PlaybookStep.state == StepState.OPEN.value,
            PlaybookStep.due_at <= now,
            Incident.status.not_in(CLOSED_STATUSES),
        )
        .order_by(PlaybookStep.due_at, PlaybookStep.id)
        .limit(MAX_LAPSED_PER_CHECK)
        .with_for_update(of=PlaybookStep)
    )
    return [(step, run) for step, run in rows]


async def open_without_run(session: AsyncSession, limit: int) -> list[IncidentKey]:
    """Open incidents that have no run (for the catch-up at start), oldest first."""
    runs = select(PlaybookRun.id).where(PlaybookRun.incident_id == Incident.id)
    rows = await session.execute(
        select(Incident.id, Incident.type_code, Incident.type_internal_code, Incident.priority)
        .where(Incident.status.not_in(CLOSED_STATUSES), ~runs.exists())
        .order_by(Incident.received_at, Incident.id)
        .limit(limit)
    )
    return [IncidentKey(*row) for row in rows]
