"""The demo's plate readers and hotlists: where the readers stand, and what the set-up registers."""

from __future__ import annotations

import random
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.demo.lpr_support import NCIC_ENTRIES, set_up_demo_lpr
from watchfloor.app import Watchfloor
from watchfloor.audit.models import AuditRecord
from watchfloor.connectors.hotlists import HotlistRecord
from watchfloor.connectors.hotlists.ncic import parse_ncic
from watchfloor.core.clock import ManualClock
from watchfloor.core.context import Actor, RequestContext
from watchfloor.demo.city import Camera
from watchfloor.demo.lpr_hotlists import (
    BOLO_LIST,
    BOLOS,
    NCIC_FILE,
    NCIC_LIST,
    PlateBook,
    ncic_extract,
    ncic_vehicles,
)
from watchfloor.demo.lpr_setup import (
    DemoClock,
    camera_heading,
    fixed_readers,
    mobile_readers,
)
from watchfloor.demo.lpr_vehicles import misread
from watchfloor.demo.streets import Segment, distance_m, nearest_segment, street_segments


def test_fixed_readers_stand_beside_main_streets_spread_over_the_city() -> None:
    readers = fixed_readers()
    segments = street_segments()

    assert [r.code for r in readers] == [f"HKI-LPR-{n:02d}" for n in range(1, 16)]
    assert readers == fixed_readers()  # deterministic
    assert len({r.camera_ref for r in readers}) == 15
    assert len({r.name for r in readers}) == 15
    for reader in readers:
        assert reader.lat is not None
        assert reader.lon is not None
        segment, metres = nearest_segment((reader.lat, reader.lon), segments)
        assert metres <= 25
        assert reader.heading == segment.bearing  # no camera in the city has a direction tag
        assert str(segment.street) in reader.name
        assert reader.direction is not None
        assert reader.direction.removesuffix("bound") in reader.name
    places = [(r.lat or 0.0, r.lon or 0.0) for r in readers]
    closest = min(distance_m(a, b) for i, a in enumerate(places) for b in places[i + 1 :])
    assert closest > 150  # spread, not clustered on one corner


@pytest.mark.parametrize(
    ("tags", "heading"),
    [
        ({"camera:direction": "270"}, 270.0),
        ({"direction": "NE"}, 45.0),
        ({"direction": "sse"}, 157.5),
        ({"direction": "forward"}, None),
        ({}, None),
    ],
)
def test_a_camera_faces_where_its_osm_tags_say(tags: dict[str, str], heading: float | None) -> None:
    assert camera_heading(Camera(1, 60.17, 24.94, tags)) == heading


def test_a_tagged_camera_gives_its_reader_its_heading_else_the_street_does() -> None:
    street = [Segment("Testikatu", "primary", (60.17, 24.94), (60.171, 24.94))]
    cameras = [Camera(2, 60.1705, 24.9401, {"direction": "W"}), Camera(3, 60.17, 24.9400, {})]

    tagged, untagged = fixed_readers(2, cameras, street, [])

    assert tagged.heading == 270.0
    assert tagged.direction == "westbound"
    assert untagged.heading == 0.0
    assert untagged.name == "Testikatu (northbound)"
    assert tagged.camera_ref == "osm:node/2"


def test_patrol_cars_carry_mobile_readers_without_a_fixed_place() -> None:
    readers = mobile_readers()

    assert [r.code for r in readers] == ["HKI-LPR-M1", "HKI-LPR-M2"]
    assert all(r.kind == "mobile" and r.lat is None for r in readers)


def test_the_demo_clock_turns_back_only_within_the_block() -> None:
    clock = DemoClock()
    before = clock.now()
    with clock.rewound(timedelta(hours=20)):
        back = clock.now()
    after = clock.now()

    assert timedelta(hours=19, minutes=59) < before - back < timedelta(hours=20, minutes=1)
    assert abs(after - before) < timedelta(minutes=1)


