"""Applies the rules' actions (alert desk calls, local incidents, PTZ commands, timeline entries,
callouts) off the decision loop: jobs queue up and a few workers apply them, so a slow camera or
mail server never stalls the decisions. In a job, camera cues go out at once (slewing waits for
nothing), the alert desk's changes are applied in order, then the looks around the alert. Jobs
that only follow up older alerts (escalations, callouts) have a lane and a worker of their own,
so a wave of them never queues ahead of a new alert's job nor crowds the store's writer."""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from watchfloor.audit.service import AuditLog
from watchfloor.core.clock import Clock
from watchfloor.correlation.actions import (
    PENDING,
    Action,
    Attach,
    CallOut,
    CueCameras,
    Escalate,
    ListUnits,
    Merge,
    OpenIncident,
    SetPriority,
    SweepPlates,
)
from watchfloor.correlation.callouts import CORRELATION, CalloutDesk
from watchfloor.correlation.ports import AlertActions, OpenLocal, ReadsNear, Sight, Steering, Units
from watchfloor.correlation.rules.camera_cue import CueSetup, plan
from watchfloor.correlation.settling import DESK_ACTIONS, Settling, changed_by, desk_steps
from watchfloor.correlation.slewing import audit_cues, ready_cameras, steer
from watchfloor.correlation.timeline import TimelineWriter, sweep_note, units_note
from watchfloor.db.engine import Database
from watchfloor.settings import CorrelationSettings

log = logging.getLogger(__name__)
FOLLOW_UPS = (Escalate, CallOut)
PENDING_WAIT_S = 30.0
KEEP_RESOLVED = 10_000


@dataclass
class Effects:
    """Everything the executor acts through; the optional parts switch their rules' effects off."""

    desk: AlertActions
    open_local: OpenLocal
    db: Database
    clock: Clock
    audit: AuditLog
    callouts: CalloutDesk
    duty: Callable[[], Awaitable[list[str]]]
    cues: Callable[[], Mapping[str, CueSetup]]
    sight: Sight | None = None
    steering: Steering | None = None
    units: Units | None = None
    reads_near: ReadsNear | None = None


@dataclass(frozen=True, slots=True)
class Job:
    """The actions one decision produced, applied in order."""

    alert_id: str | None
    actions: tuple[Action, ...]


Queued = tuple[Job, asyncio.Future[None] | None]  # a job and the settling it ends


def _ts(value: float) -> datetime:
    return datetime.fromtimestamp(value, UTC)


