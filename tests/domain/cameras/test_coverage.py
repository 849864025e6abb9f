"""Which cameras can see a point: wedges, PTZ reach, nearby, mobile freshness, index vs scan."""

from __future__ import annotations

import math
import random
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from watchfloor.domain.cameras.coverage import (
    METRES_PER_DEGREE,
    CameraView,
    CoverageIndex,
    can_see_brute,
    offset_m,
    wedge,
)

AT = datetime(2026, 11, 21, 14, 0, tzinfo=UTC)
LAT, LON = 60.17, 24.94
COS = math.cos(math.radians(LAT))


def _moved(north_m: float, east_m: float) -> tuple[float, float]:
    return LAT + north_m / METRES_PER_DEGREE, LON + east_m / (METRES_PER_DEGREE * COS)


def _camera(
    code: str,
    *,
    north_m: float = 0.0,
    east_m: float = 0.0,
    bearing: float | None = 0.0,
    fov: float = 90.0,
    range_m: float = 100.0,
    **extra: object,
) -> CameraView:
    lat, lon = _moved(north_m, east_m)
    base = CameraView(code, lat, lon, bearing, fov, range_m, kind="fixed", access_level="standard")
    return replace(base, **extra)  # type: ignore[arg-type]


def _index(*views: CameraView) -> CoverageIndex:
    index = CoverageIndex()
    index.replace_all(views)
    return index


def _codes(index: CoverageIndex, **kwargs: object) -> list[tuple[str, str]]:
    found = index.can_see(LAT, LON, at=AT, **kwargs)  # type: ignore[arg-type]
    return [(s.code, s.coverage) for s in found]


def test_camera_facing_the_point_covers_it() -> None:
    # 50 m south of the point, facing north.
    found = _index(_camera("C1", north_m=-50, bearing=0)).can_see(LAT, LON, at=AT)
    assert [(s.code, s.coverage) for s in found] == [("C1", "in_view")]
    assert found[0].distance_m == pytest.approx(50, abs=0.2)
    assert found[0].bearing_to_point_deg == pytest.approx(0, abs=0.2)
    assert "In view" in found[0].explanation


def test_camera_facing_away_is_only_nearby() -> None:
    found = _index(_camera("C1", north_m=-50, bearing=180)).can_see(LAT, LON, at=AT)
    assert [(s.code, s.coverage) for s in found] == [("C1", "nearby")]
    assert "Nearby only" in found[0].explanation


def test_ptz_facing_away_within_reach_can_turn() -> None:
    ptz = _camera("P1", north_m=-120, bearing=180, range_m=100, ptz=True, ptz_reach_m=300)
    found = _index(ptz).can_see(LAT, LON, at=AT, near_m=50)
    assert [(s.code, s.coverage) for s in found] == [("P1", "ptz_can_turn")]
    assert "PTZ can turn" in found[0].explanation


def test_camera_out_of_range_and_far_is_not_returned() -> None:
    index = _index(_camera("C1", north_m=-400, bearing=0, range_m=100))
    assert _codes(index) == []
    assert _codes(index, near_m=500) == [("C1", "nearby")]


def test_camera_without_bearing_sees_all_round() -> None:
    index = _index(_camera("D1", north_m=40, bearing=None, range_m=60))
    assert _codes(index) == [("D1", "in_view")]
    ring = wedge(index.get("D1") or _camera("x"))
    assert ring[0] == ring[-1]


def test_fov_edge_is_inclusive_and_just_outside_is_not() -> None:
    # The point is due north of the camera; a 90° field of view facing 45° has its edge at 0°.
    assert _codes(_index(_camera("E1", north_m=-50, bearing=45))) == [("E1", "in_view")]
    assert _codes(_index(_camera("E2", north_m=-50, bearing=46))) == [("E2", "nearby")]


