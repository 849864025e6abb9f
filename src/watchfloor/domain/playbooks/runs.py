"""Playbook runs on incidents: started when an incident arrives, steps completed or skipped by
the floor (audited, on the incident timeline, published), overdue steps lapsed by a job."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from watchfloor.audit.service import AuditEntry, AuditLog
from watchfloor.core.bus import EventBus, Subscription
from watchfloor.core.clock import Clock
from watchfloor.core.context import RequestContext
from watchfloor.core.errors import Conflict, NotFound
from watchfloor.core.events import Event
from watchfloor.db.engine import Database
from watchfloor.domain.incidents.claims import who
from watchfloor.domain.incidents.models import Incident
from watchfloor.domain.incidents.queue import CLOSED_STATUSES
from watchfloor.domain.incidents.timeline import add_entry
from watchfloor.domain.playbooks import run_store
from watchfloor.domain.playbooks.library import SYSTEM, PlaybookLibrary
from watchfloor.domain.playbooks.matching import Candidate, choose
from watchfloor.domain.playbooks.models import Playbook, PlaybookRun, PlaybookStep
from watchfloor.domain.playbooks.schemas import PlaybookChanged, RunOut, StepState
from watchfloor.settings import PlaybookSettings

log = logging.getLogger(__name__)
SOURCE = "watchfloor:playbooks"
INCIDENT_KINDS = "incident.*"
SYSTEM_NAME = SYSTEM.actor.username
CATCH_UP_LIMIT = 2000
CLOSED_STEP_STATES = frozenset({StepState.DONE.value, StepState.SKIPPED.value})


class PlaybookRuns:
    """Starts, advances and lapses the runs; every change durable before it is published."""

    def __init__(
        self,
        db: Database,
        clock: Clock,
        bus: EventBus,
        audit: AuditLog,
        library: PlaybookLibrary,
        settings: PlaybookSettings,
    ) -> None:
        self._db = db
        self._clock = clock
        self._bus = bus
        self._audit = audit
        self._library = library
        self._settings = settings
        self._with_run: set[str] = set()

    def subscribe(self) -> Subscription:
        """The incident events `follow` consumes (subscribe before the app takes requests)."""
        return self._bus.subscribe(INCIDENT_KINDS)

    async def follow(self, subscription: Subscription) -> None:
        """Task body: start a run for each new incident, or for an open one that now matches
        (its type or priority changed), until cancelled."""
        try:
            async for event in subscription:
                if event.kind not in ("incident.created", "incident.updated"):
                    continue
                try:
                    await self._on_incident(event.payload)
                except Exception:
                    log.exception("playbook not started for %s", event.kind)
        finally:
            subscription.close()

    async def _on_incident(self, change: Any) -> None:
        incident_id = change.incident_id
        if str(change.status) in CLOSED_STATUSES:
            self._with_run.discard(incident_id)  # closed for good: no need to remember it
            return
        if not self._settings.auto_start or incident_id in self._with_run:
            return
        # Most updates are of incidents no playbook is for: decide that without the store.
        if self._choose([change.type_code], change.priority) is None:
            return
        await self.start_for(incident_id)

    async def catch_up(self) -> int:
        """Start runs for open incidents that have none (after a restart); returns how many."""
        if not self._settings.auto_start:
            return 0
        async with self._db.read_session() as session:
            keys = await run_store.open_without_run(session, CATCH_UP_LIMIT)
        started = 0
        for key in keys:
            if self._choose([key.type_code, key.type_internal_code], key.priority) is None:
                continue
            started += await self.start_for(key.incident_id) is not None
        return started

    async def start_for(self, incident_id: str) -> RunOut | None:
        """Start the matching playbook on an open incident without a run; None when it has one
        already, is closed or unknown, or no playbook is for it."""
        now = self._clock.now()
        try:
            had_run, started = await self._db.write_in_thread(
                lambda session: self._start(session, incident_id, now)
            )
        except IntegrityError:  # started concurrently (the catch-up and an event): theirs stands
            had_run, started = True, None
        if had_run or started is not None:
            self._with_run.add(incident_id)
        if started is None:
            return None
        await self._publish("playbook.run.started", started, None, now)
        return started

    def _start(
        self, session: Session, incident_id: str, now: datetime
    ) -> tuple[bool, RunOut | None]:
        # In one worker-thread hop (the store's own round trips never wait on the event loop);
        # whether the incident had a run already, and the run started.
        if run_store.has_run_in(session, incident_id):
            return True, None
        incident = session.scalar(select(Incident).where(Incident.id == incident_id))
        if incident is None or incident.status in CLOSED_STATUSES:
            return False, None
        chosen = self._choose([incident.type_code, incident.type_internal_code], incident.priority)
        playbook = None if chosen is None else session.get(Playbook, chosen.code)
        if playbook is None:
            return False, None
        run, steps = run_store.new_run(incident_id, playbook, now)
        session.add(run)
        session.flush()  # the run before its steps (their foreign key)
        session.add_all(steps)
        details = {"playbook": playbook.code, "version": playbook.version, "steps": len(steps)}
        add_entry(session, incident_id, now, "playbook.started", SYSTEM_NAME, details)
        entry = AuditEntry(
            "playbook.run.started", object_type="incident", object_id=incident_id, details=details
        )
        self._audit.append(session, SYSTEM, [entry])
        return False, run_store.run_out(run, steps)

    def _choose(self, type_codes: list[str | None], priority: int | None) -> Candidate | None:
        return choose(
            self._library.candidates(), type_codes, priority, fallback=self._settings.fallback
        )

    async def get(self, incident_id: str) -> RunOut:
        """The incident's run; 404 when it has none."""
        async with self._db.read_session() as session:
            return run_store.run_out(*await run_store.load_run(session, incident_id))

    async def complete(
        self, incident_id: str, key: str, note: str | None, context: RequestContext
    ) -> RunOut:
        """Mark a step done by the caller, now (audited, on the timeline, published)."""
        return await self._close_step(incident_id, key, StepState.DONE, note, context)

    async def skip(
        self, incident_id: str, key: str, reason: str, context: RequestContext
    ) -> RunOut:
        """Skip a step, with the reason (audited, on the timeline, published)."""
        return await self._close_step(incident_id, key, StepState.SKIPPED, reason, context)

    async def _close_step(
        self,
        incident_id: str,
        key: str,
        state: StepState,
        note: str | None,
        context: RequestContext,
    ) -> RunOut:
        now = self._clock.now()
        kind = "playbook.step.completed" if state is StepState.DONE else "playbook.step.skipped"
        actor = who(context.actor.username, context.actor.designator)
        async with self._db.session() as session:
            run, steps = await run_store.load_run(session, incident_id, for_update=True)
            step = _step(steps, key)
            was = step.state
            step.state, step.done_at, step.done_by, step.note = state.value, now, actor, note
            details = _step_details(run, step, was)
            add_entry(session, incident_id, now, kind, actor, details)
            entry = AuditEntry(kind, object_type="incident", object_id=incident_id, details=details)
            await self._audit.record(session, context, entry)
            out = run_store.run_out(run, steps)
        await self._publish(kind, out, key, now, context)
        return out

    async def lapse_due(self) -> int:
        """Mark open steps past their due time lapsed, once each (on the timeline, published);
        returns how many lapsed."""
        now = self._clock.now()
        changed: list[tuple[str, RunOut]] = []
        async with self._db.session() as session:
            due = await run_store.overdue(session, now)
            runs: dict[str, PlaybookRun] = {}
            for step, run in due:
                step.state, step.lapsed_at = StepState.LAPSED.value, now
                runs[run.id] = run
                details = _step_details(run, step, StepState.OPEN.value)
                add_entry(
                    session, run.incident_id, now, "playbook.step.lapsed", SYSTEM_NAME, details
                )
            await session.flush()
            outs = {
                run_id: run_store.run_out(run, await run_store.steps_of(session, run_id))
                for run_id, run in runs.items()
            }
            changed = [(step.key, outs[run.id]) for step, run in due]
        for key, out in changed:
            await self._publish("playbook.step.lapsed", out, key, now)
        return len(changed)

    async def _publish(
        self,
        kind: str,
        run: RunOut,
        step_key: str | None,
        now: datetime,
        context: RequestContext | None = None,
    ) -> None:
        await self._bus.publish(
            Event[PlaybookChanged](
                kind=kind,
                source=SOURCE,
                occurred_at=now,
                received_at=now,
                payload=PlaybookChanged(incident_id=run.incident_id, step_key=step_key, run=run),
                context=context,
            )
        )


def _step(steps: list[PlaybookStep], key: str) -> PlaybookStep:
    for step in steps:
        if step.key == key:
            if step.state in CLOSED_STEP_STATES:
                raise Conflict(
                    f"step {key} is already {step.state} ({step.done_by})", "step_closed"
                )
            return step
    raise NotFound(f"this incident's playbook has no step {key}")


def _step_details(run: PlaybookRun, step: PlaybookStep, was: str) -> dict[str, Any]:
    details: dict[str, Any] = {
        "playbook": run.playbook_code,
        "step": step.key,
        "title": step.title,
        "was": was,
        "due_at": step.due_at.isoformat() if step.due_at else None,
    }
    if step.note:
        details["note"] = step.note
    return details
