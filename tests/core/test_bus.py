"""The in-process bus: NATS-style subjects, ordered delivery, bounded queues."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from pydantic import BaseModel

from watchfloor.core.bus import InProcessBus, subject_matches
from watchfloor.core.events import Event

NOW = datetime(2026, 11, 21, 14, 0, tzinfo=UTC)


class Ping(BaseModel):
    n: int


def ping(kind: str, n: int) -> Event[Ping]:
    return Event[Ping](
        kind=kind, source="test", occurred_at=NOW, received_at=NOW, payload=Ping(n=n)
    )


@pytest.mark.parametrize(
    ("pattern", "kind", "expected"),
    [
        ("incident.created", "incident.created", True),
        ("incident.*", "incident.created", True),
        ("incident.*", "incident.note.added", False),
        ("incident.>", "incident.note.added", True),
        ("incident.>", "incident", False),
        ("*.created", "incident.created", True),
        ("incident.created", "incident.updated", False),
        ("incident.note.added", "incident.note", False),
    ],
)
def test_subject_matching(pattern: str, kind: str, expected: bool) -> None:
    assert subject_matches(pattern, kind) is expected


async def test_subscriber_gets_matching_events_in_order() -> None:
    bus = InProcessBus()
    sub = bus.subscribe("incident.>")
    other = bus.subscribe("lpr.>")
    for n in range(3):
        await bus.publish(ping("incident.updated", n))
    await bus.publish(ping("lpr.plate.read", 99))
    got = [(await sub.get(timeout=1)).payload.n for _ in range(3)]
    assert got == [0, 1, 2]
    assert (await other.get(timeout=1)).payload.n == 99
    with pytest.raises(TimeoutError):
        await sub.get(timeout=0.01)


async def test_slow_subscriber_drops_oldest_and_counts_without_blocking_others() -> None:
    bus = InProcessBus()
    slow = bus.subscribe("incident.>", max_pending=2)
    fast = bus.subscribe("incident.>", max_pending=100)
    for n in range(5):
        await bus.publish(ping("incident.updated", n))
    assert slow.dropped == 3
    assert [(await slow.get(timeout=1)).payload.n for _ in range(2)] == [3, 4]
    assert [(await fast.get(timeout=1)).payload.n for _ in range(5)] == [0, 1, 2, 3, 4]


async def test_closed_subscription_ends_iteration_and_stops_receiving() -> None:
    bus = InProcessBus()
    sub = bus.subscribe("incident.>")
    await bus.publish(ping("incident.updated", 1))
    sub.close()
    await bus.publish(ping("incident.updated", 2))
    seen = [event.payload.n async for event in sub]
    assert seen == [1]
