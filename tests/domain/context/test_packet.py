"""Every section of the context packet, from real stored data around one incident."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine

from tests.domain.alerts.support import FEED, gunshot
from tests.domain.context.support import ADMIN, LAT, LON, METRE, build_world
from watchfloor.app import Watchfloor
from watchfloor.core.clock import ManualClock
from watchfloor.domain.context import sections
from watchfloor.domain.context.assembler import GUNSHOT_LIMIT
from watchfloor.domain.premises.schemas import PremiseIn


async def test_the_packet_holds_every_section_from_stored_data(
    wf: Watchfloor, clock: ManualClock
) -> None:
    world = await build_world(wf, clock)
    packet = await wf.context.assembler.for_incident(world.incident_id)
    assert packet.subject.model_dump() == {"type": "incident", "id": world.incident_id}
    assert packet.location is not None
    assert packet.location.address == "100 Main St"
    assert [c.code for c in packet.cameras] == ["CAM-1"]
    assert [(u.code, u.stale) for u in packet.units] == [("1A10", False)]
    prior = packet.prior_incidents
    assert prior is not None
    assert (prior.nearby, prior.at_address) == (3, 2)  # same address text, and 20 m away
    assert [(t.type_code, t.count) for t in prior.by_type] == [("THEFT", 2), ("BURGLARY", 1)]
    assert [r.type_code for r in prior.recent] == ["BURGLARY", "THEFT", "THEFT"]
    plates = packet.plate_activity
    assert plates is not None
    assert plates.reads == 2
    assert [(r.code, r.reads) for r in plates.readers] == [("LPR-NEAR", 2)]
    assert [(h.plate, h.reason_code) for h in plates.hits] == [("ABC123", "STOLEN_VEHICLE")]
    # the incident's own gunshot is among its alerts, not "nearby"
    assert {g.alert_id for g in packet.gunshots} == {world.gunshot_id}
    assert [(p.address, p.hazards, p.notes) for p in packet.premises] == [
        ("100 Main St", ["dogs"], "rear door")
    ]
    assert packet.community_cameras == []
    assert [(c.kind, c.severity) for c in packet.cautions] == [("WEAPONS", "high")]
    assert [a.alert_id for a in packet.alerts] == [world.attached_id]
    assert packet.took_ms > 0


async def test_an_alerts_packet_leaves_itself_out_of_the_gunshots_near_it(
    wf: Watchfloor, clock: ManualClock
) -> None:
    world = await build_world(wf, clock)
    packet = await wf.context.assembler.for_alert(world.gunshot_id)
    assert packet.subject.type == "alert"
    assert [g.alert_id for g in packet.gunshots] == [world.attached_id]
    assert packet.prior_incidents is not None
    assert packet.prior_incidents.nearby >= 3
    attached = await wf.context.assembler.for_alert(world.attached_id)
    assert [c.kind for c in attached.cautions] == ["WEAPONS"]


async def test_the_incidents_own_gunshots_never_crowd_out_those_near_it(
    wf: Watchfloor, clock: ManualClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = await build_world(wf, clock)
    later = clock.now() - timedelta(seconds=10)  # than the world's shots
    own = [
        gunshot(clock, f"GS-OWN-{n}", lat=LAT, lon=LON, occurred_at=later)
        for n in range(GUNSHOT_LIMIT + 5)
    ]
    for receipt in await wf.alerts.receive(own, FEED):
        await wf.alerts.attach(receipt.alert_id, world.incident_id, "test")
    monkeypatch.setattr(sections, "MAX_ALERTS", 5)
    packet = await wf.context.assembler.for_incident(world.incident_id)
    # nearer than the other shot, all of them, but the incident's own: listed apart, not "near"
    assert [g.alert_id for g in packet.gunshots] == [world.gunshot_id]
    assert len(packet.alerts) == 5
    assert packet.alerts[0].alert_id == world.attached_id  # the oldest first


async def test_premises_at_one_point_are_all_listed_nearest_first(
    wf: Watchfloor, clock: ManualClock
) -> None:
    world = await build_world(wf, clock)
    for address, north_m in (("100 Main St, Apt 2", 0.0), ("104 Main St", 40.0)):
        body = PremiseIn(address=address, lat=LAT + north_m * METRE, lon=LON, hazards=["oxygen"])
        await wf.premises.create(body, ADMIN)
    far = PremiseIn(address="300 Main St", lat=LAT + 200 * METRE, lon=LON)
    await wf.premises.create(far, ADMIN)
    packet = await wf.context.assembler.for_incident(world.incident_id)
    listed = [(p.address, p.distance_m) for p in packet.premises]
    # two premises at the very same point (flats of one building), then the one 40 m away
    assert sorted(listed[:2]) == [("100 Main St", 0.0), ("100 Main St, Apt 2", 0.0)]
    assert [a for a, _d in listed[2:]] == ["104 Main St"]
    assert listed[2][1] == pytest.approx(40.0, abs=0.2)
    assert packet.premises[2].hazards == ["oxygen"]


@pytest.fixture
def units_asked(wf: Watchfloor, monkeypatch: pytest.MonkeyPatch) -> threading.Event:
    """Set when the packet asks the roster for the nearest units (an in-memory section)."""
    asked = threading.Event()
    nearest = wf.units.nearest

    async def noted(*args: Any, **kwargs: Any) -> Any:
        asked.set()
        return await nearest(*args, **kwargs)

    monkeypatch.setattr(wf.units, "nearest", noted)
    return asked


@pytest.fixture
def floor_plans_wait(units_asked: threading.Event) -> Iterator[list[bool]]:
    """Holds the store's floor-plan read (one of the packet's last) until the units have been
    asked, for up to 5 s; whether each such read saw them asked in time."""
    seen: list[bool] = []

    def hold(_conn: Any, _cursor: Any, statement: str, *_rest: Any) -> None:
        if "premise_floor_plan" in statement:
            seen.append(units_asked.wait(5))

    event.listen(Engine, "before_cursor_execute", hold)
    try:
        yield seen
    finally:
        event.remove(Engine, "before_cursor_execute", hold)


async def test_the_in_memory_sections_are_asked_while_the_store_is_still_reading(
    wf: Watchfloor, clock: ManualClock, floor_plans_wait: list[bool]
) -> None:
    world = await build_world(wf, clock)
    packet = await wf.context.assembler.for_incident(world.incident_id)
    assert floor_plans_wait == [True]  # the units were asked before the store had answered
    assert [u.code for u in packet.units] == ["1A10"]
    assert [c.code for c in packet.cameras] == ["CAM-1"]
