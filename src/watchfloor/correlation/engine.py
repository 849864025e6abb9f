"""The correlation engine: follows alerts and incidents on the bus, keeps them in memory, runs the
rules on each change and hands their actions to the executor (which applies them asynchronously).

`decide` is the decision loop (synchronous, in memory); `tick` runs the time-driven rules
(escalation) and forgets old alerts."""

from __future__ import annotations

import asyncio
import heapq
import logging
import time
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

from watchfloor.core.bus import EventBus, Subscription
from watchfloor.core.clock import Clock
from watchfloor.core.events import Event
from watchfloor.correlation.actions import (
    PENDING,
    Action,
    Attach,
    CallOut,
    Merge,
    OpenIncident,
    SetPriority,
)
from watchfloor.correlation.executor import Effects, Executor, Job
from watchfloor.correlation.ports import Units
from watchfloor.correlation.rules import (
    callout,
    camera_cue,
    duplicates,
    escalation,
    gunshot_incident,
    incident_link,
    nearest_units,
    plate_sweep,
    severity,
)
from watchfloor.correlation.rules.base import RuleContext, Tuning
from watchfloor.correlation.state import AlertState, IncidentState, Memory
from watchfloor.domain.incidents.local import EIDO_PREFIX
from watchfloor.domain.incidents.schemas import IncidentChanged, QueueRow
from watchfloor.events.alerts import ALERT_RAISED, ALERT_UPDATED, AlertChanged
from watchfloor.settings import CorrelationSettings

log = logging.getLogger(__name__)
Rule = Callable[[AlertState, RuleContext], Action | None]
CHAIN: tuple[Rule, ...] = (
    severity.evaluate,
    duplicates.evaluate,
    incident_link.evaluate,
    gunshot_incident.evaluate,
    camera_cue.evaluate,
    plate_sweep.evaluate,
    nearest_units.evaluate,
    callout.evaluate,
)
"""The rules run on a new alert, in order; a merge ends the chain (the duplicate is done)."""
INCIDENT_KINDS = frozenset({"incident.created", "incident.updated"})


def alert_state(payload: AlertChanged, seen_at: float, previous: AlertState | None) -> AlertState:
    """The engine's record of an alert after a change (what only the engine knows is kept)."""
    incident_id = payload.incident_id
    if incident_id is None and previous is not None:
        incident_id = previous.incident_id  # the engine attached it; the desk has not caught up
    return AlertState(
        id=payload.alert_id,
        kind=payload.kind.value,
        status=payload.status.value,
        priority=payload.priority,
        title=payload.title,
        occurred_at=payload.occurred_at.timestamp(),
        seen_at=previous.seen_at if previous is not None else seen_at,
        lat=payload.lat,
        lon=payload.lon,
        sources=tuple(payload.sources),
        incident_id=incident_id,
        subject=payload.subject,
        address=payload.address,
        details=payload.details,
        escalated=payload.escalated_at is not None or (previous is not None and previous.escalated),
        merged_into=payload.merged_into,
        due_at=previous.due_at if previous is not None else None,
    )


