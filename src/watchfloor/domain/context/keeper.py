"""Keeps packets current: re-assembles on incident and alert changes and publishes them.

A burst of changes about one subject (a CAD update storm, a vendor's rapid updates) is folded:
events that arrived while a round was being assembled are taken together, one packet each.
Different subjects are assembled side by side (up to `parallel` at once), so the packet of an
incident that correlation has just opened never waits behind its alert's packet; one subject is
never assembled twice at once — a change arriving meanwhile runs one more round after it.

Before a round, the keeper asks whether the subject has settled (`Settle`, the correlation
engine's `packet_wanted`): a new alert that correlation is attaching to an incident gets no
packet of its own (the incident's follows), and an incident that correlation has just opened is
assembled once its alert is attached, not before and again after."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from watchfloor.core.bus import EventBus, Subscription
from watchfloor.core.clock import Clock
from watchfloor.core.errors import NotFound
from watchfloor.core.events import Event
from watchfloor.domain.context.assembler import ContextAssembler
from watchfloor.domain.context.schemas import (
    CONTEXT_ASSEMBLED,
    ContextPacket,
    PacketAssembled,
    Subject,
)

log = logging.getLogger(__name__)

INCIDENT_KINDS = ("incident.created", "incident.updated")
ALERT_KINDS = ("alert.raised", "alert.attached", "alert.merged", "alert.updated")
PATTERN = "context.>"
Settle = Callable[[str, str], Awaitable[bool]]
"""Waits until a subject (type, id) is no longer being changed; whether its packet is wanted."""


def subject_of(event: Event[Any]) -> Subject | None:
    """Whose packet an event changes: the incident's, or an alert's (its incident's, if any)."""
    payload = event.payload
    incident_id = getattr(payload, "incident_id", None)
    if event.kind in INCIDENT_KINDS and isinstance(incident_id, str):
        return Subject(type="incident", id=incident_id)
    if event.kind in ALERT_KINDS:
        if isinstance(incident_id, str):
            return Subject(type="incident", id=incident_id)
        alert_id = getattr(payload, "alert_id", None)
        if event.kind != "alert.merged" and isinstance(alert_id, str):
            return Subject(type="alert", id=alert_id)
    return None


class ContextKeeper:
    """Follows the bus and publishes `context.packet.assembled` for every changed subject."""

    def __init__(
        self,
        assembler: ContextAssembler,
        bus: EventBus,
        clock: Clock,
        burst: int = 500,
        parallel: int = 4,
        settle: Settle | None = None,
    ) -> None:
        self._assembler = assembler
        self._bus = bus
        self._clock = clock
        self._burst = burst
        self._settle = settle
        self._slots = asyncio.Semaphore(parallel)
        self._running: dict[tuple[str, str], asyncio.Task[None]] = {}
        self._again: set[tuple[str, str]] = set()
        self.assembled = 0

    async def run(self) -> None:
        """Consume changes until cancelled."""
        subscriptions = [self._bus.subscribe(k) for k in (*INCIDENT_KINDS, *ALERT_KINDS)]
        queue: asyncio.Queue[Event[Any]] = asyncio.Queue()
        pumps = [asyncio.create_task(_pump(s, queue)) for s in subscriptions]
        try:
            while True:
                due = _fold([await queue.get()], queue, self._burst)
                for subject in due:
                    await self._schedule(subject)
        finally:
            workers = [*pumps, *self._running.values()]
            for task in workers:
                task.cancel()
            await asyncio.gather(*workers, return_exceptions=True)
            self._running.clear()
            for subscription in subscriptions:
                subscription.close()

    async def refresh(self, subject: Subject) -> ContextPacket | None:
        """Assemble and publish one subject's packet now (None when it no longer exists)."""
        packet = await self._assemble(subject)
        if packet is None:
            return None
        now = self._clock.now()
        await self._bus.publish(
            Event[PacketAssembled](
                kind=CONTEXT_ASSEMBLED,
                source="watchfloor:context",
                occurred_at=now,
                received_at=now,
                payload=PacketAssembled(subject=subject, packet=packet),
            )
        )
        self.assembled += 1
        return packet

    async def _schedule(self, subject: Subject) -> None:
        """Start a round for the subject, or mark it for one more if a round is running."""
        key = (subject.type, subject.id)
        if key in self._running:
            self._again.add(key)
            return
        await self._slots.acquire()  # bounded: the bus queue holds what waits
        self._running[key] = asyncio.create_task(self._rounds(key, subject))

    async def _rounds(self, key: tuple[str, str], subject: Subject) -> None:
        try:
            while True:
                wanted = await self._settled(subject)
                self._again.discard(key)  # what changed while it settled is in this round
                if wanted:
                    await self._refresh(subject)
                if key not in self._again:
                    return
        finally:
            del self._running[key]
            self._slots.release()

    async def _settled(self, subject: Subject) -> bool:
        if self._settle is None:
            return True
        try:
            return await self._settle(subject.type, subject.id)
        except Exception:  # a packet too many beats none
            log.exception("context: could not wait for %s %s to settle", subject.type, subject.id)
            return True

    async def _refresh(self, subject: Subject) -> None:
        try:
            await self.refresh(subject)
        except Exception:  # one failed packet must not stop the others being kept
            log.exception("context: could not assemble %s %s", subject.type, subject.id)

    async def _assemble(self, subject: Subject) -> ContextPacket | None:
        try:
            if subject.type == "incident":
                return await self._assembler.for_incident(subject.id)
            return await self._assembler.for_alert(subject.id)
        except NotFound:
            return None


async def _pump(subscription: Subscription, queue: asyncio.Queue[Event[Any]]) -> None:
    async for event in subscription:
        queue.put_nowait(event)


def _fold(first: list[Event[Any]], queue: asyncio.Queue[Event[Any]], burst: int) -> list[Subject]:
    """The distinct subjects of these events and of those already waiting, in arrival order."""
    events = list(first)
    while len(events) < burst and not queue.empty():
        events.append(queue.get_nowait())
    due: dict[tuple[str, str], Subject] = {}
    for event in events:
        subject = subject_of(event)
        if subject is not None:
            due.setdefault((subject.type, subject.id), subject)
    return list(due.values())


async def context_message(event: Event[Any]) -> dict[str, Any] | None:
    """The console message of an assembled packet (hub translator for `context.>`): counts and
    hits of plate activity only, as in the packet; never a read's details."""
    payload = event.payload
    if not isinstance(payload, PacketAssembled):
        return None
    return {
        "type": "context",
        "subject": payload.subject.model_dump(mode="json"),
        "packet": payload.packet.model_dump(mode="json"),
    }