async def test_set_up_registers_the_readers_and_the_lists_one_of_them_stale(
    wf: Watchfloor, clock: ManualClock, tmp_path: Path
) -> None:
    demo = await set_up_demo_lpr(wf, clock)

    registered = await wf.lpr_readers.list()
    assert len(registered) == 17
    assert {r.code for r in registered} == {r.code for r in demo.readers}
    lists = {h.name: h for h in await wf.hotlists.all_lists()}
    ncic, bolo = lists[NCIC_LIST], lists[BOLO_LIST]
    assert ncic.entry_count == NCIC_ENTRIES
    assert ncic.stale
    assert ncic.age_minutes == 20 * 60
    landing = wf.settings.lpr.hotlist_source_dir
    assert landing is not None
    assert ncic.source_uri == str((landing / NCIC_FILE).resolve())
    assert bolo.entry_count == len(BOLOS)
    assert not bolo.stale
    assert len(demo.listed) == NCIC_ENTRIES + len(BOLOS)
    assert any("STALE" in line and NCIC_LIST in line for line in demo.describe(20))


async def test_bolo_entries_carry_reason_and_expiry_by_the_supervisor_and_all_is_audited(
    wf: Watchfloor, clock: ManualClock, tmp_path: Path
) -> None:
    await set_up_demo_lpr(wf, clock)
    bolo = next(h for h in await wf.hotlists.all_lists() if h.name == BOLO_LIST)

    entries = await wf.hotlists.list_entries(bolo.id, _auditor_context())

    assert len(entries) == len(BOLOS)
    for entry, planned in zip(entries, BOLOS, strict=True):
        assert entry.manual_reason == planned.reason
        assert entry.entered_by == "supervisor"
        assert entry.expires_at == clock.now() + timedelta(hours=planned.hours)
    async with wf.db.read_session() as session:
        records = (await session.execute(select(AuditRecord))).scalars().all()
    registered = [r for r in records if r.action == "lpr.reader.registered"]
    assert len(registered) == 17
    assert {r.actor_username for r in registered} == {"system:demo"}
    refreshed = next(r for r in records if r.action == "hotlist.refreshed")
    assert refreshed.occurred_at == clock.now() - timedelta(hours=20)
    times = [r.occurred_at for r in sorted(records, key=lambda r: r.seq)]
    assert times == sorted(times)  # the history comes first: the log stays in time order


async def test_the_scheduled_refresh_finds_the_same_extract_and_leaves_the_list_stale(
    wf: Watchfloor, clock: ManualClock, tmp_path: Path
) -> None:
    await set_up_demo_lpr(wf, clock)

    await wf.hotlists.refresh_due()
    await wf.hotlists.wait_imports()

    ncic = next(h for h in await wf.hotlists.all_lists() if h.name == NCIC_LIST)
    assert ncic.stale
    assert len(await wf.hotlists.imports(ncic.id)) == 1


def _auditor_context() -> RequestContext:
    return RequestContext(actor=Actor.system("test"))


def test_the_ncic_extract_is_in_the_fixed_width_layout_with_weak_and_confusable_entries() -> None:
    rng = random.Random(4)
    listed = ncic_vehicles(rng, PlateBook(rng), 500)
    text = ncic_extract(listed, rng, datetime(2026, 11, 20, 18, 0, tzinfo=UTC))

    parsed = list(parse_ncic(text.splitlines()))

    records = [p for p in parsed if isinstance(p, HotlistRecord)]
    assert len(records) == len(parsed) == 500
    for record, car in zip(records, listed, strict=True):
        assert record.plate == car.normalised
        assert record.state == car.state
        assert record.reason_code == car.reason_code
        assert record.make == car.listed.model.ncic_make
        assert record.colour == car.listed.colour.ncic
    reasons = Counter(car.reason_code for car in listed)
    assert reasons["stolen_vehicle"] > reasons["wanted_person"] > 0
    weak = [car for car in listed if not car.corroborates]
    assert 0.1 < len(weak) / len(listed) < 0.4
    assert all(not car.corroborates for car in listed if car.reason_code == "stolen_plate")
    assert sum(misread(car.plate, rng) is not None for car in listed) > 0.9 * len(listed)