def test_bearing_wraps_around_north() -> None:
    # The point lies at bearing 10° from the camera: 20° from a camera facing 350°.
    east = 50 * math.sin(math.radians(10))
    north = 50 * math.cos(math.radians(10))
    index = _index(
        _camera("W1", north_m=-north, east_m=-east, bearing=350, fov=50),
        _camera("W2", north_m=-north, east_m=-east, bearing=350, fov=30),
    )
    assert _codes(index) == [("W1", "in_view"), ("W2", "nearby")]
    # And the mirror: the point at bearing 350° from a camera facing 10°.
    mirrored = _index(_camera("W3", north_m=-north, east_m=east, bearing=10, fov=50))
    found = mirrored.can_see(LAT, LON, at=AT)
    assert [(s.code, s.coverage) for s in found] == [("W3", "in_view")]
    assert found[0].bearing_to_point_deg == pytest.approx(350, abs=0.2)


def test_order_is_in_view_then_ptz_then_nearby_each_by_score_then_distance() -> None:
    index = _index(
        _camera("NEAR-FAR", north_m=-120, bearing=180),
        _camera("NEAR-CLOSE", north_m=-30, bearing=180),
        _camera("PTZ", north_m=-60, bearing=180, ptz=True, ptz_reach_m=200),
        _camera("VIEW-FAR", north_m=-90, bearing=0),
        _camera("VIEW-CLOSE", north_m=-20, bearing=0),
        _camera("VIEW-OFF-CENTRE", north_m=-20, bearing=20),
    )
    assert _codes(index) == [
        ("VIEW-CLOSE", "in_view"),
        ("VIEW-OFF-CENTRE", "in_view"),
        ("VIEW-FAR", "in_view"),
        ("PTZ", "ptz_can_turn"),
        ("NEAR-CLOSE", "nearby"),
        ("NEAR-FAR", "nearby"),
    ]
    assert _codes(index, limit=2) == [("VIEW-CLOSE", "in_view"), ("VIEW-OFF-CENTRE", "in_view")]


def test_equal_scores_are_ordered_by_distance() -> None:
    # Two PTZ cameras whose reach scales with their distance score the same.
    index = _index(
        _camera("FAR", north_m=-100, bearing=180, ptz=True, ptz_reach_m=200, range_m=50),
        _camera("CLOSE", north_m=-50, bearing=180, ptz=True, ptz_reach_m=100, range_m=25),
    )
    found = index.can_see(LAT, LON, at=AT, near_m=10)
    assert [s.score for s in found] == [0.5, 0.5]
    assert [s.code for s in found] == ["CLOSE", "FAR"]


def test_mobile_camera_counts_only_with_a_fresh_position() -> None:
    fresh = _camera("CAR-1", north_m=-30, mobile=True, position_at=AT - timedelta(minutes=2))
    stale = _camera("CAR-2", north_m=-30, mobile=True, position_at=AT - timedelta(minutes=30))
    unknown = _camera("CAR-3", north_m=-30, mobile=True)
    found = _index(fresh, stale, unknown).can_see(LAT, LON, at=AT)
    assert [s.code for s in found] == ["CAR-1"]
    assert "2 min" in found[0].explanation
    assert _codes(_index(stale), stale_after=timedelta(hours=1)) == [("CAR-2", "in_view")]


def test_mobile_camera_facing_away_is_not_listed_as_nearby() -> None:
    away = _camera("BODY-1", north_m=-30, bearing=180, mobile=True, position_at=AT)
    assert _codes(_index(away)) == []


def test_wedge_is_a_closed_ring_within_range() -> None:
    view = _camera("C1", bearing=30, fov=60, range_m=120)
    ring = wedge(view, steps=12)
    assert ring[0] == ring[-1] == (round(view.lon, 7), round(view.lat, 7))
    assert len(ring) == 12 + 1 + 2
    for lon, lat in ring[1:-1]:
        east, north = offset_m(view.lat, view.lon, lat, lon)
        assert math.hypot(east, north) == pytest.approx(120, abs=0.5)
        bearing = math.degrees(math.atan2(east, north)) % 360
        assert 0 - 1e-6 <= bearing <= 60 + 1e-6


