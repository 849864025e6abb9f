"""The demo's simulated alert sources: deterministic, bounded, in the intake routes' own wire
formats, and accepted by a real served Watchfloor (alerts at the desk, the monitored person's
walk into the school's exclusion zone among them)."""

from __future__ import annotations

import itertools
from collections import Counter
from datetime import UTC, datetime, timedelta

import httpx
import orjson

from tests.support.server import serving
from watchfloor.app import Watchfloor
from watchfloor.connectors.cap.mapping import cap_reports
from watchfloor.connectors.cap.parse import parse_cap
from watchfloor.connectors.gunshot.mapping import decode_gunshots
from watchfloor.connectors.panic.mapping import decode_panic
from watchfloor.connectors.sensors.messages import decode_sensor_messages
from watchfloor.core.clock import ManualClock
from watchfloor.core.context import Actor, RequestContext
from watchfloor.demo.alert_simulator import (
    EXCLUSION_SCHOOL,
    MAX_DUE,
    MAX_PER_MINUTE,
    MONITORED_PERSON,
    SCHOOL,
    AlertSimulator,
    Posting,
    demo_geofences,
    monitored_walk,
    named_place,
    post,
    set_up_geofences,
)
from watchfloor.demo.lpr_setup import fixed_readers
from watchfloor.domain.geofences.index import GeofenceIndex
from watchfloor.domain.geofences.positions import decode_positions
from watchfloor.domain.geofences.schemas import GeofenceOut
from watchfloor.domain.geofences.shapes import check_geofence
from watchfloor.domain.units.intake import parse_positions
from watchfloor.events.alerts import AlertKind

START = datetime(2026, 11, 21, 14, 0, tzinfo=UTC)
SUPERVISOR = RequestContext(actor=Actor.system("demo-test"))


def _run(simulator: AlertSimulator, seconds: int, start: datetime = START) -> list[Posting]:
    simulator.start(start)
    postings: list[Posting] = []
    for second in range(seconds + 1):
        due = simulator.due(start + timedelta(seconds=second))
        assert len(due) <= MAX_DUE
        postings += due
    return postings


def test_the_same_seed_gives_the_same_postings_and_another_seed_others() -> None:
    first = _run(AlertSimulator(5), 600)
    assert first == _run(AlertSimulator(5), 600)
    assert first != _run(AlertSimulator(6), 600)


def test_a_few_alerts_a_minute_never_more_than_the_cap_and_positions_at_their_pace() -> None:
    counts = Counter(p.what for p in _run(AlertSimulator(7, per_minute=2.0), 3600))

    alerts = sum(counts[k] for k in ("gunshot", "panic button", "sensor", "CAP alert"))
    assert 120 - 3 * 120**0.5 < alerts < 120 + 3 * 120**0.5  # Poisson, 2 a minute
    assert counts["gunshot update"] >= counts["gunshot"] - 1  # each detection is reviewed
    assert counts["unit positions"] == 3600 // 15 + 1
    assert counts["monitored person"] == 3600 // 30 + 1
    flooded = Counter(p.what for p in _run(AlertSimulator(7, per_minute=600.0), 600))
    assert sum(flooded[k] for k in ("gunshot", "panic button", "sensor", "CAP alert")) <= (
        MAX_PER_MINUTE * 10 + 1
    )
    quiet = Counter(p.what for p in _run(AlertSimulator(7, per_minute=0.0), 600))
    assert set(quiet) == {"unit positions", "monitored person"}


def test_a_stalled_demo_drops_the_backlog_instead_of_flooding_the_floor() -> None:
    simulator = AlertSimulator(9)
    simulator.start(START)

    late = simulator.due(START + timedelta(hours=1))

    assert len(late) <= MAX_DUE
    assert simulator.dropped > 100
    assert all(p.what != "unit positions" or orjson.loads(p.body) for p in late)


