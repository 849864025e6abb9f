"""The demo city's streets as geometry: segments with their bearings, the nearest one to a point,
and a drivable network that a patrol car can wander along.

Distances use a local flat projection around the city centre: across the ~2 km of the demo city
the error is far below a metre, and the simulation needs nothing better.
"""

from __future__ import annotations

import itertools
import math
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from watchfloor.demo.city import load_basemap

MAIN_CLASSES = frozenset({"primary", "secondary", "tertiary"})
DRIVABLE_CLASSES = MAIN_CLASSES | {"residential"}
M_PER_DEG_LAT = 110_574.0
M_PER_DEG_LON_EQUATOR = 111_320.0
COMPASS = ("north", "northeast", "east", "southeast", "south", "southwest", "west", "northwest")

Point = tuple[float, float]  # (lat, lon)


def _scale(lat: float) -> tuple[float, float]:
    """Metres per degree of (lat, lon) near this latitude."""
    return M_PER_DEG_LAT, M_PER_DEG_LON_EQUATOR * math.cos(math.radians(lat))


def distance_m(a: Point, b: Point) -> float:
    """Metres between two nearby points."""
    sy, sx = _scale((a[0] + b[0]) / 2)
    return math.hypot((b[0] - a[0]) * sy, (b[1] - a[1]) * sx)


def bearing(a: Point, b: Point) -> float:
    """Degrees clockwise from north of the way from a to b, 0 <= bearing < 360."""
    sy, sx = _scale((a[0] + b[0]) / 2)
    degrees = math.degrees(math.atan2((b[1] - a[1]) * sx, (b[0] - a[0]) * sy))
    return round(degrees % 360.0, 1) % 360.0


def compass_word(heading: float) -> str:
    """The travel direction a heading names: "northbound", "southwestbound" ..."""
    return f"{COMPASS[round(heading / 45.0) % 8]}bound"


@dataclass(frozen=True)
class Segment:
    """One straight piece of a named street."""

    street: str | None
    road_class: str
    start: Point
    end: Point

    @property
    def bearing(self) -> float:
        """The segment's direction as drawn in OSM."""
        return bearing(self.start, self.end)

    def distance_to(self, point: Point) -> float:
        """Metres from the point to the nearest point of the segment."""
        sy, sx = _scale(point[0])
        ax, ay = (self.start[1] - point[1]) * sx, (self.start[0] - point[0]) * sy
        bx, by = (self.end[1] - point[1]) * sx, (self.end[0] - point[0]) * sy
        dx, dy = bx - ax, by - ay
        length2 = dx * dx + dy * dy
        t = 0.0 if length2 == 0 else max(0.0, min(1.0, -(ax * dx + ay * dy) / length2))
        return math.hypot(ax + t * dx, ay + t * dy)


def street_segments(
    basemap: dict[str, Any] | None = None, classes: Iterable[str] = MAIN_CLASSES
) -> list[Segment]:
    """The segments of the basemap's streets of these classes, in basemap order."""
    wanted = frozenset(classes)
    features = (basemap or _city_basemap())["features"]
    segments: list[Segment] = []
    for feature in features:
        props, geometry = feature["properties"], feature["geometry"]
        if props.get("layer") != "street" or props.get("class") not in wanted:
            continue
        if geometry["type"] != "LineString":
            continue
        points = [(lat, lon) for lon, lat in geometry["coordinates"]]
        segments.extend(
            Segment(props.get("name"), props["class"], a, b)
            for a, b in itertools.pairwise(points)
            if a != b
        )
    return segments


def segments_near(point: Point, segments: Iterable[Segment], metres: float) -> list[Segment]:
    """The segments whose bounding box comes within `metres` of the point (a cheap first cut)."""
    sy, sx = _scale(point[0])
    dlat, dlon = metres / sy, metres / sx
    lat, lon = point
    return [
        s
        for s in segments
        if min(s.start[0], s.end[0]) - dlat <= lat <= max(s.start[0], s.end[0]) + dlat
        and min(s.start[1], s.end[1]) - dlon <= lon <= max(s.start[1], s.end[1]) + dlon
    ]


def nearest_segment(point: Point, segments: Sequence[Segment]) -> tuple[Segment, float]:
    """The segment nearest to the point and its distance in metres (first wins on a tie)."""
    if not segments:
        raise ValueError("no street segments to search")
    best = min(segments, key=lambda segment: segment.distance_to(point))
    return best, best.distance_to(point)


@cache
def _city_basemap() -> dict[str, Any]:
    return load_basemap()  # read once; nothing here mutates it


class StreetNetwork:
    """Junctions and the street pieces between them, as one connected drivable network."""

    def __init__(self, segments: Iterable[Segment]) -> None:
        links: dict[Point, set[Point]] = {}
        for segment in segments:
            links.setdefault(segment.start, set()).add(segment.end)
            links.setdefault(segment.end, set()).add(segment.start)
        keep = _largest_component(links)
        self.neighbours: dict[Point, tuple[Point, ...]] = {
            node: tuple(sorted(n for n in links[node] if n in keep)) for node in sorted(keep)
        }
        if not self.neighbours:
            raise ValueError("no drivable streets")

    @classmethod
    def of_city(cls) -> StreetNetwork:
        """The demo city's drivable network (cached)."""
        return _city_network()

    @property
    def nodes(self) -> list[Point]:
        """Every point of the network, sorted."""
        return list(self.neighbours)


@cache
def _city_network() -> StreetNetwork:
    return StreetNetwork(street_segments(classes=DRIVABLE_CLASSES))


def _largest_component(links: dict[Point, set[Point]]) -> set[Point]:
    seen: set[Point] = set()
    best: set[Point] = set()
    for start in sorted(links):
        if start in seen:
            continue
        component, stack = {start}, [start]
        while stack:
            for neighbour in links[stack.pop()]:
                if neighbour not in component:
                    component.add(neighbour)
                    stack.append(neighbour)
        seen |= component
        if len(component) > len(best):
            best = component
    return best


class Patrol:
    """A car driving the network at a steady speed, turning at random at each junction (never
    back the way it came unless the street ends)."""

    def __init__(self, network: StreetNetwork, rng: random.Random, speed_mps: float = 8.0) -> None:
        self._network = network
        self._rng = rng
        self._speed = speed_mps
        nodes = network.nodes
        self._from = nodes[rng.randrange(len(nodes))]
        self._to = rng.choice(network.neighbours[self._from])
        self._along = 0.0  # metres from _from towards _to

    @property
    def position(self) -> Point:
        """Where the car is now (lat, lon), to 6 decimals (~0.1 m)."""
        length = distance_m(self._from, self._to)
        share = self._along / length if length else 0.0
        lat = self._from[0] + (self._to[0] - self._from[0]) * share
        lon = self._from[1] + (self._to[1] - self._from[1]) * share
        return round(lat, 6), round(lon, 6)

    @property
    def heading(self) -> float:
        """The direction the car is driving."""
        return bearing(self._from, self._to)

    def drive(self, seconds: float) -> None:
        """Move on along the streets for this long."""
        left = max(0.0, seconds) * self._speed
        while left > 0:
            length = distance_m(self._from, self._to)
            if self._along + left < length:
                self._along += left
                return
            left -= length - self._along
            self._turn()

    def _turn(self) -> None:
        came_from, here = self._from, self._to
        options = [n for n in self._network.neighbours[here] if n != came_from] or [came_from]
        self._from, self._to, self._along = here, self._rng.choice(options), 0.0
