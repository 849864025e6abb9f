"""The keeper assembles different subjects side by side and never one subject twice at once."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import cast

from pydantic import BaseModel

from watchfloor.core.bus import InProcessBus, Subscription
from watchfloor.core.clock import ManualClock
from watchfloor.core.events import Event
from watchfloor.domain.context.assembler import ContextAssembler
from watchfloor.domain.context.keeper import ContextKeeper
from watchfloor.domain.context.schemas import ContextPacket, Subject

NOW = datetime(2026, 11, 21, 14, 0, tzinfo=UTC)


class Change(BaseModel):
    """The part of an incident or alert event the keeper reads."""

    incident_id: str | None = None
    alert_id: str | None = None


class GatedAssembler:
    """Assembles empty packets; an alert's packet waits until its gate opens."""

    def __init__(self) -> None:
        self.gate = asyncio.Event()
        self.started = asyncio.Event()
        self.rounds: list[str] = []
        self.running = 0
        self.most_at_once = 0

    async def _packet(self, subject: Subject) -> ContextPacket:
        self.running += 1
        self.most_at_once = max(self.most_at_once, self.running)
        self.rounds.append(subject.id)
        self.started.set()
        try:
            if subject.type == "alert":
                await self.gate.wait()
            await asyncio.sleep(0)
        finally:
            self.running -= 1
        return ContextPacket(
            subject=subject,
            location=None,
            assembled_at=NOW,
            took_ms=0.0,
            cameras=[],
            units=[],
            prior_incidents=None,
            plate_activity=None,
            gunshots=[],
            premises=[],
            community_cameras=[],
            cautions=[],
            alerts=[],
        )

    async def for_incident(self, incident_id: str) -> ContextPacket:
        return await self._packet(Subject(type="incident", id=incident_id))

    async def for_alert(self, alert_id: str) -> ContextPacket:
        return await self._packet(Subject(type="alert", id=alert_id))


def _event(kind: str, change: Change) -> Event[Change]:
    return Event[Change](kind=kind, source="test", occurred_at=NOW, received_at=NOW, payload=change)


async def _next_subject(subscription: Subscription) -> str:
    event = await subscription.get(timeout=5)
    return str(event.payload.subject.id)


async def test_an_incident_packet_does_not_wait_behind_an_alert_packet() -> None:
    bus, assembler = InProcessBus(), GatedAssembler()
    keeper = ContextKeeper(cast(ContextAssembler, assembler), bus, ManualClock(NOW))
    assembled = bus.subscribe("context.packet.assembled")
    task = asyncio.create_task(keeper.run())
    await asyncio.sleep(0)
    try:
        await bus.publish(_event("alert.raised", Change(alert_id="A1")))
        await bus.publish(_event("incident.created", Change(incident_id="I1")))
        assert await _next_subject(assembled) == "I1"  # the alert's round is still held
        assembler.gate.set()
        assert await _next_subject(assembled) == "A1"
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
    await bus.close()


async def test_changes_during_a_round_make_exactly_one_more_round() -> None:
    bus, assembler = InProcessBus(), GatedAssembler()
    keeper = ContextKeeper(cast(ContextAssembler, assembler), bus, ManualClock(NOW))
    assembled = bus.subscribe("context.packet.assembled")
    task = asyncio.create_task(keeper.run())
    await asyncio.sleep(0)
    try:
        await bus.publish(_event("alert.raised", Change(alert_id="A1")))
        await asyncio.wait_for(assembler.started.wait(), 5)
        for _ in range(5):
            await bus.publish(_event("alert.updated", Change(alert_id="A1")))
        await asyncio.sleep(0.05)
        assert assembler.most_at_once == 1
        assembler.gate.set()
        assert await _next_subject(assembled) == "A1"
        assert await _next_subject(assembled) == "A1"
        await asyncio.sleep(0.05)
        assert assembler.rounds == ["A1", "A1"]
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
    await bus.close()