def test_an_all_round_wedge_is_a_circle_of_evenly_spaced_points_to_the_centimetre() -> None:
    view = _camera("C1", bearing=None, fov=360, range_m=80)
    ring = wedge(view, steps=6)
    assert len(ring) == 2 * 6 + 1
    assert ring[0] == ring[-1]
    bearings = []
    for lon, lat in ring[:-1]:
        assert (lon, lat) == (round(lon, 7), round(lat, 7))
        east, north = offset_m(view.lat, view.lon, lat, lon)
        assert math.hypot(east, north) == pytest.approx(80, abs=0.5)
        bearings.append(math.degrees(math.atan2(east, north)) % 360)
    assert bearings == pytest.approx([30.0 * i for i in range(12)], abs=0.1)


def test_index_update_moves_and_remove_forgets() -> None:
    index = _index(_camera("C1", north_m=-50, bearing=0))
    assert _codes(index) == [("C1", "in_view")]
    index.upsert(_camera("C1", north_m=-50, bearing=180))
    assert _codes(index) == [("C1", "nearby")]
    index.upsert(_camera("C1", north_m=-5000, bearing=0))
    assert _codes(index) == []
    assert len(index) == 1
    assert index.remove("C1") is True
    assert index.remove("C1") is False
    assert len(index) == 0


def test_long_reach_camera_added_later_is_found() -> None:
    index = _index(_camera("C1", north_m=-50, bearing=0))
    index.upsert(_camera("DRONE", north_m=-1800, bearing=0, range_m=2000))
    assert _codes(index) == [("C1", "in_view"), ("DRONE", "in_view")]


def test_invalid_views_are_refused() -> None:
    with pytest.raises(ValueError, match="fov_deg"):
        _camera("X", fov=0)
    with pytest.raises(ValueError, match="range_m"):
        _camera("X", range_m=0)


def _random_view(rnd: random.Random, i: int) -> CameraView:
    lat, lon = _moved(rnd.uniform(-3000, 3000), rnd.uniform(-3000, 3000))
    roll = rnd.random()
    ptz = roll < 0.15
    mobile = 0.15 <= roll < 0.3
    return CameraView(
        code=f"C{i:05d}",
        lat=lat,
        lon=lon,
        bearing_deg=None if rnd.random() < 0.1 else rnd.uniform(0, 360),
        fov_deg=rnd.uniform(20, 120),
        range_m=rnd.uniform(20, 200),
        kind="mobile" if mobile else "fixed",
        access_level="standard",
        ptz=ptz,
        ptz_reach_m=rnd.uniform(100, 1200) if ptz else None,
        mobile=mobile,
        position_at=AT - timedelta(minutes=rnd.uniform(0, 20)) if mobile else None,
    )


def test_index_matches_a_brute_force_scan() -> None:
    rnd = random.Random(20261121)
    views = [_random_view(rnd, i) for i in range(3000)]
    index = _index(*views)
    # Updates and removals must leave the index equivalent to a scan of what remains.
    for view in views[:200]:
        index.upsert(_random_view(rnd, int(view.code[1:])))
    for code in [v.code for v in views[200:300]]:
        index.remove(code)
    remaining = [v for code in sorted({v.code for v in views}) if (v := index.get(code))]
    non_empty = 0
    for _ in range(300):
        lat, lon = _moved(rnd.uniform(-3200, 3200), rnd.uniform(-3200, 3200))
        near = rnd.choice([50.0, 150.0, 400.0])
        got = index.can_see(lat, lon, at=AT, near_m=near, limit=1000)
        want = can_see_brute(remaining, lat, lon, at=AT, near_m=near, limit=1000)
        assert got == want
        non_empty += bool(got)
    assert non_empty > 250
