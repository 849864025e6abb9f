"""Travel time over the city's streets: a directed graph from the basemap's street lines, points
snapped to their nearest street node, and one Dijkstra from an incident to every unit."""

from __future__ import annotations

import asyncio
import math
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import Any, TypeAlias

import networkx as nx
import orjson

from watchfloor.core.errors import Conflict
from watchfloor.core.geo import distance_m
from watchfloor.settings_field import UnitSettings

CELL_M = 200.0
Point = tuple[float, float]  # (lat, lon)
Graph: TypeAlias = "nx.DiGraph[int]"
Search: TypeAlias = tuple[dict[int, list[int]], dict[int, float]]


class NoStreets(Conflict):
    """Travel-time routing was asked for where no street data is loaded."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"no travel times: {reason}", "no_street_data")


@dataclass(frozen=True)
class Street:
    """One street line: its points (lat, lon), class and one-way direction (1, -1 or 0)."""

    points: tuple[Point, ...]
    road_class: str
    oneway: int = 0


@dataclass(frozen=True)
class Route:
    """How long a unit takes to reach the incident, and the length of that route."""

    travel_s: float
    route_m: float


def streets_of(document: dict[str, Any]) -> list[Street]:
    """The street lines of a GeoJSON basemap (features with layer `street` and a class)."""
    streets: list[Street] = []
    for feature in document.get("features", ()):
        props = feature.get("properties") or {}
        geometry = feature.get("geometry") or {}
        if props.get("layer") != "street" or geometry.get("type") != "LineString":
            continue
        points = tuple((float(c[1]), float(c[0])) for c in geometry.get("coordinates", ()))
        if len(points) >= 2 and props.get("class"):
            streets.append(Street(points, str(props["class"]), _oneway(props.get("oneway"))))
    return streets


def _oneway(value: object) -> int:
    text = str(value).lower() if value is not None else ""
    if text in ("yes", "true", "1"):
        return 1
    return -1 if text == "-1" else 0


class StreetGraph:
    """The driveable streets as a directed graph (edge weights: seconds and metres), reduced to
    its largest strongly connected part so every snapped point can reach every other."""

    def __init__(self, streets: Iterable[Street], speeds_kmh: dict[str, float]) -> None:
        full: Graph = nx.DiGraph()
        ids: dict[Point, int] = {}
        for street in streets:
            speed = speeds_kmh.get(street.road_class)
            if speed is None or speed <= 0:
                continue  # footways and the like are not driven
            nodes = [ids.setdefault(_key(p), len(ids)) for p in street.points]
            for (a, pa), (b, pb) in pairwise(zip(nodes, street.points, strict=True)):
                if a != b:
                    _add(full, a, b, distance_m(pa[0], pa[1], pb[0], pb[1]), speed, street.oneway)
        points = {node: point for point, node in ids.items()}
        part = max(nx.strongly_connected_components(full), key=len, default=set())
        self.graph: Graph = full.subgraph(part).copy()
        self.reversed: Graph = self.graph.reverse(copy=True)
        self.points = {node: points[node] for node in self.graph.nodes}
        self._grid = _NodeGrid(self.points)

    def snap(self, lat: float, lon: float, max_m: float) -> tuple[int, float] | None:
        """The nearest graph node within max_m and its distance; None when none is."""
        return self._grid.nearest(lat, lon, max_m)

    def route_length_m(self, start: int, target: int, toward: dict[int, list[int]]) -> float:
        """The length of the fastest route from start to target, following `toward`."""
        length, node = 0.0, start
        while node != target:
            step = toward[node][0]
            length += float(self.graph[node][step]["length_m"])
            node = step
        return length


def _key(point: Point) -> Point:
    return round(point[0], 7), round(point[1], 7)


def _add(graph: Graph, a: int, b: int, length_m: float, speed_kmh: float, oneway: int) -> None:
    seconds = length_m / (speed_kmh / 3.6)
    for u, v, allowed in ((a, b, oneway >= 0), (b, a, oneway <= 0)):
        if allowed and (not graph.has_edge(u, v) or graph[u][v]["travel_s"] > seconds):
            graph.add_edge(u, v, travel_s=seconds, length_m=length_m)


class _NodeGrid:
    """Graph nodes by ~200 m cell, for snapping a point to its nearest node."""

    def __init__(self, points: dict[int, Point]) -> None:
        self._points = points
        lat0 = sum(p[0] for p in points.values()) / len(points) if points else 0.0
        self._x_m = 111_320.0 * math.cos(math.radians(lat0))
        self._cells: dict[tuple[int, int], list[int]] = {}
        for node, (lat, lon) in points.items():
            self._cells.setdefault(self._cell(lat, lon), []).append(node)

    def _cell(self, lat: float, lon: float) -> tuple[int, int]:
        return math.floor(lon * self._x_m / CELL_M), math.floor(lat * 110_540.0 / CELL_M)

    def nearest(self, lat: float, lon: float, max_m: float) -> tuple[int, float] | None:
        cx, cy = self._cell(lat, lon)
        best: tuple[int, float] | None = None
        for ring in range(int(max_m / CELL_M) + 2):
            if best is not None and (ring - 1) * CELL_M > best[1]:
                break
            for cell in _ring(cx, cy, ring):
                for node in self._cells.get(cell, ()):
                    p = self._points[node]
                    d = distance_m(lat, lon, p[0], p[1])
                    if d <= max_m and (best is None or (d, node) < (best[1], best[0])):
                        best = (node, d)
        return best


def _ring(cx: int, cy: int, ring: int) -> list[tuple[int, int]]:
    if ring == 0:
        return [(cx, cy)]
    span = range(-ring, ring + 1)
    inner = span[1:-1]
    rows = [(cx + d, cy - ring) for d in span] + [(cx + d, cy + ring) for d in span]
    return rows + [(cx - ring, cy + d) for d in inner] + [(cx + ring, cy + d) for d in inner]


class StreetRouter:
    """Travel times from units to a point over the streets; the graph is built on first use and
    each target's one-to-many search is cached."""

    def __init__(self, settings: UnitSettings, basemap: Path | None) -> None:
        self._settings = settings
        self._basemap = basemap
        self._graph: StreetGraph | None = None
        self._reason: str | None = None if settings.routing else "routing is switched off"
        self._lock = asyncio.Lock()
        self._searches: OrderedDict[int, Search] = OrderedDict()

    @classmethod
    def over(cls, settings: UnitSettings, streets: Iterable[Street]) -> StreetRouter:
        """A router over given streets (tests, other cities)."""
        router = cls(settings, None)
        router._graph = StreetGraph(streets, settings.speeds_kmh)
        return router

    async def graph(self) -> StreetGraph:
        """The street graph; NoStreets when none is loaded."""
        async with self._lock:
            if self._graph is None and self._reason is None:
                self._graph, self._reason = await asyncio.to_thread(self._load)
            if self._graph is None or not self._graph.points:
                raise NoStreets(self._reason or "the basemap has no driveable streets")
            return self._graph

    def _load(self) -> tuple[StreetGraph | None, str | None]:
        if self._basemap is None or not self._basemap.is_file():
            return None, "no basemap with streets is loaded"
        document = orjson.loads(self._basemap.read_bytes())
        graph = StreetGraph(streets_of(document), self._settings.speeds_kmh)
        if not graph.points:
            return None, "the basemap has no driveable streets"
        return graph, None

    async def routes_to(self, lat: float, lon: float, starts: dict[str, Point]) -> dict[str, Route]:
        """Travel time and route length to (lat, lon) from each start (by key); starts that
        are off the streets are left out. NoStreets when none is loaded or the point is off."""
        graph = await self.graph()
        max_m = self._settings.snap_max_m
        target = graph.snap(lat, lon, max_m)
        if target is None:
            raise NoStreets(f"the point is more than {max_m:.0f} m from any street")
        toward, seconds = await self._search(graph, target[0])
        access = self._settings.access_speed_kmh / 3.6
        routes: dict[str, Route] = {}
        for key, (slat, slon) in starts.items():
            start = graph.snap(slat, slon, max_m)
            if start is None or start[0] not in seconds:
                continue
            legs_m = start[1] + target[1]
            route_m = graph.route_length_m(start[0], target[0], toward) + legs_m
            routes[key] = Route(round(seconds[start[0]] + legs_m / access, 1), round(route_m, 1))
        return routes

    async def _search(self, graph: StreetGraph, target: int) -> Search:
        found = self._searches.get(target)
        if found is None:
            found = await asyncio.to_thread(_fastest_to, graph.reversed, target)
            self._searches[target] = found
            while len(self._searches) > self._settings.route_cache:
                self._searches.popitem(last=False)
        self._searches.move_to_end(target)
        return found


def _fastest_to(reversed_graph: Graph, target: int) -> Search:
    """Dijkstra from the target over the reversed graph: for every node, its next step toward
    the target and its travel time there."""
    return nx.dijkstra_predecessor_and_distance(reversed_graph, target, weight="travel_s")
