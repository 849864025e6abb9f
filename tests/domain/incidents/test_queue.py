"""The call queue follows the RTCC policy: P1, then P2, then P3-5 together, oldest first."""

from __future__ import annotations

import random
from datetime import timedelta

from tests.conftest import START
from tests.domain.incidents.support import report, store
from watchfloor.app import Watchfloor
from watchfloor.core.clock import ManualClock
from watchfloor.events.cad import IncidentStatus

# (name, priority, minutes before START the call started)
CALLS = [
    ("p1-old", 1, 50),
    ("p1-new", 1, 5),
    ("p2-old", 2, 40),
    ("p2-new", 2, 2),
    ("p3", 3, 30),
    ("p5", 5, 45),
    ("none", None, 20),
    ("p4", 4, 10),
]
EXPECTED = ["p1-old", "p1-new", "p2-old", "p2-new", "p5", "p3", "none", "p4"]


async def test_queue_orders_by_priority_group_then_oldest_first(wf: Watchfloor) -> None:
    calls = list(CALLS)
    random.Random(7).shuffle(calls)
    for name, priority, minutes in calls:
        started = START - timedelta(minutes=minutes)
        await store(wf, report(f"urn:{name}", priority=priority, call_started_at=started))
    await store(wf, report("urn:closed", priority=1, status=IncidentStatus.CLOSED))
    await store(wf, report("urn:cleared", priority=1, status=IncidentStatus.CLEARED))
    assert isinstance(wf.clock, ManualClock)
    wf.clock.advance(timedelta(seconds=30))

    rows = await wf.incidents.queue()

    assert [row.eido_id.removeprefix("urn:") for row in rows] == EXPECTED
    assert rows[0].received_age_s == 50 * 60 + 30


async def test_queue_ties_are_broken_deterministically(wf: Watchfloor) -> None:
    started = START - timedelta(minutes=3)
    names = ["urn:c", "urn:a", "urn:b"]
    for name in names:
        await store(wf, report(name, priority=2, call_started_at=started))

    rows = await wf.incidents.queue()

    assert [row.eido_id for row in rows] == sorted(names)
