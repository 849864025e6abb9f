"""The roster's in-memory nearest-unit index: units by ~250 m grid cell."""

from __future__ import annotations

from datetime import datetime

from watchfloor.core.geo import cells_around, grid_cell, short_distance_m
from watchfloor.domain.units.schemas import AVAILABLE, NearbyUnit, UnitOut

SEARCH_RADII_M = (1_000.0, 5_000.0, 25_000.0)  # then every unit with a position


class UnitIndex:
    """Units by code and by the grid cell of their latest position."""

    def __init__(self) -> None:
        self.units: dict[str, UnitOut] = {}
        self._cell_of: dict[str, int] = {}
        self._cells: dict[int, set[str]] = {}

    def put(self, unit: UnitOut) -> None:
        """Add or replace a unit (moving it to its new cell)."""
        self.units[unit.code] = unit
        old = self._cell_of.pop(unit.code, None)
        if old is not None:
            self._cells[old].discard(unit.code)
        if unit.lat is not None and unit.lon is not None:
            cell = grid_cell(unit.lat, unit.lon)
            self._cell_of[unit.code] = cell
            self._cells.setdefault(cell, set()).add(unit.code)

    def nearest(
        self, lat: float, lon: float, limit: int, available_only: bool, stale_before: datetime
    ) -> list[NearbyUnit]:
        """The limit nearest positioned units, nearest first."""
        if limit <= 0:
            return []
        for radius in SEARCH_RADII_M:
            cells = cells_around(lat, lon, radius)
            if len(cells) >= len(self._cell_of):
                break  # fewer positioned units than cells to look in: rank them all
            codes = {c for cell in cells for c in self._cells.get(cell, ())}
            found = self._ranked(codes, lat, lon, available_only, stale_before, limit)
            if len(found) == limit and found[-1].distance_m <= radius:
                return found
        return self._ranked(set(self._cell_of), lat, lon, available_only, stale_before, limit)

    def _ranked(
        self,
        codes: set[str],
        lat: float,
        lon: float,
        available_only: bool,
        stale_before: datetime,
        limit: int,
    ) -> list[NearbyUnit]:
        """The `limit` nearest of these units; only those become answers (the rest are not
        worth a model each)."""
        scored: list[tuple[float, str, UnitOut]] = []
        for code in codes:
            unit = self.units[code]
            if unit.lat is None or unit.lon is None:
                continue
            if available_only and unit.status not in AVAILABLE:
                continue
            scored.append((round(short_distance_m(lat, lon, unit.lat, unit.lon), 1), code, unit))
        scored.sort(key=lambda s: (s[0], s[1]))
        return [nearby(unit, distance, stale_before) for distance, _code, unit in scored[:limit]]


def is_stale(unit: UnitOut, stale_before: datetime) -> bool:
    """True when the unit's position is missing or older than the cut-off."""
    return unit.position_at is None or unit.position_at < stale_before


def nearby(unit: UnitOut, distance_m: float, stale_before: datetime) -> NearbyUnit:
    """The unit as a nearby unit at distance_m."""
    return NearbyUnit(
        code=unit.code,
        name=unit.name,
        kind=unit.kind,
        agency=unit.agency,
        status=unit.status,
        distance_m=round(distance_m, 1),
        position_at=unit.position_at,
        stale=is_stale(unit, stale_before),
        incident_id=unit.incident_id,
    )
