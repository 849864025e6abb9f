"""The roster's trail, units on an incident, one unit, `unit.changed` events and kinds."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.domain.incidents.support import report, store, unit
from tests.domain.units.support import FEED, position
from watchfloor.app import Watchfloor
from watchfloor.core.errors import NotFound
from watchfloor.core.geo import GeoPoint
from watchfloor.domain.units.kinds import normalize_kind
from watchfloor.domain.units.live import unit_message
from watchfloor.domain.units.schemas import UnitOut, UnitsReported
from watchfloor.events.cad import UnitStatus


async def test_every_applied_position_lands_on_the_trail_oldest_first(wf: Watchfloor) -> None:
    now = wf.clock.now()
    batch = [
        position("1A10", 40.4402, -80.0, now - timedelta(seconds=s), heading=float(s))
        for s in (10, 30, 20)
    ]
    assert await wf.units.update_positions(batch, FEED, source="nmea") == 3
    late = position("1A10", 40.0, -80.0, now - timedelta(minutes=5))
    assert await wf.units.update_positions([late], FEED) == 0  # older than the stored one
    trail = await wf.units.trail("1A10", now - timedelta(minutes=1))
    assert [p.heading for p in trail] == [30.0, 20.0, 10.0]
    assert {p.source for p in trail} == {"nmea"}
    assert [p.at for p in trail] == sorted(p.at for p in trail)
    since = await wf.units.trail("1A10", now - timedelta(seconds=25))
    assert [p.heading for p in since] == [20.0, 10.0]
    assert len(await wf.units.trail("1A10", now - timedelta(minutes=1), limit=1)) == 1
    with pytest.raises(NotFound):
        await wf.units.trail("NOPE", now)


async def test_a_position_publishes_unit_changed_once_per_unit(wf: Watchfloor) -> None:
    changed = wf.bus.subscribe("unit.changed")
    now = wf.clock.now()
    batch = [
        position("1A10", 40.44, -80.0, now - timedelta(seconds=20)),
        position("1A10", 40.45, -80.0, now - timedelta(seconds=10), heading=90.0),
        position("1A11", 40.46, -80.0, now - timedelta(seconds=10), status="en_route"),
    ]
    await wf.units.update_positions(batch, FEED)
    events = [await changed.get(timeout=5), await changed.get(timeout=5)]
    payloads = sorted((e.payload for e in events), key=lambda u: u.code)
    assert all(isinstance(p, UnitOut) for p in payloads)
    assert [(p.code, p.lat, p.heading, p.status) for p in payloads] == [
        ("1A10", 40.45, 90.0, "available"),
        ("1A11", 40.46, None, "en_route"),
    ]
    assert events[0].location is not None
    with pytest.raises(TimeoutError):
        await changed.get(timeout=0.05)
    message = await unit_message(events[0])
    assert message is not None
    assert message["type"] == "unit"
    assert message["unit"]["code"] == events[0].payload.code
    assert message["unit"]["crew"] == []


async def test_get_answers_one_unit_with_its_stale_flag(wf: Watchfloor) -> None:
    now = wf.clock.now()
    await wf.units.update_positions([position("1A10", 40.44, -80.0, now)], FEED)
    first = await wf.units.get("1A10")
    assert (first.stale, first.kind, first.crew, first.capabilities) == (False, "unknown", [], [])
    wf.clock.advance(timedelta(minutes=10))  # type: ignore[attr-defined]
    assert (await wf.units.get("1A10")).stale is True
    with pytest.raises(NotFound):
        await wf.units.get("NOPE")


async def test_units_on_an_incident_come_from_the_cad_and_leave_when_cleared(
    wf: Watchfloor,
) -> None:
    at = wf.clock.now() - timedelta(minutes=1)
    located = unit("1b20", UnitStatus.EN_ROUTE, at).model_copy(
        update={"location": GeoPoint(lat=40.441, lon=-80.001)}
    )
    on_scene = unit("1b21", UnitStatus.ON_SCENE, at)
    incident_id = (await store(wf, report(units=[located, on_scene])))[0].incident_id
    await wf.units.apply_cad(UnitsReported(incident_id=incident_id, units=[located, on_scene]))
    on = await wf.units.on_incident(incident_id)
    assert [(u.code, u.kind, u.kind_text) for u in on] == [
        ("1B20", "patrol", "PatrolCar"),
        ("1B21", "patrol", "PatrolCar"),
    ]
    trail = await wf.units.trail("1B20", at - timedelta(minutes=1))
    assert [(p.lat, p.source) for p in trail] == [(40.441, "cad")]
    assert await wf.units.trail("1B21", at - timedelta(minutes=1)) == []
    cleared = unit("1b21", UnitStatus.CLEARED, at + timedelta(seconds=30))
    await wf.units.apply_cad(UnitsReported(incident_id=incident_id, units=[cleared]))
    assert [u.code for u in await wf.units.on_incident(incident_id)] == ["1B20"]
    assert await wf.units.on_incident("no-such-incident") == []


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("PatrolCar", "patrol"),
        ("Ambulance", "ems"),
        ("Engine", "fire"),
        ("EMS Supervisor", "supervisor"),
        ("UAS", "drone"),
        ("RTCC", "rtcc"),
        ("Detective", "detective"),
        ("Bicycle", "unknown"),
        (None, "unknown"),
    ],
)
def test_free_text_kinds_read_as_roster_kinds(text: str | None, kind: str) -> None:
    assert normalize_kind(text) == kind