class CorrelationEngine:
    """Decides in memory, acts through the executor."""

    def __init__(
        self,
        settings: CorrelationSettings,
        clock: Clock,
        bus: EventBus,
        effects: Effects,
        open_incidents: Callable[[], Awaitable[list[QueueRow]]],
    ) -> None:
        self.settings = settings
        self.tuning = Tuning.of(settings)
        grid_s = max(4 * settings.duplicate_window_s, 300.0)
        self.memory = Memory(settings.memory_s, grid_s)
        self.executor = Executor(effects, settings, self._incident_of, self.opened)
        self._clock = clock
        self._bus = bus
        self._effects = effects
        self._open_incidents = open_incidents
        self._deadlines: list[tuple[float, str]] = []
        self._members: dict[str, list[str]] = {}
        self._subscriptions: list[Subscription] = []
        self._tasks: list[asyncio.Task[None]] = []
        self._waiting: dict[str, bool] = {}
        self.decided = 0

    # --- the decision loop

    def handle(self, event: Event[Any]) -> list[Action]:
        """Decide on one event and queue the resulting actions."""
        actions = self.decide(event)
        if actions:
            alert_id = getattr(event.payload, "alert_id", None)
            self.executor.submit(Job(alert_id, tuple(actions)))
        return actions

    def decide(self, event: Event[Any]) -> list[Action]:
        """The actions the rules take on one bus event (memory updated as they anticipate)."""
        self.decided += 1
        kind = event.kind
        if kind.startswith("alert."):
            return self._on_alert(kind, event.payload)
        if kind in INCIDENT_KINDS:
            return self._on_incident(kind, event)
        return []

    def _context(self) -> RuleContext:
        return RuleContext(self.memory, self.tuning, self._clock.now().timestamp())

    def _on_alert(self, kind: str, payload: AlertChanged) -> list[Action]:
        ctx = self._context()
        previous = self.memory.alerts.get(payload.alert_id)
        alert = alert_state(payload, ctx.now, previous)
        self.memory.remember_alert(alert)
        if previous is not None and previous.incident_id != alert.incident_id:
            self._left_pending(previous)
        self._schedule(alert)
        if not alert.open:
            return []
        if kind == ALERT_RAISED or (previous is None and kind == ALERT_UPDATED):
            return self._run_chain(alert, ctx)
        if kind == ALERT_UPDATED:
            action = severity.evaluate(alert, ctx)
            if action is not None:
                self._anticipate(action, alert, ctx.now)
                return [action]
        return []

    def _run_chain(self, alert: AlertState, ctx: RuleContext) -> list[Action]:
        actions: list[Action] = []
        for rule in CHAIN:
            action = rule(alert, ctx)
            if action is None:
                continue
            actions.append(action)
            self._anticipate(action, alert, ctx.now)
            if isinstance(action, Merge):
                break
        return actions

    def _anticipate(self, action: Action, alert: AlertState, now: float) -> None:
        """Record in memory what an action will do, so later rules and events see it."""
        memory = self.memory
        if isinstance(action, SetPriority):
            alert.priority = action.priority
            self._schedule(alert)
        elif isinstance(action, Merge):
            alert.status, alert.merged_into = "merged", action.into_id
            memory.alert_grid.discard(alert.id)
        elif isinstance(action, Attach):
            alert.incident_id = action.incident_id
            if action.incident_id.startswith(PENDING):
                self._members.setdefault(action.incident_id, []).append(alert.id)
        elif isinstance(action, OpenIncident):
            pending = IncidentState(
                action.pending_id,
                alert.lat,
                alert.lon,
                alert.priority,
                "received",
                action.spec.type_code,
                now,
                pending=True,
            )
            memory.remember_incident(pending)
            alert.incident_id = action.pending_id
            self._members.setdefault(action.pending_id, []).append(alert.id)
        elif isinstance(action, CallOut):
            memory.called_out.add(action.subject_key)

    def _on_incident(self, kind: str, event: Event[Any]) -> list[Action]:
        payload: IncidentChanged = event.payload
        ctx = self._context()
        previous = self.memory.incidents.get(payload.incident_id)
        point = event.location
        lat = point.lat if point is not None else (previous.lat if previous else None)
        lon = point.lon if point is not None else (previous.lon if previous else None)
        incident = IncidentState(
            payload.incident_id,
            lat,
            lon,
            payload.priority,
            payload.status.value,
            payload.type_code,
            ctx.now,
        )
        self.memory.remember_incident(incident)
        if kind != "incident.created" or payload.eido_id.startswith(EIDO_PREFIX):
            return []  # a local incident's callout goes with the alert that opened it
        action = callout.evaluate_incident(incident, payload.address, ctx)
        if action is None:
            return []
        self.memory.called_out.add(action.subject_key)
        return [action]

    # --- pending incidents

    def _incident_of(self, alert_id: str) -> str | None:
        alert = self.memory.alerts.get(alert_id)
        return alert.incident_id if alert is not None else None

    async def packet_wanted(self, subject_type: str, subject_id: str) -> bool:
        """Wait (at most `settle_limit_s`) until the changes queued for this alert or incident
        are applied; then whether its context packet is wanted: not an alert's that went into
        an incident (that incident's packet follows) or was merged into another alert."""
        await asyncio.sleep(0)  # the decision loop takes in the event that brought this subject
        await self.executor.settling.wait(subject_id, self.settings.settle_limit_s)
        alert = self.memory.alerts.get(subject_id) if subject_type == "alert" else None
        if alert is None:
            return True
        attached = alert.incident_id is not None and not alert.incident_id.startswith(PENDING)
        return not attached and alert.merged_into is None

    def opened(self, pending_id: str, incident_id: str) -> None:
        """An incident the engine asked for exists: its alerts now point at the real id."""
        memory = self.memory
        pending = memory.incidents.get(pending_id)
        memory.forget_incident(pending_id)
        if pending is not None and incident_id not in memory.incidents:
            pending.id, pending.pending = incident_id, False
            memory.remember_incident(pending)
        for alert_id in self._members.pop(pending_id, []):
            alert = memory.alerts.get(alert_id)
            if alert is not None and alert.incident_id == pending_id:
                alert.incident_id = incident_id
        if f"incident:{pending_id}" in memory.called_out:
            memory.called_out.add(f"incident:{incident_id}")

    def _left_pending(self, previous: AlertState) -> None:
        members = self._members.get(previous.incident_id or "")
        if members and previous.id in members:
            members.remove(previous.id)

    # --- time-driven rules

    def _schedule(self, alert: AlertState) -> None:
        due = escalation.deadline(alert, self.settings.escalate_after_s)
        if due != alert.due_at:
            alert.due_at = due
            if due is not None:
                heapq.heappush(self._deadlines, (due, alert.id))

    def due(self) -> list[Action]:
        """Escalations whose time has come (memory marks them escalated)."""
        ctx = self._context()
        actions: list[Action] = []
        while self._deadlines and self._deadlines[0][0] <= ctx.now:
            _, alert_id = heapq.heappop(self._deadlines)
            alert = self.memory.alerts.get(alert_id)
            if alert is None:
                continue
            action = escalation.evaluate(alert, ctx)
            if action is None:
                self._schedule(alert)  # its priority changed: a later deadline (or none)
                continue
            alert.escalated = True
            actions.append(action)
        self.memory.prune(ctx.now)
        return actions

    async def tick(self) -> None:
        """Queue the due escalations (a periodic job; tests call it after moving the clock)."""
        for action in self.due():
            self.executor.submit(Job(getattr(action, "alert_id", None), (action,)))

    # --- lifecycle

    async def warm_start(self) -> None:
        """Remember the open alerts and open incidents from the store (no rules run)."""
        now = self._clock.now()
        since = now - timedelta(seconds=self.settings.memory_s)
        for payload in await self._effects.desk.open_alerts(since):
            alert = alert_state(payload, min(payload.occurred_at, now).timestamp(), None)
            self.memory.remember_alert(alert)
            self._schedule(alert)
        for row in await self._open_incidents():
            updated = row.received_at.timestamp()
            incident = IncidentState(
                row.id, row.lat, row.lon, row.priority, row.status.value, row.type, updated
            )
            self.memory.remember_incident(incident)

    def use(self, *, units: Units | None = None) -> None:
        """Collaborators built after the engine (the unit roster)."""
        if units is not None:
            self._effects.units = units

    async def start(self) -> None:
        """Warm start, subscribe to alerts and incidents, start the executor (when enabled)."""
        if not self.settings.enabled:
            return
        await self.warm_start()
        self.executor.start()
        for pattern in ("alert.>", "incident.>"):
            subscription = self._bus.subscribe(pattern, max_pending=100_000)
            self._subscriptions.append(subscription)
            self._tasks.append(
                asyncio.create_task(self._follow(subscription), name=f"correlation {pattern}")
            )

    async def _follow(self, subscription: Subscription) -> None:
        pattern = subscription.pattern
        while True:
            self._waiting[pattern] = True
            try:
                event = await subscription.get()
            except StopAsyncIteration:
                return
            finally:
                self._waiting[pattern] = False
            try:
                self.handle(event)
            except Exception:
                log.exception("correlation: deciding on %s failed", event.kind)

    async def settle(self, timeout_s: float = 10.0) -> None:
        """Wait until every published event is decided and every action applied (for tests)."""
        deadline = time.monotonic() + timeout_s
        quiet = 0
        while quiet < 3:
            if time.monotonic() > deadline:
                raise TimeoutError("correlation did not settle")
            if not self.executor.idle:
                await self.executor.join()
                quiet = 0
                continue
            await asyncio.sleep(0)
            quiet = quiet + 1 if all(self._waiting.values()) else 0
        await self.executor.timeline.flush()

    async def stop(self) -> None:
        """Unsubscribe, stop the executor and write what it gathered."""
        for subscription in self._subscriptions:
            subscription.close()
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self._subscriptions.clear()
        self._tasks.clear()
        await self.executor.stop()
