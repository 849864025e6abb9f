"""LiveHub: numbering, catch-up from the journal, resync, and slow consoles."""

from __future__ import annotations

import asyncio
from typing import Any

import orjson
from pydantic import BaseModel

from watchfloor.core.bus import InProcessBus
from watchfloor.core.clock import ManualClock
from watchfloor.core.events import Event
from watchfloor.events.camera_health import STATUS_CHANGED, CameraStatusChanged
from watchfloor.events.lpr import PlateAlertRaised, ReadsStored
from watchfloor.live.hub import LiveHub


class Row(BaseModel):
    id: str
    priority: int


class Changed(BaseModel):
    incident_id: str


class NoteAdded(BaseModel):
    incident_id: str
    note_id: str
    author: str
    designator: str | None
    text: str


def _hub(clock: ManualClock, **kwargs: Any) -> tuple[InProcessBus, LiveHub]:
    bus = InProcessBus()
    rows = {"i1": Row(id="i1", priority=1)}

    async def row_of(incident_id: str) -> BaseModel | None:
        return rows.get(incident_id)

    return bus, LiveHub(bus, row_of, clock, **kwargs)


def _decoded(messages: list[bytes]) -> list[dict[str, Any]]:
    return [orjson.loads(m) for m in messages]


def test_messages_are_numbered_and_journalled(clock: ManualClock) -> None:
    _bus, hub = _hub(clock)
    first = hub.attach(None, None)
    assert hub.publish({"type": "incident"}) == 1
    assert hub.publish({"type": "incident"}) == 2
    got = _decoded([first.listener.outbox.get_nowait() for _ in range(2)])
    assert [m["seq"] for m in got] == [1, 2]
    assert got[0]["sent_at_ms"] == clock.now().timestamp() * 1000


def test_a_reconnecting_console_gets_exactly_what_it_missed(clock: ManualClock) -> None:
    _bus, hub = _hub(clock)
    for _ in range(5):
        hub.publish({"type": "incident"})
    again = hub.attach(3, hub.epoch)
    assert not again.resync
    assert [m["seq"] for m in _decoded(again.replay)] == [4, 5]
    assert hub.attach(5, hub.epoch).replay == []


def test_catch_up_is_refused_across_restarts_and_beyond_the_journal(clock: ManualClock) -> None:
    _bus, hub = _hub(clock, journal_size=3)
    for _ in range(6):
        hub.publish({"type": "incident"})
    assert hub.attach(5, "another-process").resync
    assert hub.attach(1, hub.epoch).resync  # seq 2 and 3 fell out of the journal
    assert hub.attach(99, hub.epoch).resync  # a future seq: the console saw another epoch
    kept = hub.attach(3, hub.epoch)
    assert not kept.resync
    assert [m["seq"] for m in _decoded(kept.replay)] == [4, 5, 6]


def test_a_console_that_falls_behind_is_marked_not_blocking(clock: ManualClock) -> None:
    _bus, hub = _hub(clock, outbox_size=2)
    slow = hub.attach(None, None)
    for _ in range(3):
        hub.publish({"type": "incident"})
    assert slow.listener.overflowed
    assert slow.listener.outbox.qsize() == 2
    hub.detach(slow.listener)
    assert hub.listeners == 0


async def test_bus_events_become_rows_and_note_pointers(clock: ManualClock) -> None:
    bus, hub = _hub(clock)
    console = hub.attach(None, None)
    runner = asyncio.create_task(hub.run())
    await asyncio.sleep(0)
    for kind, payload in (
        ("incident.created", Changed(incident_id="i1")),
        ("incident.updated", Changed(incident_id="gone")),
        (
            "incident.note.added",
            NoteAdded(incident_id="i1", note_id="n1", author="op", designator="RT3", text="secret"),
        ),
        ("incident.merged", Changed(incident_id="i1")),
    ):
        await bus.publish(
            Event[Any](
                kind=kind,
                source="test",
                occurred_at=clock.now(),
                received_at=clock.now(),
                payload=payload,
            )
        )
    got = _decoded([await asyncio.wait_for(console.listener.outbox.get(), 2) for _ in range(3)])
    runner.cancel()
    assert got[0] == got[0] | {
        "type": "incident",
        "incident_id": "i1",
        "row": {"id": "i1", "priority": 1},
    }
    assert got[1]["row"] is None  # left the queue
    assert got[2] == got[2] | {"type": "note", "note_id": "n1", "author": "RT3"}
    assert "secret" not in orjson.dumps(got[2]).decode()  # note text only through audited reads
    assert console.listener.outbox.empty()  # incident.merged is not a console message


async def test_plate_alerts_reach_consoles_as_summaries(clock: ManualClock) -> None:
    bus, hub = _hub(clock)
    console = hub.attach(None, None)
    runner = asyncio.create_task(hub.run())
    await asyncio.sleep(0)
    alert = PlateAlertRaised(
        alert_id="a1",
        plate="ABC123",
        reason_code="stolen_vehicle",
        severity="medium",
        match_kind="exact",
        status="pending",
        stale=False,
        reader_code="ALPR-1",
        lat=60.17,
        lon=24.94,
        heading=90.0,
    )
    for kind, payload in (
        ("lpr.reads.stored", ReadsStored(count=1000, hits=1, source="lpr")),
        ("lpr.alert.raised", alert),
    ):
        await bus.publish(
            Event[Any](
                kind=kind,
                source="lpr",
                occurred_at=clock.now(),
                received_at=clock.now(),
                payload=payload,
            )
        )
    [got] = _decoded([await asyncio.wait_for(console.listener.outbox.get(), 2)])
    runner.cancel()
    assert got["type"] == "plate_alert"
    assert got["kind"] == "lpr.alert.raised"
    assert got["alert"]["plate"] == "ABC123"
    assert got["alert"]["heading"] == 90.0
    assert console.listener.outbox.empty()  # a batch summary is not a console message


async def test_camera_status_changes_reach_consoles_for_the_map(clock: ManualClock) -> None:
    bus, hub = _hub(clock)
    listener = hub.attach(None, None).listener
    runner = asyncio.create_task(hub.run())
    await asyncio.sleep(0)
    try:
        changed = CameraStatusChanged(
            camera_code="CAM-9",
            status="degraded",
            previous="ok",
            problems=["frozen"],
            checked_at=clock.now(),
            lat=60.17,
            lon=24.95,
            ticket_id=3,
        )
        await bus.publish(
            Event[CameraStatusChanged](
                kind=STATUS_CHANGED,
                source="CAM-9",
                occurred_at=clock.now(),
                received_at=clock.now(),
                payload=changed,
            )
        )
        message = orjson.loads(await asyncio.wait_for(listener.outbox.get(), 5))
    finally:
        runner.cancel()
        await asyncio.gather(runner, return_exceptions=True)
    assert message["type"] == "camera_status"
    assert message["camera"] == {
        "code": "CAM-9",
        "status": "degraded",
        "problems": ["frozen"],
        "checked_at": clock.now().isoformat(),
    }
