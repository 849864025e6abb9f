"""The nearest-unit index answers as ranking every unit would, at every search radius."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest

from tests.conftest import START
from watchfloor.core.geo import short_distance_m
from watchfloor.domain.units.index import UnitIndex, nearby
from watchfloor.domain.units.schemas import AVAILABLE, NearbyUnit, UnitOut

STALE_BEFORE = START - timedelta(minutes=5)


def _unit(n: int, rng: random.Random, spread: float) -> UnitOut:
    placed = rng.random() > 0.1
    return UnitOut(
        code=f"U{n:03d}",
        name=f"Unit {n}",
        kind="patrol",
        agency=None,
        status=rng.choice(["available", "enroute", "onscene", "available"]),
        status_at=START,
        incident_id=None,
        lat=40.44 + rng.uniform(-spread, spread) if placed else None,
        lon=-80.0 + rng.uniform(-spread, spread) if placed else None,
        heading=None,
        speed_mps=None,
        position_at=START - timedelta(minutes=rng.choice([1, 10])) if placed else None,
    )


def _every_unit(
    units: list[UnitOut], lat: float, lon: float, limit: int, available_only: bool
) -> list[NearbyUnit]:
    ranked = [
        nearby(u, short_distance_m(lat, lon, u.lat, u.lon), STALE_BEFORE)
        for u in units
        if u.lat is not None and u.lon is not None and (u.status in AVAILABLE or not available_only)
    ]
    return sorted(ranked, key=lambda u: (u.distance_m, u.code))[:limit]


@pytest.mark.parametrize("spread", [0.004, 0.05, 0.4])  # within 1 km, 5 km, 25 km and past
def test_the_nearest_units_are_those_a_full_ranking_gives(spread: float) -> None:
    rng = random.Random(7)
    units = [_unit(n, rng, spread) for n in range(300)]
    index = UnitIndex()
    for unit in units:
        index.put(unit)
    for _ in range(40):
        lat, lon = 40.44 + rng.uniform(-spread, spread), -80.0 + rng.uniform(-spread, spread)
        limit, available_only = rng.choice([1, 5, 20]), rng.random() < 0.5
        wanted = _every_unit(units, lat, lon, limit, available_only)
        assert index.nearest(lat, lon, limit, available_only, STALE_BEFORE) == wanted
    assert index.nearest(40.44, -80.0, 0, False, STALE_BEFORE) == []
