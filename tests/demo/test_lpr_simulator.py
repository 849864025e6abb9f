"""The demo's simulated plate reads: deterministic, at the configured rate and hit share, and
accepted by the real read intake (hits become alerts)."""

from __future__ import annotations

import random
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import orjson
from httpx import AsyncClient
from sqlalchemy import func, select

from tests.demo.lpr_support import set_up_demo_lpr
from tests.support.auth import feed_token
from watchfloor.app import Watchfloor
from watchfloor.connectors.lpr.json_reads import decode_reads
from watchfloor.core.clock import ManualClock
from watchfloor.demo.lpr_hotlists import BOLOS, PlateBook, bolo_vehicles, ncic_vehicles
from watchfloor.demo.lpr_setup import fixed_readers, mobile_readers
from watchfloor.demo.lpr_simulator import LprSimulator
from watchfloor.demo.lpr_vehicles import ListedVehicle, plate_png
from watchfloor.domain.hotlists.matcher import skeleton
from watchfloor.domain.lpr.models import PlateAlert, PlateRead
from watchfloor.events.lpr import normalize_plate

START = datetime(2026, 11, 21, 14, 0, tzinfo=UTC)
READERS = [*fixed_readers(), *mobile_readers()]
IMAGE = "ab" * 32


def _listed() -> list[ListedVehicle]:
    rng = random.Random(3)
    book = PlateBook(rng)
    ncic = ncic_vehicles(rng, book, 400)
    return [vehicle for _bolo, vehicle in bolo_vehicles(rng, book)] + ncic


LISTED = _listed()
BY_SKELETON = {skeleton(v.normalised): v for v in LISTED}


def _run(simulator: LprSimulator, seconds: int, start: datetime = START) -> list[dict[str, Any]]:
    simulator.start(start)
    reads: list[dict[str, Any]] = []
    for second in range(1, seconds + 1):
        reads += simulator.due(start + timedelta(seconds=second))
    return reads


def _listed_for(read: dict[str, Any]) -> ListedVehicle | None:
    return BY_SKELETON.get(skeleton(normalize_plate(read["plate"])))


def test_the_same_seed_gives_the_same_reads_and_another_seed_others() -> None:
    first = _run(LprSimulator(5, READERS, LISTED, 20.0), 60)
    again = _run(LprSimulator(5, READERS, LISTED, 20.0), 60)
    other = _run(LprSimulator(6, READERS, LISTED, 20.0), 60)

    assert first == again
    assert first != other


def test_reads_come_at_the_rate_asked_and_a_hit_every_45_s_by_default() -> None:
    simulator = LprSimulator(7, READERS, LISTED, 20.0, plate_image=IMAGE)

    reads = _run(simulator, 1200)

    hits = [read for read in reads if _listed_for(read) is not None]
    assert abs(len(reads) - 24_000) < 24_000 * 0.03
    assert simulator.hit_share == 1 / (45 * 20)
    expected = 1200 / 45  # Poisson: 26.7 +- 5.2
    assert expected - 3 * expected**0.5 < len(hits) < expected + 3 * expected**0.5
    assert len(hits) == simulator.hits
    assert all("plate_image" in read for read in hits)
    assert not any("plate_image" in read for read in reads if _listed_for(read) is None)
    times = [read["captured_at"] for read in reads]
    assert times == sorted(times)
    assert all(START.isoformat()[:13] <= t[:13] for t in times)


def test_hits_mix_exact_and_misread_plates_wanted_persons_stolen_cars_and_bolos() -> None:
    simulator = LprSimulator(8, READERS, LISTED, 20.0, hit_every_s=0.5)

    reads = _run(simulator, 300)

    hits = [(read, _listed_for(read)) for read in reads]
    found = [(read, car) for read, car in hits if car is not None]
    assert abs(len(found) / len(reads) - 0.1) < 0.01  # the share configured
    misread = [r for r, car in found if car and normalize_plate(r["plate"]) != car.normalised]
    assert 0.15 < len(misread) / len(found) < 0.35
    kinds = Counter("manual" if car.manual else car.reason_code for _r, car in found if car)
    assert kinds["manual"] > 0.15 * len(found)
    assert kinds["wanted_person"] > 0.08 * len(found)
    assert kinds["stolen_vehicle"] > 0.25 * len(found)
    weak = [(r, car) for r, car in found if car and not car.corroborates and "vehicle" in r]
    assert weak  # a stolen plate on another car, a repainted one ...
    for read, car in weak:
        assert car is not None
        listed = car.listed
        seen = read["vehicle"]
        assert (seen["make"], seen["colour"]) != (listed.model.make, listed.colour.word)


