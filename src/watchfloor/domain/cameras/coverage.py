"""Which cameras can see a point: view wedges, PTZ reach and nearby cameras, from a grid index.

Geometry is local and planar: an equirectangular projection around the two points, accurate to
well under a metre at camera ranges (hundreds of metres). Cameras sit in uniform grids keyed by
cell; each grid holds the cameras whose reach fits its cell size, so a query touches ~9 cells per
grid. Positions across the antimeridian or near the poles are not supported.

Mobile cameras (in-car, drone, body-worn) count only when their latest reported position is within
`stale_after` of the time asked about; an older (or missing) position is skipped rather than shown
as stale, because it says nothing reliable about what the camera sees at that time.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Literal

EARTH_RADIUS_M = 6_371_008.8
METRES_PER_DEGREE = EARTH_RADIUS_M * math.pi / 180.0
DEFAULT_NEAR_M = 150.0
DEFAULT_STALE_AFTER = timedelta(minutes=10)
BASE_CELL_M = 250.0
_TIER_GROWTH = 4.0
# A point this close to the lens has no meaningful bearing: the camera counts as seeing it.
_AT_CAMERA_M = 0.5
# An all-round camera spreads its pixels over the whole circle: it ranks as half off-centre.
_ALL_ROUND_CENTRING = 0.5

Coverage = Literal["in_view", "ptz_can_turn", "nearby"]
_GROUP_RANK: dict[str, int] = {"in_view": 0, "ptz_can_turn": 1, "nearby": 2}


@dataclass(frozen=True, slots=True)
class CameraView:
    """Where a camera stands and what it looks at; bearing None means it sees all round."""

    code: str
    lat: float
    lon: float
    bearing_deg: float | None
    fov_deg: float
    range_m: float
    kind: str
    access_level: str
    ptz: bool = False
    ptz_reach_m: float | None = None
    mobile: bool = False
    position_at: datetime | None = None

    def __post_init__(self) -> None:
        if not (-90.0 <= self.lat <= 90.0 and -180.0 <= self.lon <= 180.0):
            raise ValueError(f"camera {self.code}: position out of range")
        if not 0.0 < self.fov_deg <= 360.0:
            raise ValueError(f"camera {self.code}: fov_deg must be in (0, 360]")
        if self.range_m <= 0.0 or (self.ptz_reach_m is not None and self.ptz_reach_m <= 0.0):
            raise ValueError(f"camera {self.code}: range_m and ptz_reach_m must be positive")

    @property
    def all_round(self) -> bool:
        """True when the camera sees the whole circle around it."""
        return self.bearing_deg is None or self.fov_deg >= 360.0

    @property
    def reach_m(self) -> float:
        """How far the camera can see at all: its range, or its PTZ reach when turned."""
        if self.ptz and self.ptz_reach_m is not None:
            return max(self.range_m, self.ptz_reach_m)
        return self.range_m


@dataclass(frozen=True, slots=True)
class Sighting:
    """One camera's relation to the point asked about."""

    code: str
    kind: str
    access_level: str
    distance_m: float
    bearing_to_point_deg: float
    coverage: Coverage
    score: float
    explanation: str


def offset_m(lat1: float, lon1: float, lat2: float, lon2: float) -> tuple[float, float]:
    """East and north metres from the first position to the second (equirectangular)."""
    mean_lat = math.radians((lat1 + lat2) * 0.5)
    east = (lon2 - lon1) * METRES_PER_DEGREE * math.cos(mean_lat)
    north = (lat2 - lat1) * METRES_PER_DEGREE
    return east, north


def angle_between(a_deg: float, b_deg: float) -> float:
    """Smallest absolute difference between two bearings, 0..180 degrees."""
    diff = abs(a_deg - b_deg) % 360.0
    return 360.0 - diff if diff > 180.0 else diff


def wedge(view: CameraView, steps: int = 12) -> list[tuple[float, float]]:
    """The view wedge as a closed (lon, lat) ring, ready for a GeoJSON Polygon."""
    if view.all_round or view.bearing_deg is None:
        ring = _arc(view, 0.0, 360.0 / (2 * steps), 2 * steps)
        return [*ring, ring[0]]
    step = view.fov_deg / steps
    arc = _arc(view, view.bearing_deg - view.fov_deg / 2.0, step, steps + 1)
    apex = (_to_cm(view.lon), _to_cm(view.lat))
    return [apex, *arc, apex]


