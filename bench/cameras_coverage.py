"""Cameras that can see a point: `can_see` latency among 100k cameras in a ~66 x 64 km box.

`python -m bench.cameras_coverage [--cameras N] [--queries N] [--seed N]` prints one JSON line:
the index build time and p50/p95/p99 microseconds per query (goal: p95 <= 2 ms).
"""

from __future__ import annotations

import argparse
import json
import math
import random
import statistics
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from watchfloor.domain.cameras.coverage import METRES_PER_DEGREE, CameraView, CoverageIndex

CENTRE_LAT, CENTRE_LON = 60.25, 24.95
BOX_EAST_M, BOX_NORTH_M = 66_000.0, 64_000.0
AT = datetime(2026, 11, 21, 14, 0, tzinfo=UTC)


def _position(rnd: random.Random) -> tuple[float, float]:
    north = rnd.uniform(-BOX_NORTH_M / 2, BOX_NORTH_M / 2)
    east = rnd.uniform(-BOX_EAST_M / 2, BOX_EAST_M / 2)
    cos = math.cos(math.radians(CENTRE_LAT))
    return CENTRE_LAT + north / METRES_PER_DEGREE, CENTRE_LON + east / (METRES_PER_DEGREE * cos)


def camera(rnd: random.Random, i: int) -> CameraView:
    """A camera of a realistic mix: fixed 70%, dome 10%, PTZ 10%, mobile 10% (drones reach far)."""
    lat, lon = _position(rnd)
    roll = rnd.random()
    base = CameraView(f"CAM-{i:06d}", lat, lon, None, 360, 50, kind="", access_level="standard")
    if roll < 0.7:
        return replace(
            base,
            bearing_deg=rnd.uniform(0, 360),
            fov_deg=rnd.uniform(40, 100),
            range_m=rnd.uniform(30, 120),
            kind="fixed",
        )
    if roll < 0.8:
        return replace(
            base,
            bearing_deg=None,
            fov_deg=360,
            range_m=rnd.uniform(20, 60),
            kind="dome",
        )
    if roll < 0.9:
        return replace(
            base,
            bearing_deg=rnd.uniform(0, 360),
            fov_deg=rnd.uniform(30, 60),
            range_m=rnd.uniform(80, 200),
            kind="ptz",
            ptz=True,
            ptz_reach_m=rnd.uniform(150, 400),
        )
    drone = rnd.random() < 0.1
    return replace(
        base,
        bearing_deg=rnd.uniform(0, 360),
        fov_deg=rnd.uniform(60, 90),
        range_m=rnd.uniform(300, 800) if drone else rnd.uniform(20, 60),
        kind="drone" if drone else rnd.choice(["in-car", "body-worn"]),
        mobile=True,
        position_at=AT - timedelta(minutes=rnd.uniform(0, 20)),
    )


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def run(cameras: int, queries: int, seed: int) -> dict[str, object]:
    """Build the index and time `can_see` at random points; the figures as a dict."""
    rnd = random.Random(seed)
    views = [camera(rnd, i) for i in range(cameras)]
    started = time.perf_counter()
    index = CoverageIndex()
    index.replace_all(views)
    build_s = time.perf_counter() - started
    points = [_position(rnd) for _ in range(queries)]
    for lat, lon in points[:50]:
        index.can_see(lat, lon, at=AT)
    latencies: list[float] = []
    found: list[int] = []
    for lat, lon in points:
        t0 = time.perf_counter()
        result = index.can_see(lat, lon, at=AT)
        latencies.append((time.perf_counter() - t0) * 1e6)
        found.append(len(result))
    return {
        "name": "cameras_can_see",
        "cameras": cameras,
        "queries": queries,
        "build_ms": round(build_s * 1000, 1),
        "p50_us": round(_percentile(latencies, 0.50), 1),
        "p95_us": round(_percentile(latencies, 0.95), 1),
        "p99_us": round(_percentile(latencies, 0.99), 1),
        "mean_results": round(statistics.fmean(found), 2),
        "goal_p95_us": 2000,
    }


def main() -> None:
    """Parse arguments, run once, print one JSON line."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cameras", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=1_000)
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args()
    print(json.dumps(run(args.cameras, args.queries, args.seed)))


if __name__ == "__main__":
    main()