def test_every_posting_decodes_with_its_intake_and_an_update_merges_by_id() -> None:
    postings = _run(AlertSimulator(11, per_minute=6.0), 1800)
    now = START + timedelta(seconds=1800)
    by_path = Counter(p.path for p in postings)
    assert set(by_path) == {
        "/api/alerts/gunshots",
        "/api/alerts/panic",
        "/api/alerts/sensors",
        "/api/alerts/cap",
        "/api/units/positions",
        "/api/monitoring/positions",
    }
    gunshot_refs: Counter[str] = Counter()
    for posting in postings:
        if posting.path == "/api/alerts/gunshots":
            [report] = decode_gunshots(posting.body)
            gunshot_refs[report.source_ref] += 1
            assert report.kind == AlertKind.GUNSHOT
        elif posting.path == "/api/alerts/panic":
            [report] = decode_panic(posting.body)
            assert report.priority == 1
        elif posting.path == "/api/alerts/sensors":
            assert len(decode_sensor_messages(posting.body, 10)) == 1
        elif posting.path == "/api/alerts/cap":
            [report] = cap_reports(parse_cap(posting.body, 1_000_000))
            assert report.lat is not None
        elif posting.path == "/api/units/positions":
            assert len(parse_positions(posting.body)) == 5
        else:
            [position] = decode_positions(posting.body, 10, now, 0)
            assert position.person_ref == MONITORED_PERSON
    assert set(gunshot_refs.values()) <= {1, 2}
    assert 2 in gunshot_refs.values()


def _index(zones: list[GeofenceOut]) -> GeofenceIndex:
    return GeofenceIndex(zones)


def test_the_demo_geofences_stand_on_the_schools_and_the_walk_enters_the_exclusion_zone() -> None:
    readers = fixed_readers()
    school, exclusion = demo_geofences(readers)
    for zone in (school, exclusion):
        check_geofence(zone, 2000)
    stored = [
        GeofenceOut.model_validate(
            {**z.model_dump(), "id": str(i), "created_at": START, "created_by": "t",
             "updated_at": START, "updated_by": "t"}
        )
        for i, z in enumerate((school, exclusion))
    ]  # fmt: skip
    index = _index(stored)
    where = named_place(SCHOOL)
    assert [g.id for g in index.containing(where.lat, where.lon)] == ["0"]
    banned = named_place(EXCLUSION_SCHOOL)
    assert [g.id for g in index.containing(banned.lat, banned.lon)] == ["1"]
    assert any(index.contains("0", r.lat, r.lon) for r in readers if r.lat and r.lon)
    inside = [index.contains("1", lat, lon) for lat, lon in monitored_walk()]
    entries = sum(1 for before, now in itertools.pairwise(inside) if now and not before)
    assert entries == 2  # on the way out and on the way back
    assert not inside[0]


async def test_the_simulator_feeds_a_served_watchfloor_over_its_intake_routes(
    wf: Watchfloor, clock: ManualClock
) -> None:
    await set_up_geofences(wf, SUPERVISOR)
    simulator = AlertSimulator(13, per_minute=6.0)
    simulator.start(START)
    _feed, token = await wf.auth.create_feed("simulated-alert-sources")
    statuses: Counter[tuple[str, int]] = Counter()
    async with serving(wf) as base_url:
        headers = {"Authorization": f"Bearer {token}"}
        async with httpx.AsyncClient(base_url=base_url, headers=headers, timeout=30) as http:
            for second in range(0, 12 * 60, 5):
                clock.set(START + timedelta(seconds=second))
                for posting in simulator.due(clock.now()):
                    statuses[(posting.what, await post(http, posting))] += 1
    assert {status for _what, status in statuses} == {200}, statuses
    kinds = Counter(alert.kind for alert in await wf.alerts.list())
    assert kinds[AlertKind.GUNSHOT] == statuses[("gunshot", 200)]  # updates merged
    assert kinds[AlertKind.PANIC] == statuses[("panic button", 200)]
    assert kinds[AlertKind.SENSOR] >= 1
    [entered] = await wf.alerts.list(kind=AlertKind.GEOFENCE)
    assert entered.title == (
        f"Monitored person {MONITORED_PERSON} entered {EXCLUSION_SCHOOL} exclusion zone"
    )
    assert len(await wf.units.list()) == 5
