"""The listed community cameras in memory, in ~250 m grid cells, so "which cameras are near this
incident" touches a handful of cells instead of every registration."""

from __future__ import annotations

import heapq
import math
from collections.abc import Iterable
from dataclasses import dataclass

from watchfloor.core.geo import CELL_M, EARTH_RADIUS_M, cells_around, grid_cell

_RAD = math.pi / 180.0


@dataclass(frozen=True, slots=True)
class ListedCamera:
    """A camera the RTCC may see: where it looks, and what its site agreed to."""

    id: str
    site_id: str
    label: str
    lat: float
    lon: float
    bearing: float | None
    fov_angle: float | None
    range_m: float | None
    covers: tuple[str, ...]
    retention_days: int
    site_kind: str
    site_name: str | None
    accepts: tuple[str, ...]


class CameraIndex:
    """Listed cameras by grid cell and by site; changes replace a site's cameras as a whole."""

    def __init__(self) -> None:
        self._cells: dict[int, list[ListedCamera]] = {}
        self._sites: dict[str, list[ListedCamera]] = {}

    def __len__(self) -> int:
        return sum(len(cameras) for cameras in self._sites.values())

    def replace_site(self, site_id: str, cameras: Iterable[ListedCamera]) -> None:
        """The site's listed cameras are now these (none: the site is unlisted)."""
        self.remove_site(site_id)
        listed = list(cameras)
        if not listed:
            return
        self._sites[site_id] = listed
        for camera in listed:
            self._cells.setdefault(grid_cell(camera.lat, camera.lon), []).append(camera)

    def remove_site(self, site_id: str) -> None:
        """Unlist every camera of the site."""
        for camera in self._sites.pop(site_id, []):
            cell = grid_cell(camera.lat, camera.lon)
            kept = [c for c in self._cells.get(cell, []) if c.site_id != site_id]
            if kept:
                self._cells[cell] = kept
            else:
                self._cells.pop(cell, None)

    def clear(self) -> None:
        """Forget every camera (before a reload)."""
        self._cells.clear()
        self._sites.clear()

    def near(
        self, lat: float, lon: float, radius_m: float, limit: int
    ) -> list[tuple[float, ListedCamera]]:
        """(distance in metres, camera) within radius_m of the point, nearest first."""
        if limit <= 0 or radius_m <= 0:
            return []
        ky = _RAD * EARTH_RADIUS_M
        kx = ky * math.cos(lat * _RAD)
        limit_sq = radius_m * radius_m
        found: list[tuple[float, str, ListedCamera]] = []
        for cell in cells_around(lat, lon, radius_m):
            for camera in self._cells.get(cell, ()):
                dx = (camera.lon - lon) * kx
                dy = (camera.lat - lat) * ky
                d_sq = dx * dx + dy * dy
                if d_sq <= limit_sq:
                    found.append((d_sq, camera.id, camera))
        nearest = heapq.nsmallest(limit, found, key=lambda f: (f[0], f[1]))
        return [(math.sqrt(d_sq), camera) for d_sq, _, camera in nearest]

    def in_box(
        self, south: float, west: float, north: float, east: float, limit: int
    ) -> list[ListedCamera]:
        """Cameras inside a latitude/longitude box, at most limit of them."""
        found: list[ListedCamera] = []
        for cameras in self._cells_over(south, west, north, east):
            for camera in cameras:
                if south <= camera.lat <= north and west <= camera.lon <= east:
                    found.append(camera)
                    if len(found) >= limit:
                        return found
        return found

    def _cells_over(
        self, south: float, west: float, north: float, east: float
    ) -> Iterable[list[ListedCamera]]:
        # a small box reads the cells around it; a box over most of the city reads every cell
        lat, lon = (south + north) / 2, (west + east) / 2
        half_diagonal = math.hypot(
            (north - south) * _RAD * EARTH_RADIUS_M / 2,
            (east - west) * _RAD * EARTH_RADIUS_M * math.cos(lat * _RAD) / 2,
        )
        cells_m = math.pi * (half_diagonal + CELL_M) ** 2 / (CELL_M * CELL_M)
        if cells_m > len(self._cells):
            return list(self._cells.values())
        around = cells_around(lat, lon, half_diagonal)
        return [self._cells[cell] for cell in around if cell in self._cells]
