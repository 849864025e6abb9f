"""The engine's memory: recent alerts and open incidents, each in a grid index keyed by cell.

Times are POSIX seconds (floats) so the rules compare numbers, not datetimes. The grid is a plain
equirectangular one (like the camera coverage index): a query touches the cells overlapping the
box around its circle, ~9 cells when the radius is below the cell size."""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Generic, Protocol, TypeVar

METRES_PER_DEGREE = 6_371_008.8 * math.pi / 180.0
CELL_M = 500.0
OPEN_INCIDENT = frozenset({"received", "dispatched", "en_route", "on_scene"})
OPEN_ALERT = frozenset({"new", "acknowledged"})


class Placed(Protocol):
    """Something with an id and a position."""

    @property
    def id(self) -> str: ...

    @property
    def lat(self) -> float | None: ...

    @property
    def lon(self) -> float | None: ...


T = TypeVar("T", bound=Placed)


@dataclass(slots=True)
class AlertState:
    """What the engine remembers of one alert."""

    id: str
    kind: str
    status: str
    priority: int
    title: str
    occurred_at: float
    seen_at: float
    lat: float | None
    lon: float | None
    sources: tuple[str, ...]
    incident_id: str | None = None
    subject: str | None = None
    address: str | None = None
    details: dict[str, Any] = field(default_factory=dict)
    escalated: bool = False
    merged_into: str | None = None
    due_at: float | None = None

    @property
    def open(self) -> bool:
        """Still in the operators' work (new or acknowledged)."""
        return self.status in OPEN_ALERT


@dataclass(slots=True)
class IncidentState:
    """What the engine remembers of one open incident (pending: being opened by the engine)."""

    id: str
    lat: float | None
    lon: float | None
    priority: int | None
    status: str
    type_code: str
    updated_at: float
    pending: bool = False


class CellIndex(Generic[T]):
    """Items with a position in a uniform grid of square-ish cells."""

    __slots__ = ("_cell_lat", "_cell_lon", "_cells", "_keys")

    def __init__(self, cell_m: float = CELL_M, ref_lat: float = 45.0) -> None:
        self._cell_lat = cell_m / METRES_PER_DEGREE
        cos = max(math.cos(math.radians(ref_lat)), 0.01)
        self._cell_lon = cell_m / (METRES_PER_DEGREE * cos)
        self._cells: dict[tuple[int, int], dict[str, T]] = {}
        self._keys: dict[str, tuple[int, int]] = {}

    def __len__(self) -> int:
        return len(self._keys)

    def key(self, lat: float, lon: float) -> tuple[int, int]:
        """The cell of a position."""
        return math.floor(lat / self._cell_lat), math.floor(lon / self._cell_lon)

    def put(self, item: T) -> None:
        """Add or move an item (one without a position is only removed)."""
        self.discard(item.id)
        if item.lat is None or item.lon is None:
            return
        key = self.key(item.lat, item.lon)
        self._cells.setdefault(key, {})[item.id] = item
        self._keys[item.id] = key

    def discard(self, item_id: str) -> None:
        """Forget an item if present."""
        key = self._keys.pop(item_id, None)
        if key is None:
            return
        cell = self._cells[key]
        cell.pop(item_id, None)
        if not cell:
            del self._cells[key]

    def around(self, lat: float, lon: float, radius_m: float) -> Iterator[tuple[T, float]]:
        """Items within radius_m of the position, with their distance in metres (planar)."""
        kx = METRES_PER_DEGREE * max(math.cos(math.radians(lat)), 0.01)
        dlat, dlon = radius_m / METRES_PER_DEGREE, radius_m / kx
        y0, x0 = self.key(lat - dlat, lon - dlon)
        y1, x1 = self.key(lat + dlat, lon + dlon)
        cells, limit = self._cells, radius_m * radius_m
        for y in range(y0, y1 + 1):
            for x in range(x0, x1 + 1):
                cell = cells.get((y, x))
                if cell is None:
                    continue
                for item in cell.values():
                    dx = ((item.lon or 0.0) - lon) * kx
                    dy = ((item.lat or 0.0) - lat) * METRES_PER_DEGREE
                    squared = dx * dx + dy * dy
                    if squared <= limit:
                        yield item, math.sqrt(squared)


class Memory:
    """Recent alerts and open incidents. Alerts stay `memory_s`; the alert grid (for the rules
    that look for nearby alerts) holds only those seen within `grid_s`."""

    def __init__(self, memory_s: float, grid_s: float | None = None) -> None:
        self.memory_s = memory_s
        self.grid_s = min(grid_s or memory_s, memory_s)
        self.alerts: dict[str, AlertState] = {}
        self.incidents: dict[str, IncidentState] = {}
        self.alert_grid: CellIndex[AlertState] = CellIndex()
        self.incident_grid: CellIndex[IncidentState] = CellIndex()
        self.called_out: set[str] = set()
        self._arrivals: deque[tuple[float, str]] = deque()
        self._gridded: deque[tuple[float, str]] = deque()
        self._grid_horizon = -math.inf

    def remember_alert(self, alert: AlertState) -> None:
        """Add or replace an alert."""
        if alert.id not in self.alerts:
            self._arrivals.append((alert.seen_at, alert.id))
            self._gridded.append((alert.seen_at, alert.id))
        self.alerts[alert.id] = alert
        if alert.open and alert.seen_at >= self._grid_horizon:
            self.alert_grid.put(alert)
        else:
            self.alert_grid.discard(alert.id)

    def remember_incident(self, incident: IncidentState) -> None:
        """Add or replace an incident; a closed one is forgotten."""
        if incident.status not in OPEN_INCIDENT:
            self.forget_incident(incident.id)
            return
        self.incidents[incident.id] = incident
        self.incident_grid.put(incident)

    def forget_incident(self, incident_id: str) -> None:
        """Drop an incident."""
        self.incidents.pop(incident_id, None)
        self.incident_grid.discard(incident_id)

    def prune(self, now: float) -> int:
        """Forget alerts first seen more than memory_s ago (and take older than grid_s off the
        grid); how many were forgotten."""
        gridded = self._gridded
        grid_horizon = self._grid_horizon = now - self.grid_s
        while gridded and gridded[0][0] < grid_horizon:
            self.alert_grid.discard(gridded.popleft()[1])
        gone = 0
        arrivals, horizon = self._arrivals, now - self.memory_s
        while arrivals and arrivals[0][0] < horizon:
            _, alert_id = arrivals.popleft()
            if self.alerts.pop(alert_id, None) is not None:
                self.alert_grid.discard(alert_id)
                gone += 1
        return gone
