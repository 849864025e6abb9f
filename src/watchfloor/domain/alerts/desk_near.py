"""Alerts near a point: grid cells of the bounding box through the (cell, occurred_at) index, a
box filter, then exact distances here."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any, Literal

from sqlalchemy import ColumnElement, Row, Select, and_, bindparam, or_, select

from watchfloor.core.geo import EARTH_RADIUS_M, distance_m
from watchfloor.domain.alerts.models import CELLS_PER_ROW, Alert, cell_col, cell_row
from watchfloor.events.alerts import AlertKind, AlertStatus

MAX_CELLS = 64
"""Up to this many cells a query names them (IN list); past it, one range per latitude row."""
MAX_ROWS = 400
"""Past this many latitude rows a plain time-and-box scan is cheaper than cell ranges."""


@dataclass(frozen=True)
class Box:
    """A latitude/longitude bounding box (wraps: the longitude span crosses ±180°)."""

    min_lat: float
    max_lat: float
    min_lon: float
    max_lon: float
    wraps: bool


def box_around(lat: float, lon: float, radius_m: float) -> Box:
    """The box holding every point within radius_m of (lat, lon)."""
    dlat = math.degrees(radius_m / EARTH_RADIUS_M)
    min_lat, max_lat = max(-90.0, lat - dlat), min(90.0, lat + dlat)
    widest = math.cos(math.radians(max(abs(min_lat), abs(max_lat))))
    if widest < 1e-9 or radius_m / (EARTH_RADIUS_M * widest) >= math.pi:
        return Box(min_lat, max_lat, -180.0, 180.0, wraps=True)
    dlon = math.degrees(radius_m / (EARTH_RADIUS_M * widest))
    wraps = lon - dlon < -180.0 or lon + dlon > 180.0
    return Box(min_lat, max_lat, lon - dlon, lon + dlon, wraps)


NearQuery = tuple[Select[str, float | None, float | None, datetime], dict[str, Any]]
"""A statement finding where and when alerts happened, and the values it runs with."""


def near_query(box: Box, since: datetime, kind: AlertKind | None) -> NearQuery:
    """Where and when alerts in the box happened since `since` (merged duplicates left out)."""
    params: dict[str, Any] = {
        "since": since,
        "merged": AlertStatus.MERGED.value,
        "south": box.min_lat,
        "north": box.max_lat,
        "west": box.min_lon,
        "east": box.max_lon,
        "kind": kind.value if kind is not None else None,
    }
    rows = range(cell_row(box.min_lat), cell_row(box.max_lat) + 1)
    first, last = cell_col(box.min_lon), cell_col(box.max_lon)
    if box.wraps or len(rows) > MAX_ROWS:
        return _near_statement("none", box.wraps, kind is not None), params
    if len(rows) * (last - first + 1) <= MAX_CELLS:
        params["cells"] = [r * CELLS_PER_ROW + c for r in rows for c in range(first, last + 1)]
        return _near_statement("cells", box.wraps, kind is not None), params
    # One range of cells per latitude row: as many as the box has rows, so built each time.
    ranges = or_(
        *[Alert.cell.between(r * CELLS_PER_ROW + first, r * CELLS_PER_ROW + last) for r in rows]
    )
    return _near_statement("none", box.wraps, kind is not None).where(ranges), params


@cache
def _near_statement(
    cells: Literal["cells", "none"], wraps: bool, kind: bool
) -> Select[str, float | None, float | None, datetime]:
    """The statement of one shape of near query, built once (building costs more than running)."""
    conditions: list[ColumnElement[bool]] = [
        Alert.occurred_at >= bindparam("since"),
        Alert.status != bindparam("merged"),
        Alert.lat.between(bindparam("south"), bindparam("north")),
    ]
    if cells == "cells":
        conditions.insert(0, Alert.cell.in_(bindparam("cells", expanding=True)))
    if not wraps:
        conditions.append(Alert.lon.between(bindparam("west"), bindparam("east")))
    if kind:
        conditions.append(Alert.kind == bindparam("kind"))
    return select(Alert.id, Alert.lat, Alert.lon, Alert.occurred_at).where(and_(*conditions))


def nearest(
    spots: Sequence[Row[str, float | None, float | None, datetime]],
    lat: float,
    lon: float,
    radius_m: float,
    limit: int,
) -> list[tuple[str, float]]:
    """Ids of the alerts within radius_m with their distance, nearest first (then newest), at
    most limit."""
    found: list[tuple[float, float, str]] = []
    for alert_id, alert_lat, alert_lon, occurred_at in spots:
        if alert_lat is None or alert_lon is None:
            continue
        distance = distance_m(lat, lon, alert_lat, alert_lon)
        if distance <= radius_m:
            found.append((distance, -occurred_at.timestamp(), alert_id))
    found.sort()
    return [(alert_id, distance) for distance, _when, alert_id in found[:limit]]
