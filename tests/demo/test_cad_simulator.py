"""The simulated CAD: valid EIDO at real addresses, deterministic, lifecycle in order, a lively
but bounded queue, and documents the real intake stores."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from httpx import AsyncClient

from tests.conftest import START
from tests.demo.support import post_documents, stored_incidents
from watchfloor.app import Watchfloor
from watchfloor.connectors.eido.mapping import translate
from watchfloor.connectors.eido.registry import incident_status
from watchfloor.demo.cad_simulator import CadSimulator
from watchfloor.demo.city import load_addresses
from watchfloor.demo.profile import city_zone, load_call_profile
from watchfloor.events.cad import LIFECYCLE, IncidentReport, IncidentStatus
from watchfloor.settings import EidoSettings

WEDNESDAY_NOON = datetime(2026, 11, 18, 10, 0, tzinfo=UTC)  # 12:00 in Helsinki
THURSDAY_NIGHT = datetime(2026, 11, 19, 19, 0, tzinfo=UTC)  # 21:00 in Helsinki
UNIT_NAME = re.compile(r"^[1-6][ABC]\d\d$")
ACTIVE = {IncidentStatus.DISPATCHED, IncidentStatus.EN_ROUTE, IncidentStatus.ON_SCENE}


def _timed(simulator: CadSimulator, start: datetime, minutes: int, tick_s: int = 5) -> list[Any]:
    documents = []
    for second in range(0, minutes * 60 + 1, tick_s):
        documents += simulator.due(start + timedelta(seconds=second))
    return documents


def _reports(documents: list[dict[str, Any]]) -> list[IncidentReport]:
    return [translate(d, EidoSettings(), d_time(d)) for d in documents]


def d_time(document: dict[str, Any]) -> datetime:
    """The document's own update time (it is never later than the moment it is due)."""
    return datetime.fromisoformat(document["lastUpdateTimeStamp"])


def test_as_fast_as_asked_every_document_translates_and_statuses_only_move_forward() -> None:
    simulator = CadSimulator(seed=3, open_calls=10)
    last_status: dict[str, int] = {}
    for i in range(400):
        now = START + timedelta(seconds=i)
        report = translate(simulator.next_document(now), EidoSettings(), now)
        assert report.location is not None
        assert report.location.point is not None
        assert report.priority in {1, 2, 3, 4, 5}
        assert report.status is not None
        rank = LIFECYCLE.index(report.status)
        assert rank >= last_status.get(report.eido_id, 0)
        last_status[report.eido_id] = rank
    assert max(last_status.values()) == LIFECYCLE.index(LIFECYCLE[-1])
    assert simulator.open_incidents <= 10


def test_same_seed_and_clock_same_documents_other_seed_other_city() -> None:
    def fast(seed: int) -> list[dict[str, Any]]:
        simulator = CadSimulator(seed=seed)
        return [simulator.next_document(START + timedelta(seconds=i)) for i in range(50)]

    def timed(seed: int) -> list[dict[str, Any]]:
        simulator = CadSimulator(seed=seed)
        return simulator.start(WEDNESDAY_NOON, timedelta(minutes=5)) + _timed(
            simulator, WEDNESDAY_NOON, 10
        )

    assert fast(9) == fast(9)
    assert fast(9) != fast(10)
    assert timed(9) == timed(9)
    assert timed(9) != timed(10)


def test_every_call_steps_through_the_lifecycle_in_order_with_free_units() -> None:
    simulator = CadSimulator(seed=5)
    reports = _reports(_timed(simulator, WEDNESDAY_NOON, 180))
    seen: dict[str, list[IncidentStatus]] = {}
    holder: dict[str, str] = {}
    last_time: dict[str, datetime] = {}
    for report in reports:
        assert report.status is not None
        seen.setdefault(report.eido_id, []).append(report.status)
        assert report.last_updated_at >= last_time.get(report.eido_id, report.last_updated_at)
        last_time[report.eido_id] = report.last_updated_at
        assert bool(report.units) == (report.status is not IncidentStatus.RECEIVED)
        for unit in report.units:
            assert UNIT_NAME.match(unit.name)
            expected = min(report.status, IncidentStatus.CLEARED, key=LIFECYCLE.index)
            assert unit.status.value == expected.value
            if report.status in ACTIVE:
                assert holder.setdefault(unit.name, report.eido_id) == report.eido_id
            elif holder.get(unit.name) == report.eido_id:
                del holder[unit.name]
    for statuses in seen.values():
        assert statuses == list(LIFECYCLE[: len(statuses)])
    closed = [s for s in seen.values() if s[-1] is IncidentStatus.CLOSED]
    assert len(closed) > 100


def test_calls_are_at_real_addresses_at_the_rate_the_rhythm_sets() -> None:
    simulator = CadSimulator(seed=11, calls_per_minute=3.5)
    points = {(round(a.lat, 6), round(a.lon, 6)) for a in load_addresses() if a.street}
    documents = _timed(simulator, THURSDAY_NIGHT, 180, tick_s=30)
    new_calls = [r for r in _reports(documents) if r.status is IncidentStatus.RECEIVED]
    profile = load_call_profile()
    expected = sum(
        3.5 * profile.weight_at(THURSDAY_NIGHT + timedelta(minutes=m), city_zone())
        for m in range(180)
    )

    for report in new_calls:
        assert report.location is not None
        assert report.location.point is not None
        assert (report.location.point.lat, report.location.point.lon) in points
    assert len(new_calls) == pytest.approx(expected, rel=0.15)
    # the evening rush this window crosses is busier than the week's mean
    assert expected > 3.5 * 180


def test_the_queue_starts_warm_and_stays_between_10_and_40_open_incidents() -> None:
    simulator = CadSimulator(seed=21)
    first = simulator.start(WEDNESDAY_NOON, simulator.warm_up())
    assert 10 <= len(first) == simulator.open_incidents
    samples = []
    for minute in range(0, 240, 2):
        simulator.due(WEDNESDAY_NOON + timedelta(minutes=minute))
        samples.append(simulator.open_incidents)

    assert 10 <= sum(samples) / len(samples) <= 40
    assert max(samples) <= 60
    assert 10 <= simulator.mean_open() <= 40


async def test_the_real_intake_stores_every_simulated_document(
    wf: Watchfloor, client: AsyncClient
) -> None:
    simulator = CadSimulator(seed=4)
    began = START - timedelta(minutes=15)
    documents = simulator.start(began, simulator.warm_up()) + _timed(simulator, began, 15, 10)

    outcomes = await post_documents(wf, client, documents)

    assert set(outcomes) <= {"created", "updated"}
    stored = await stored_incidents(wf)
    last = {d["$id"]: d["incidentComponent"]["incidentStatusCommonRegistryText"] for d in documents}
    assert set(stored) == set(last)
    for eido_id, incident in stored.items():
        assert incident.status == incident_status(last[eido_id][0])
        assert incident.lat is not None
        assert incident.address
    still_open = [i for i in stored.values() if i.status != IncidentStatus.CLOSED.value]
    assert len(still_open) == simulator.open_incidents
