"""The in-memory index of listed cameras: the same answers as a scan of every camera, changes per
site, and fast enough with 50,000 cameras."""

from __future__ import annotations

import random
import statistics
import time

from watchfloor.core.geo import distance_m
from watchfloor.domain.community.nearby import CameraIndex, ListedCamera

LAT, LON = 60.17, 24.94
M = 1 / 111_195


def camera(camera_id: str, site_id: str, lat: float, lon: float) -> ListedCamera:
    return ListedCamera(
        id=camera_id,
        site_id=site_id,
        label=camera_id,
        lat=lat,
        lon=lon,
        bearing=None,
        fov_angle=None,
        range_m=None,
        covers=("street",),
        retention_days=7,
        site_kind="residence",
        site_name=None,
        accepts=("other",),
    )


def city(count: int, seed: int = 8) -> list[ListedCamera]:
    rnd = random.Random(seed)
    return [
        camera(f"c{i}", f"s{i // 2}", LAT + rnd.uniform(-0.05, 0.05), LON + rnd.uniform(-0.1, 0.1))
        for i in range(count)
    ]


def indexed(cameras: list[ListedCamera]) -> CameraIndex:
    index = CameraIndex()
    by_site: dict[str, list[ListedCamera]] = {}
    for c in cameras:
        by_site.setdefault(c.site_id, []).append(c)
    for site_id, listed in by_site.items():
        index.replace_site(site_id, listed)
    return index


def test_near_finds_what_a_scan_finds_nearest_first() -> None:
    cameras = city(3_000)
    index = indexed(cameras)
    rnd = random.Random(1)
    for _ in range(50):
        lat, lon = LAT + rnd.uniform(-0.05, 0.05), LON + rnd.uniform(-0.1, 0.1)
        radius = rnd.choice([50, 200, 800])
        scan = sorted(
            (distance_m(lat, lon, c.lat, c.lon), c.id)
            for c in cameras
            if distance_m(lat, lon, c.lat, c.lon) <= radius - 1  # the edge may round either way
        )
        found = index.near(lat, lon, radius, 10_000)
        assert {c.id for _, c in found} >= {i for _, i in scan}
        distances = [d for d, _ in found]
        assert distances == sorted(distances)
        assert all(d <= radius for d in distances)
        assert [c.id for _, c in index.near(lat, lon, radius, 3)] == [c.id for _, c in found[:3]]


def test_a_site_is_replaced_or_removed_as_a_whole() -> None:
    index = CameraIndex()
    index.replace_site("s1", [camera("a", "s1", LAT, LON), camera("b", "s1", LAT + 10 * M, LON)])
    index.replace_site("s2", [camera("c", "s2", LAT + 20 * M, LON)])
    assert [c.id for _, c in index.near(LAT, LON, 100, 10)] == ["a", "b", "c"]
    index.replace_site("s1", [camera("b", "s1", LAT + 500 * M, LON)])
    assert [c.id for _, c in index.near(LAT, LON, 100, 10)] == ["c"]
    index.remove_site("s2")
    index.replace_site("s1", [])
    assert index.near(LAT, LON, 10_000, 10) == []
    assert len(index) == 0


def test_in_box_reads_small_and_large_boxes_alike() -> None:
    cameras = city(2_000)
    index = indexed(cameras)
    for box in [(LAT, LON, LAT + 0.004, LON + 0.008), (LAT - 1, LON - 1, LAT + 1, LON + 1)]:
        south, west, north, east = box
        wanted = {c.id for c in cameras if south <= c.lat <= north and west <= c.lon <= east}
        assert {c.id for c in index.in_box(*box, 100_000)} == wanted
    assert len(index.in_box(LAT - 1, LON - 1, LAT + 1, LON + 1, 25)) == 25


def test_near_answers_within_5_ms_at_p95_among_50_000_cameras() -> None:
    index = indexed(city(50_000))
    rnd = random.Random(2)
    took = []
    for _ in range(300):
        lat, lon = LAT + rnd.uniform(-0.05, 0.05), LON + rnd.uniform(-0.1, 0.1)
        began = time.perf_counter()
        index.near(lat, lon, 200, 20)
        took.append(time.perf_counter() - began)
    p95 = statistics.quantiles(took, n=20)[-1]
    assert p95 < 0.005, f"p95 {p95 * 1000:.2f} ms"