def _arc(
    view: CameraView, first_deg: float, step_deg: float, count: int
) -> list[tuple[float, float]]:
    """(lon, lat) points at the view's range, bearing first_deg and on by step_deg."""
    # A packet lists a wedge for each camera it names, most of them new to the index's cache:
    # this loop runs a dozen times per camera, so it keeps to plain arithmetic.
    reach_deg, lat0, lon0 = view.range_m / METRES_PER_DEGREE, view.lat, view.lon
    points: list[tuple[float, float]] = []
    for i in range(count):
        rad = math.radians(first_deg + step_deg * i)
        lat = lat0 + reach_deg * math.cos(rad)
        lon = lon0 + reach_deg * math.sin(rad) / math.cos(math.radians((lat0 + lat) * 0.5))
        points.append((_to_cm(lon), _to_cm(lat)))
    return points


def _to_cm(degrees: float) -> float:
    """Degrees to 7 decimals (about a centimetre): round(x, 7) is several times slower."""
    return round(degrees * 1e7) / 1e7


def is_fresh(view: CameraView, at: datetime, stale_after: timedelta) -> bool:
    """Whether a mobile camera's reported position can stand for where it was at `at`."""
    if not view.mobile:
        return True
    if view.position_at is None:
        return False
    return abs(at - view.position_at) <= stale_after


def classify(
    view: CameraView, lat: float, lon: float, at: datetime, near_m: float
) -> Sighting | None:
    """How this camera relates to the point, or None when it neither covers nor stands near it."""
    east, north = offset_m(view.lat, view.lon, lat, lon)
    distance = math.hypot(east, north)
    if distance > view.reach_m and distance > near_m:
        return None
    bearing = math.degrees(math.atan2(east, north)) % 360.0
    coverage, score = _coverage(view, distance, bearing, near_m)
    if coverage is None:
        return None
    return Sighting(
        code=view.code,
        kind=view.kind,
        access_level=view.access_level,
        distance_m=round(distance, 1),
        bearing_to_point_deg=round(bearing, 1),
        coverage=coverage,
        score=round(score, 3),
        explanation=_explain(view, coverage, distance, bearing, at),
    )


def _coverage(
    view: CameraView, distance: float, bearing: float, near_m: float
) -> tuple[Coverage | None, float]:
    if distance <= view.range_m:
        if view.all_round or view.bearing_deg is None:
            return "in_view", 0.5 * (1.0 - distance / view.range_m) + 0.5 * _ALL_ROUND_CENTRING
        off = angle_between(bearing, view.bearing_deg)
        if off <= view.fov_deg / 2.0 or distance <= _AT_CAMERA_M:
            centring = 1.0 - off / (view.fov_deg / 2.0) if distance > _AT_CAMERA_M else 1.0
            return "in_view", 0.5 * (1.0 - distance / view.range_m) + 0.5 * centring
    if view.ptz and distance <= view.reach_m:
        return "ptz_can_turn", 1.0 - distance / view.reach_m
    if not view.mobile and distance <= near_m:
        return "nearby", 1.0 - distance / near_m if near_m > 0 else 0.0
    return None, 0.0


