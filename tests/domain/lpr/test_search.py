"""Investigative search: exact, prefix and wildcard plates, window, area, readers, vehicle;
purpose-bound, case-bound and audited."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import event

from tests.domain.lpr.reads import SPOT, Read, add_reads
from watchfloor.app import Watchfloor
from watchfloor.audit.service import AuditFilter
from watchfloor.core.context import Actor, RequestContext, Role
from watchfloor.core.errors import Forbidden, InvalidInput
from watchfloor.domain.lpr import search_plan
from watchfloor.domain.lpr.search import Circle, Polygon, ReadQuery, SearchResult

DETECTIVE = RequestContext(actor=Actor(username="det-ray", role=Role.ANALYST))
PURPOSE = "stolen_vehicle"
CASE = "26-004711"


async def _search(wf: Watchfloor, **fields: Any) -> SearchResult:
    now = wf.clock.now()
    fields.setdefault("since", now - timedelta(days=7))
    fields.setdefault("until", now)
    return await wf.read_search.search(ReadQuery(**fields), PURPOSE, CASE, DETECTIVE)


def _plates(result: SearchResult) -> list[str]:
    return [hit.plate for hit in result.reads]


async def test_exact_plate_finds_its_reads_in_the_window_newest_first(wf: Watchfloor) -> None:
    now = wf.clock.now()
    ids = await add_reads(
        wf,
        [
            Read("ABC123", now - timedelta(hours=5), reader="ALPR-7"),
            Read("ABC123", now - timedelta(hours=1)),
            Read("ABC123", now - timedelta(days=8)),
            Read("ABC124", now - timedelta(hours=2)),
        ],
    )

    result = await _search(wf, plate="abc 123")

    assert [hit.id for hit in result.reads] == [ids[1], ids[0]]
    older = result.reads[1]
    assert (older.reader_code, older.reader_name) == ("ALPR-7", "Reader ALPR-7")
    assert older.captured_at == now - timedelta(hours=5)
    assert older.captured_at.tzinfo is not None
    assert (older.lat, older.lon, older.hit) == (SPOT[0], SPOT[1], False)
    assert result.truncated is False


async def test_prefix_matches_only_plates_that_start_with_it(wf: Watchfloor) -> None:
    at = wf.clock.now() - timedelta(hours=1)
    plates = ["AB9", "AB91", "ABA1", "AB8Z", "ABZ9", "AC1", "XAB9"]
    await add_reads(wf, [Read(plate, at) for plate in plates])

    assert sorted(_plates(await _search(wf, plate="AB9*"))) == ["AB9", "AB91"]
    assert sorted(_plates(await _search(wf, plate="ABZ*"))) == ["ABZ9"]
    assert sorted(_plates(await _search(wf, plate="A*"))) == sorted(set(plates) - {"XAB9"})


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("*C12*", ["ABC123", "AXC123", "XC12Y"]),
        ("A?C123", ["ABC123", "AXC123"]),
        ("*12*", ["ABC123", "AXC123", "XC12Y", "ZZ12"]),
        ("*123", ["ABC123", "AXC123"]),
        ("??12", ["ZZ12"]),
    ],
)
async def test_wildcards_go_through_the_plate_dictionary(
    wf: Watchfloor, pattern: str, expected: list[str]
) -> None:
    at = wf.clock.now() - timedelta(hours=1)
    plates = ["ABC123", "XC12Y", "AXC123", "ZZ12", "QQQ999"]
    await add_reads(wf, [Read(plate, at - timedelta(minutes=i)) for i, plate in enumerate(plates)])
    old = wf.clock.now() - timedelta(days=30)
    await add_reads(wf, [Read("OLD123", old)])

    assert sorted(_plates(await _search(wf, plate=pattern))) == expected


async def test_a_wildcard_matching_too_many_plates_is_refused(
    wf: Watchfloor, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search_plan, "MAX_PATTERN_PLATES", 2)
    at = wf.clock.now() - timedelta(hours=1)
    await add_reads(wf, [Read(p, at) for p in ("A1X", "A2X", "A3X")])

    with pytest.raises(InvalidInput) as refused:
        await _search(wf, plate="A?X")

    assert refused.value.problems[0].pointer == "/plate"
    assert "too broad" in refused.value.problems[0].reason
    assert _plates(await _search(wf, plate="A1?")) == ["A1X"]


async def test_circle_keeps_reads_inside_the_radius_not_the_whole_box(wf: Watchfloor) -> None:
    at = wf.clock.now() - timedelta(hours=1)
    lat, lon = SPOT
    # 5 km circle: the box corner (~4.4 km north and east) is 6.3 km away, outside the circle.
    await add_reads(
        wf,
        [
            Read("NEAR1", at, lat=lat + 0.01, lon=lon),
            Read("CORNER1", at, lat=lat + 0.04, lon=lon + 0.08),
            Read("FAR1", at, lat=lat + 0.5, lon=lon),
            Read("NOGPS1", at, lat=None, lon=None),
        ],
    )

    result = await _search(wf, area=Circle(lat, lon, 5000))

    assert _plates(result) == ["NEAR1"]


async def test_polygon_uses_the_exact_ring(wf: Watchfloor) -> None:
    at = wf.clock.now() - timedelta(hours=1)
    # A right triangle: (0,0), (1,0), (0,1) in (lon, lat); (0.8, 0.8) is in its box, not in it.
    await add_reads(wf, [Read("IN1", at, lat=0.2, lon=0.2), Read("OUT1", at, lat=0.8, lon=0.8)])

    result = await _search(wf, area=Polygon(((0.0, 0.0), (1.0, 0.0), (0.0, 1.0))))

    assert _plates(result) == ["IN1"]


async def test_area_pages_past_rows_outside_the_shape_until_the_limit_is_met(
    wf: Watchfloor,
) -> None:
    now = wf.clock.now()
    lat, lon = SPOT
    corner = [Read(f"CRN{i}", now - timedelta(minutes=i), lat=lat + 0.04, lon=lon + 0.08)
              for i in range(1, 13)]  # fmt: skip
    inside = [Read(f"IN{i}", now - timedelta(hours=1, minutes=i)) for i in range(1, 5)]
    await add_reads(wf, corner + inside)

    result = await _search(wf, area=Circle(lat, lon, 5000), limit=3)

    assert _plates(result) == ["IN1", "IN2", "IN3"]
    assert result.truncated is True


async def test_limit_truncates_and_says_so(wf: Watchfloor) -> None:
    now = wf.clock.now()
    await add_reads(wf, [Read("LIM1", now - timedelta(minutes=i)) for i in range(1, 6)])

    capped = await _search(wf, plate="LIM1", limit=4)
    exact = await _search(wf, plate="LIM1", limit=5)

    assert (len(capped.reads), capped.truncated) == (4, True)
    assert (len(exact.reads), exact.truncated) == (5, False)


async def test_readers_and_vehicle_attributes_filter_case_insensitively(wf: Watchfloor) -> None:
    at = wf.clock.now() - timedelta(hours=1)
    await add_reads(
        wf,
        [
            Read("VEH1", at, reader="ALPR-2", make="Toyota", colour="Blue"),
            Read("VEH2", at, reader="ALPR-2", make="Ford", colour="Blue"),
            Read("VEH3", at, reader="ALPR-3", make="toyota", colour="BLUE"),
        ],
    )

    by_make = await _search(wf, make=" TOYOTA ", colour="blue")
    by_reader = await _search(wf, make="toyota", reader_codes=("ALPR-2",))

    assert sorted(_plates(by_make)) == ["VEH1", "VEH3"]
    assert _plates(by_reader) == ["VEH1"]
    with pytest.raises(InvalidInput) as unknown:
        await _search(wf, reader_codes=("ALPR-2", "NOPE"))
    assert unknown.value.problems[0].pointer == "/reader_codes/1"


async def test_no_plate_scans_the_window(wf: Watchfloor) -> None:
    now = wf.clock.now()
    await add_reads(
        wf, [Read("WIN1", now - timedelta(hours=2)), Read("WIN2", now - timedelta(days=9))]
    )

    assert _plates(await _search(wf)) == ["WIN1"]
    assert _plates(await _search(wf, plate="*")) == ["WIN1"]


@pytest.mark.parametrize(
    ("change", "pointer"),
    [
        ({"until_shift": timedelta(days=-8)}, "/until"),
        ({"since_shift": timedelta(days=-400)}, "/since"),
        ({"limit": 0}, "/limit"),
        ({"limit": 5001}, "/limit"),
        ({"area": Circle(60.0, 24.0, 0)}, "/area/radius_m"),
        ({"area": Polygon(((0.0, 0.0), (1.0, 1.0)))}, "/area/polygon"),
    ],
)
async def test_bad_queries_name_the_field(
    wf: Watchfloor, change: dict[str, Any], pointer: str
) -> None:
    now = wf.clock.now()
    fields: dict[str, Any] = {"since": now - timedelta(days=7), "until": now}
    fields["until"] += change.pop("until_shift", timedelta())
    fields["since"] += change.pop("since_shift", timedelta())
    with pytest.raises(InvalidInput) as refused:
        await wf.read_search.search(ReadQuery(**fields, **change), PURPOSE, CASE, DETECTIVE)
    assert refused.value.problems[0].pointer == pointer


@pytest.mark.parametrize(
    ("purpose", "case_number", "pointer"),
    [
        ("curiosity", CASE, "/purpose"),
        (PURPOSE, "  ", "/case_number"),
        (PURPOSE, "X" * 101, "/case_number"),
    ],
)
async def test_a_search_needs_an_allowed_purpose_and_a_case(
    wf: Watchfloor, purpose: str, case_number: str, pointer: str
) -> None:
    now = wf.clock.now()
    query = ReadQuery(since=now - timedelta(days=1), until=now)
    with pytest.raises(InvalidInput) as refused:
        await wf.read_search.search(query, purpose, case_number, DETECTIVE)
    assert [p.pointer for p in refused.value.problems] == [pointer]


async def test_every_search_is_audited_with_purpose_case_parameters_and_count(
    wf: Watchfloor,
) -> None:
    now = wf.clock.now()
    await add_reads(wf, [Read("AUD123", now - timedelta(hours=1))])

    result = await _search(wf, plate="AUD*", area=Circle(SPOT[0], SPOT[1], 1000))

    [record] = await wf.audit.query(AuditFilter(action="lpr.search"))
    assert (record.reason, record.case_number, record.outcome) == (PURPOSE, CASE, "success")
    assert (record.actor_username, record.object_id) == ("det-ray", result.search_id)
    assert record.details["results"] == 1
    assert record.details["plate"] == "AUD*"
    assert record.details["match"] == "prefix"
    assert record.details["area"]["radius_m"] == 1000


async def test_a_prohibited_purpose_is_refused_before_any_read_is_looked_at(
    wf: Watchfloor,
) -> None:
    now = wf.clock.now()
    await add_reads(wf, [Read("PRO123", now - timedelta(hours=1))])
    statements: list[str] = []

    def _seen(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    event.listen(wf.db.engine.sync_engine, "before_cursor_execute", _seen)
    try:
        with pytest.raises(Forbidden) as refused:
            await wf.read_search.search(
                ReadQuery(since=now - timedelta(days=1), until=now, plate="PRO123"),
                "immigration_enforcement",
                CASE,
                DETECTIVE,
            )
    finally:
        event.remove(wf.db.engine.sync_engine, "before_cursor_execute", _seen)

    assert refused.value.code == "purpose_prohibited"
    assert statements, "the refusal itself must be audited"
    assert not [s for s in statements if "lpr_read" in s or "lpr_plate" in s]
    [record] = await wf.audit.query(AuditFilter(action="lpr.search"))
    assert (record.outcome, record.reason) == ("denied", "immigration_enforcement")
    assert record.details.get("results") is None