class Executor:
    """Queues jobs and applies them with `workers` tasks."""

    def __init__(
        self,
        effects: Effects,
        settings: CorrelationSettings,
        incident_of: Callable[[str], str | None],
        opened: Callable[[str, str], None],
    ) -> None:
        self.effects = effects
        self.timeline = TimelineWriter(
            effects.db, settings.executor_batch, settings.timeline_linger_s
        )
        self._settings = settings
        self._incident_of = incident_of
        self._opened = opened
        self._queue: asyncio.Queue[Queued] = asyncio.Queue()
        self._follow_ups: asyncio.Queue[Queued] = asyncio.Queue()
        self.settling = Settling()
        self._ready = asyncio.Event()
        self._pending: OrderedDict[str, asyncio.Future[str]] = OrderedDict()
        self._tasks: list[asyncio.Task[None]] = []
        self._readying: set[asyncio.Task[None]] = set()
        self._outstanding = 0
        self.applied = 0
        self.failed = 0

    def submit(self, job: Job) -> None:
        """Queue a job (never blocks); an incident it opens is awaitable at once."""
        for action in job.actions:
            if isinstance(action, OpenIncident):
                future: asyncio.Future[str] = asyncio.get_running_loop().create_future()
                future.add_done_callback(_consume_failure)
                self._pending[action.pending_id] = future
        keys = changed_by(job.actions)
        change = self.settling.begin(keys) if keys else None
        self._outstanding += 1
        follow_up = all(isinstance(action, FOLLOW_UPS) for action in job.actions)
        (self._follow_ups if follow_up else self._queue).put_nowait((job, change))

    @property
    def idle(self) -> bool:
        """Nothing queued or being applied."""
        return self._outstanding == 0

    def start(self) -> None:
        """Start the workers and the timeline writer."""
        for i in range(self._settings.executor_workers):
            work = self._work(self._queue)
            self._tasks.append(asyncio.create_task(work, name=f"correlation-effects-{i}"))
        follow_ups = self._work(self._follow_ups)
        self._tasks.append(asyncio.create_task(follow_ups, name="correlation-follow-ups"))
        self._tasks.append(asyncio.create_task(self.timeline.run(), name="correlation-timeline"))
        self._ready = asyncio.Event()
        self._tasks.append(asyncio.create_task(self._ready_cameras(), name="correlation-ptz-ready"))

    async def cameras_ready(self) -> None:
        """Until the slew-to-cue cameras' PTZ sessions have been opened (or tried)."""
        await self._ready.wait()

    def camera_set_up(self, code: str) -> None:
        """A camera's cue setup was put: open its PTZ session now, not on its first cue."""
        setup = self.effects.cues().get(code)
        steering = self.effects.steering
        if not self._tasks or steering is None or setup is None or not setup.enabled:
            return  # not started (start readies every camera), no PTZ control, or cue off
        task = asyncio.create_task(ready_cameras(steering, [code]), name=f"ptz-ready-{code}")
        self._readying.add(task)
        task.add_done_callback(self._readying.discard)

    async def _ready_cameras(self) -> None:
        try:
            if (steering := self.effects.steering) is not None:
                enabled = [code for code, setup in self.effects.cues().items() if setup.enabled]
                await ready_cameras(steering, enabled)
        finally:
            self._ready.set()

    async def join(self) -> None:
        """Wait until every queued job is applied and its timeline entries are written."""
        await self._queue.join()
        await self._follow_ups.join()
        await self.timeline.flush()

    async def stop(self) -> None:
        """Stop the workers (queued jobs are dropped) and write the timeline entries gathered."""
        for task in [*self._tasks, *self._readying]:
            task.cancel()
        await asyncio.gather(*self._tasks, *self._readying, return_exceptions=True)
        self._tasks.clear()
        await self.timeline.flush()

    async def _work(self, queue: asyncio.Queue[Queued]) -> None:
        while True:
            job, change = await queue.get()
            try:
                await self.run_job(job, change)
            finally:
                self._outstanding -= 1
                queue.task_done()

    async def run_job(self, job: Job, change: asyncio.Future[None] | None = None) -> None:
        """Apply one job: its camera cues at once, beside the rest; the desk's changes in order
        (then `change` is done); then the looks around. A failed action is logged, the rest run.
        A cue's commands go out at once, its records once the desk's changes are in: the packet
        waits on those, and the records would otherwise hold the writer ahead of them."""
        desk = asyncio.Event()
        cues = [
            asyncio.create_task(self._guarded(a, desk))
            for a in job.actions
            if isinstance(a, CueCameras)
        ]
        try:
            for action, priority in desk_steps(job.actions):
                await self._guarded(action, priority=priority)
            desk.set()
            _done(change)
            for action in job.actions:
                if not isinstance(action, (*DESK_ACTIONS, CueCameras)):
                    await self._guarded(action)
            await asyncio.gather(*cues)
        finally:
            for task in cues:
                task.cancel()  # only when this worker is stopped midway
            _done(change)

    async def _guarded(
        self,
        action: Action,
        desk: asyncio.Event | None = None,
        priority: SetPriority | None = None,
    ) -> None:
        try:
            await self._apply(action, desk, priority)
            self.applied += 1 if priority is None else 2
        except Exception:
            self.failed += 1
            log.exception("correlation: %s failed", type(action).__name__)

    async def _apply(
        self,
        action: Action,
        desk: asyncio.Event | None = None,
        priority: SetPriority | None = None,
    ) -> None:
        match action:
            case SetPriority():
                await self._set_priority(action)
            case Merge():
                await self.effects.desk.merge(action.into_id, action.duplicate_id, action.rule)
            case Attach():
                await self._attach(action, priority)
            case OpenIncident():
                await self._open(action, priority)
            case CueCameras():
                await self._cue(action, desk)
            case SweepPlates():
                await self._sweep(action)
            case ListUnits():
                await self._units(action)
            case Escalate():
                await self._escalate(action)
            case CallOut():
                await self._call_out(action)

    async def resolve(self, incident_id: str | None) -> str | None:
        """A real incident id for an id that may still be pending (None when it failed)."""
        if incident_id is None or not incident_id.startswith(PENDING):
            return incident_id
        future = self._pending.get(incident_id)
        if future is None:
            return None
        try:
            return await asyncio.wait_for(asyncio.shield(future), PENDING_WAIT_S)
        except Exception:
            return None

    async def incident_for(self, alert_id: str) -> str | None:
        """The real id of the incident the alert belongs to, if any."""
        return await self.resolve(self._incident_of(alert_id))

    def _note(self, incident_id: str | None, kind: str, details: dict[str, Any]) -> None:
        if incident_id is not None:
            self.timeline.add(incident_id, self.effects.clock.now(), kind, details)

    async def _set_priority(self, action: SetPriority) -> None:
        await self.effects.desk.set_priority(action.alert_id, action.priority, action.rule)

    async def _attach(self, action: Attach, priority: SetPriority | None = None) -> None:
        incident_id = await self.resolve(action.incident_id)
        if incident_id is None:
            if priority is not None:
                await self._set_priority(priority)
            return
        await self.effects.desk.attach(action.alert_id, incident_id, action.rule, _pair(priority))
        details = {
            "alert_id": action.alert_id,
            "rule": action.rule,
            "distance_m": action.distance_m,
        }
        self._note(incident_id, "correlation.alert_attached", details)

    async def _open(self, action: OpenIncident, priority: SetPriority | None = None) -> None:
        future = self._pending[action.pending_id]
        try:
            incident_id = await self.effects.open_local(action.spec, CORRELATION)
        except Exception as error:
            future.set_exception(error)
            if priority is not None:
                await self._set_priority(priority)
            raise
        future.set_result(incident_id)
        self.settling.alias(action.pending_id, incident_id)
        self._opened(action.pending_id, incident_id)
        while len(self._pending) > KEEP_RESOLVED and next(iter(self._pending.values())).done():
            self._pending.popitem(last=False)
        await self.effects.desk.attach(action.alert_id, incident_id, action.rule, _pair(priority))
        details = {"alert_id": action.alert_id, "rule": action.rule, "opened": True}
        self._note(incident_id, "correlation.alert_attached", details)

    async def _cue(self, action: CueCameras, desk: asyncio.Event | None) -> None:
        sight, settings = self.effects.sight, self._settings
        if sight is None:
            return
        seen = await sight.can_see(action.lat, action.lon, near_m=settings.cue_near_m, limit=20)
        cues = plan(seen, self.effects.cues(), action.lat, action.lon, settings.cue_preset_max_m)
        steering, clock = self.effects.steering, self.effects.clock
        sent = await asyncio.gather(*(steer(steering, clock, cue) for cue in cues))
        if desk is not None:
            await desk.wait()
        await audit_cues(self.effects.db, self.effects.audit, sent, action.alert_id)
        details = {
            "alert_id": action.alert_id,
            "cameras": [
                {"code": s.code, "coverage": s.coverage, "distance_m": round(s.distance_m, 1)}
                for s in seen[:10]
            ],
            "cued": list(sent),
        }
        self._note(await self.incident_for(action.alert_id), "correlation.cameras_cued", details)

    async def _sweep(self, action: SweepPlates) -> None:
        reads_near = self.effects.reads_near
        incident_id = await self.incident_for(action.alert_id)
        if reads_near is None or incident_id is None:
            return
        start, end = _ts(action.start), _ts(action.end)
        activity = await self.effects.db.read_in_thread(
            lambda session: reads_near(session, action.lat, action.lon, action.radius_m, start, end)
        )
        details = sweep_note(action.alert_id, action.radius_m, start, end, activity)
        self._note(incident_id, "correlation.plate_sweep", details)

    async def _units(self, action: ListUnits) -> None:
        units = self.effects.units
        incident_id = await self.incident_for(action.alert_id)
        if units is None or incident_id is None:
            return
        nearest = await units.nearest(action.lat, action.lon, limit=action.limit)
        note = units_note(action.alert_id, nearest)
        self._note(incident_id, "correlation.units_nearby", note)

    async def _escalate(self, action: Escalate) -> None:
        on_duty = await self.effects.duty()
        on_call = self.effects.callouts.recipients()
        to = on_duty or [r.name for r in on_call]
        reason = f"P{action.priority} alert unacknowledged for {action.waited_s:.0f} s"
        await self.effects.desk.escalate(action.alert_id, to, reason)
        incident_id = await self.incident_for(action.alert_id)
        if not on_duty and on_call:
            callout = CallOut(
                f"escalation:{action.alert_id}",
                action.alert_id,
                incident_id,
                reason,
                rule=action.rule,
            )
            await self.effects.callouts.call_out(callout, incident_id, callout.subject_key)
        details = {
            "alert_id": action.alert_id,
            "to": to,
            "on_duty": bool(on_duty),
            "reason": reason,
        }
        self._note(incident_id, "correlation.escalated", details)

    async def _call_out(self, action: CallOut) -> None:
        incident_id = await self.resolve(action.incident_id)
        key = f"incident:{incident_id}" if incident_id else action.subject_key
        await self.effects.callouts.call_out(action, incident_id, key)


def _pair(priority: SetPriority | None) -> tuple[int, str] | None:
    return None if priority is None else (priority.priority, priority.rule)


def _done(change: asyncio.Future[None] | None) -> None:
    if change is not None and not change.done():
        change.set_result(None)


def _consume_failure(future: asyncio.Future[str]) -> None:
    if not future.cancelled():
        future.exception()  # retrieved here so a failed opening is not reported twice
