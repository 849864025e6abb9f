"""AlertDesk.near: alerts within a radius since a time, nearest first, whatever the radius."""

from __future__ import annotations

import math
import random
from datetime import timedelta

import pytest

from tests.domain.alerts.support import FEED, at
from watchfloor.app import Watchfloor
from watchfloor.core.clock import ManualClock
from watchfloor.core.geo import distance_m
from watchfloor.domain.alerts.desk_near import box_around
from watchfloor.events.alerts import AlertKind, AlertReport

CENTER = (44.9778, -93.2650)


def _offset(lat: float, lon: float, north_m: float, east_m: float) -> tuple[float, float]:
    return (
        lat + north_m / 111_195.0,
        lon + east_m / (111_195.0 * math.cos(math.radians(lat))),
    )


async def test_near_finds_exactly_the_alerts_inside_nearest_first(
    wf: Watchfloor, clock: ManualClock
) -> None:
    rng = random.Random(6)
    now = clock.now()
    reports: list[AlertReport] = []
    for i in range(300):
        north, east = rng.uniform(-6000, 6000), rng.uniform(-6000, 6000)
        lat, lon = _offset(*CENTER, north, east)
        when = now - timedelta(minutes=rng.uniform(0, 120))
        kind = AlertKind.GUNSHOT if i % 3 else AlertKind.SENSOR
        reports.append(at(lat, lon, when, f"r{i}", kind))
    await wf.alerts.receive(reports, FEED)
    since = now - timedelta(minutes=60)
    for radius in (150.0, 800.0, 2500.0, 9000.0):
        expected = sorted(
            (distance_m(*CENTER, r.lat or 0, r.lon or 0), r.source_ref)
            for r in reports
            if r.occurred_at >= since
            and r.kind == AlertKind.GUNSHOT
            and distance_m(*CENTER, r.lat or 0, r.lon or 0) <= radius
        )
        found = await wf.alerts.near(*CENTER, radius, since, AlertKind.GUNSHOT, limit=500)
        assert [a.sources[0].source_ref for a in found] == [ref for _d, ref in expected]
        assert [a.distance_m for a in found] == [pytest.approx(d, abs=0.1) for d, _r in expected]
    nearest_two = await wf.alerts.near(*CENTER, 9000.0, since, limit=2)
    assert len(nearest_two) == 2
    assert nearest_two[0].distance_m <= nearest_two[1].distance_m


async def test_near_leaves_out_merged_duplicates_and_places_across_the_antimeridian(
    wf: Watchfloor, clock: ManualClock
) -> None:
    now = clock.now()
    a, b, east, west = await wf.alerts.receive(
        [
            at(*CENTER, now, "a", AlertKind.GUNSHOT),
            at(*_offset(*CENTER, 40, 0), now, "b", AlertKind.ANALYTICS),
            at(-17.0, 179.999, now, "east", AlertKind.SENSOR),
            at(-17.0, -179.999, now, "west", AlertKind.SENSOR),
        ],
        FEED,
    )
    await wf.alerts.merge(a.alert_id, b.alert_id, "duplicates")
    found = await wf.alerts.near(*CENTER, 500, now - timedelta(minutes=1))
    assert [x.id for x in found] == [a.alert_id]
    across = await wf.alerts.near(-17.0, 179.9995, 1000, now - timedelta(minutes=1))
    assert {x.id for x in across} == {east.alert_id, west.alert_id}


def test_the_box_holds_the_circle() -> None:
    box = box_around(60.0, 25.0, 10_000)
    north = _offset(60.0, 25.0, 9_999, 0)
    east = _offset(60.0, 25.0, 0, 9_999)
    assert box.min_lat < 60.0 < north[0] <= box.max_lat
    assert box.min_lon < 25.0 < east[1] <= box.max_lon
    assert not box.wraps
    assert box_around(-17.0, 179.9995, 1000).wraps