def _explain(
    view: CameraView, coverage: Coverage, distance: float, bearing: float, at: datetime
) -> str:
    where = f"{distance:.0f} m away, point at bearing {bearing:.0f}°"
    facing = "sees all round" if view.all_round else f"faces {view.bearing_deg:.0f}°"
    if coverage == "in_view":
        field = "all round" if view.all_round else f"its {view.fov_deg:.0f}° field of view"
        text = f"In view: {where}, inside {field}, range {view.range_m:.0f} m"
    elif coverage == "ptz_can_turn":
        text = f"PTZ can turn to it: {where}; {facing} now, reach {view.reach_m:.0f} m"
    else:
        text = f"Nearby only: {where}; {facing}, range {view.range_m:.0f} m does not cover it"
    if view.mobile and view.position_at is not None:
        age = int(abs((at - view.position_at).total_seconds()) // 60)
        text += f"; mobile, position reported {age} min from the time asked"
    return text


def rank(sightings: Iterable[Sighting], limit: int) -> list[Sighting]:
    """Order sightings: in view, then PTZ can turn, then nearby; each by score then distance."""
    ordered = sorted(
        sightings,
        key=lambda s: (_GROUP_RANK[s.coverage], -s.score, s.distance_m, s.code),
    )
    return ordered[:limit]


class _Grid:
    """Uniform grid of cameras whose reach fits within one cell."""

    __slots__ = ("cell_lat", "cell_lon", "cells", "max_reach_m")

    def __init__(self, cell_m: float, ref_lat: float) -> None:
        self.cell_lat = cell_m / METRES_PER_DEGREE
        self.cell_lon = cell_m / (METRES_PER_DEGREE * max(math.cos(math.radians(ref_lat)), 0.01))
        self.cells: dict[tuple[int, int], dict[str, CameraView]] = {}
        self.max_reach_m = 0.0

    def key(self, lat: float, lon: float) -> tuple[int, int]:
        return math.floor(lat / self.cell_lat), math.floor(lon / self.cell_lon)

    def add(self, view: CameraView) -> None:
        self.cells.setdefault(self.key(view.lat, view.lon), {})[view.code] = view
        self.max_reach_m = max(self.max_reach_m, view.reach_m)

    def discard(self, view: CameraView) -> None:
        key = self.key(view.lat, view.lon)
        cell = self.cells.get(key)
        if cell is not None:
            cell.pop(view.code, None)
            if not cell:
                del self.cells[key]

    def around(self, lat: float, lon: float, radius_m: float) -> Iterator[CameraView]:
        """Every camera in the cells overlapping a box that holds the circle of radius_m."""
        dlat = radius_m / METRES_PER_DEGREE + 1e-9
        # The widest longitude span over the box's latitudes keeps the box a superset.
        widest = math.radians(min(abs(lat) + dlat, 89.9))
        dlon = radius_m / (METRES_PER_DEGREE * math.cos(widest)) + 1e-9
        y0, x0 = self.key(lat - dlat, lon - dlon)
        y1, x1 = self.key(lat + dlat, lon + dlon)
        cells = self.cells
        for y in range(y0, y1 + 1):
            for x in range(x0, x1 + 1):
                cell = cells.get((y, x))
                if cell is not None:
                    yield from cell.values()


class CoverageIndex:
    """In-memory index answering which cameras can see a point."""

    def __init__(self, *, base_cell_m: float = BASE_CELL_M, ref_lat: float | None = None) -> None:
        self._base_cell_m = base_cell_m
        self._ref_lat = ref_lat
        self._views: dict[str, CameraView] = {}
        self._tier_of: dict[str, int] = {}
        self._grids: dict[int, _Grid] = {}

    def __len__(self) -> int:
        return len(self._views)

    def get(self, code: str) -> CameraView | None:
        """The view held for a camera code, if any."""
        return self._views.get(code)

    def replace_all(self, views: Iterable[CameraView]) -> None:
        """Drop everything and index these cameras."""
        batch = list(views)
        self._views.clear()
        self._tier_of.clear()
        self._grids.clear()
        if batch:
            self._ref_lat = sum(v.lat for v in batch) / len(batch)
        for view in batch:
            self.upsert(view)

    def upsert(self, view: CameraView) -> None:
        """Add a camera, or move it to its new position, direction or reach."""
        self.remove(view.code)
        if self._ref_lat is None:
            self._ref_lat = view.lat
        tier = self._tier(view.reach_m)
        grid = self._grids.get(tier)
        if grid is None:
            grid = _Grid(self._base_cell_m * _TIER_GROWTH**tier, self._ref_lat)
            self._grids[tier] = grid
        grid.add(view)
        self._views[view.code] = view
        self._tier_of[view.code] = tier

    def remove(self, code: str) -> bool:
        """Forget a camera; False when it was not indexed."""
        view = self._views.pop(code, None)
        if view is None:
            return False
        self._grids[self._tier_of.pop(code)].discard(view)
        return True

    def _tier(self, reach_m: float) -> int:
        if reach_m <= self._base_cell_m:
            return 0
        return math.ceil(math.log(reach_m / self._base_cell_m, _TIER_GROWTH) - 1e-12)

    def can_see(
        self,
        lat: float,
        lon: float,
        *,
        at: datetime | None = None,
        near_m: float = DEFAULT_NEAR_M,
        limit: int = 50,
        stale_after: timedelta = DEFAULT_STALE_AFTER,
    ) -> list[Sighting]:
        """Cameras covering the point, then PTZ cameras that can turn to it, then nearby ones."""
        when = at if at is not None else datetime.now(UTC)
        found: list[Sighting] = []
        for grid in self._grids.values():
            radius = max(near_m, grid.max_reach_m)
            for view in grid.around(lat, lon, radius):
                if view.mobile and not is_fresh(view, when, stale_after):
                    continue
                sighting = classify(view, lat, lon, when, near_m)
                if sighting is not None:
                    found.append(sighting)
        return rank(found, limit)


def can_see_brute(
    views: Iterable[CameraView],
    lat: float,
    lon: float,
    *,
    at: datetime,
    near_m: float = DEFAULT_NEAR_M,
    limit: int = 50,
    stale_after: timedelta = DEFAULT_STALE_AFTER,
) -> list[Sighting]:
    """The same answer as CoverageIndex.can_see by scanning every camera (reference and tests)."""
    found = [
        s
        for v in views
        if is_fresh(v, at, stale_after) and (s := classify(v, lat, lon, at, near_m)) is not None
    ]
    return rank(found, limit)