def test_fixed_readers_report_their_heading_and_patrol_cars_where_they_drive() -> None:
    reads = _run(LprSimulator(9, READERS, LISTED, 20.0), 120)
    headings = {r.code: r.heading for r in READERS}

    fixed = [read for read in reads if not read["reader"].endswith(("M1", "M2"))]
    mobile = [read for read in reads if read["reader"].endswith("M1")]
    assert all(read["heading"] == headings[read["reader"]] for read in fixed)
    assert all("lat" not in read and 1 <= read["lane"] <= 2 for read in fixed)
    assert all(12 <= read["speed_kmh"] <= 55 for read in fixed)
    assert all({"lat", "lon", "heading"} <= set(read) for read in mobile)
    places = {(read["lat"], read["lon"]) for read in mobile}
    assert len(places) > len(mobile) * 0.9  # the car moves between reads


def test_every_read_is_valid_for_the_intake_wire_format() -> None:
    reads = _run(LprSimulator(10, READERS, LISTED, 20.0, hit_every_s=1, plate_image=IMAGE), 30)

    decoded = decode_reads(orjson.dumps(reads), 5000)

    assert decoded.problems == {}
    assert len(decoded.reads) == len(reads)


def test_without_hotlist_plates_nothing_hits() -> None:
    simulator = LprSimulator(12, READERS, [], 20.0)

    reads = _run(simulator, 60)

    assert reads
    assert simulator.hits == 0


async def test_a_batch_goes_through_the_real_intake_and_its_hits_raise_alerts(
    wf: Watchfloor, client: AsyncClient, clock: ManualClock, tmp_path: Path
) -> None:
    demo = await set_up_demo_lpr(wf, clock)
    token = await feed_token(wf, client)
    auth = {"Authorization": f"Bearer {token}"}
    uploaded = await client.post(
        "/api/lpr/images", content=plate_png(), headers={**auth, "Content-Type": "image/png"}
    )
    assert uploaded.status_code == 201, uploaded.text
    simulator = LprSimulator(
        13, demo.readers, demo.listed, 20.0, hit_every_s=0.5, plate_image=uploaded.json()["sha256"]
    )
    reads = _run(simulator, 20, clock.now() - timedelta(seconds=20))

    response = await client.post(
        "/api/lpr/reads",
        content=orjson.dumps(reads),
        headers={**auth, "Content-Type": "application/json"},
    )

    assert response.status_code == 200, response.text
    result = response.json()
    assert result["accepted"] == len(reads)
    assert result["hits"] >= simulator.hits > 10
    async with wf.db.read_session() as session:
        stored = await session.scalar(select(func.count()).select_from(PlateRead))
        alerts = (await session.execute(select(PlateAlert))).scalars().all()
    assert stored == len(reads)
    assert {a.hotlist_name for a in alerts} == {"Demo BOLO", "NCIC extract (demo)"}
    assert {a.match_kind for a in alerts} == {"exact", "misread"}
    assert "high" in {a.severity for a in alerts}
    assert all(a.stale == (a.hotlist_name != "Demo BOLO") for a in alerts)
    assert all(a.plate_image == uploaded.json()["sha256"] for a in alerts)
    assert len(BOLOS) >= len({a.entry_id for a in alerts if a.hotlist_name == "Demo BOLO"})


def test_the_first_hit_comes_within_seconds_of_the_start_then_by_chance() -> None:
    simulator = LprSimulator(14, READERS, LISTED, 20.0, hit_every_s=3600)
    unforced = LprSimulator(14, READERS, LISTED, 20.0, hit_every_s=3600, first_hit_after_s=None)

    reads = _run(simulator, 60)
    quiet = _run(unforced, 60)

    hits = [read for read in reads if _listed_for(read) is not None]
    assert len(hits) == simulator.hits == 1
    assert START + timedelta(seconds=10) <= datetime.fromisoformat(hits[0]["captured_at"])
    assert datetime.fromisoformat(hits[0]["captured_at"]) < START + timedelta(seconds=11)
    assert unforced.hits == 0
    assert not [read for read in quiet if _listed_for(read) is not None]
