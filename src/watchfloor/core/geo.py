"""Geographic points and the distance between them."""

from __future__ import annotations

import math

from pydantic import BaseModel, ConfigDict, Field

EARTH_RADIUS_M = 6_371_008.8


class GeoPoint(BaseModel):
    """A WGS 84 position; optional altitude (m) and horizontal uncertainty (m)."""

    model_config = ConfigDict(frozen=True)

    lat: float = Field(ge=-90.0, le=90.0, allow_inf_nan=False)
    lon: float = Field(ge=-180.0, le=180.0, allow_inf_nan=False)
    alt_m: float | None = Field(default=None, allow_inf_nan=False)
    uncertainty_m: float | None = Field(default=None, ge=0.0, allow_inf_nan=False)


def haversine_m(a: GeoPoint, b: GeoPoint) -> float:
    """Great-circle distance in metres between two points."""
    return distance_m(a.lat, a.lon, b.lat, b.lon)


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres (haversine) between two latitude/longitude pairs."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlmb = phi2 - phi1, math.radians(lon2 - lon1)
    h = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))


def short_distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Distance in metres, equirectangular: within 0.1 % of the great circle up to tens of
    kilometres, at a fraction of the cost (for checks that run once per plate read)."""
    x = math.radians(lon2 - lon1) * math.cos(math.radians((lat1 + lat2) / 2))
    y = math.radians(lat2 - lat1)
    return EARTH_RADIUS_M * math.hypot(x, y)


# A grid of ~250 m cells for spatial keys in the store: rows are fixed bands of latitude, and each
# row's columns are as wide in longitude as 250 m is at the row's mid latitude, so a cell is close
# to square everywhere and a radius search touches only a handful of cells.
CELL_M = 250.0
METRES_PER_DEGREE_LAT = math.pi * EARTH_RADIUS_M / 180.0
_CELL_DEG_LAT = CELL_M / METRES_PER_DEGREE_LAT
_ROW_STRIDE = 10_000_000  # more columns than any row has (about 160,000 at the equator)
_MIN_COS = 0.01  # rows at the poles stay finite


def _row(lat: float) -> int:
    return math.floor((min(max(lat, -90.0), 90.0) + 90.0) / _CELL_DEG_LAT)


def _col_width_deg(row: int) -> float:
    mid_lat = (row + 0.5) * _CELL_DEG_LAT - 90.0
    return _CELL_DEG_LAT / max(math.cos(math.radians(mid_lat)), _MIN_COS)


def _col(row: int, lon: float) -> int:
    return math.floor((((lon + 180.0) % 360.0) if lon != 180.0 else 360.0) / _col_width_deg(row))


def grid_cell(lat: float, lon: float) -> int:
    """The ~250 m grid cell a point lies in (an integer key for an index)."""
    row = _row(lat)
    return row * _ROW_STRIDE + _col(row, lon)


def cells_around(lat: float, lon: float, radius_m: float) -> list[int]:
    """Every grid cell that a circle of radius_m around the point touches (a superset)."""
    radius_m = max(radius_m, 0.0)
    span_lat = radius_m / METRES_PER_DEGREE_LAT
    first, last = _row(lat - span_lat), _row(lat + span_lat)
    cells: list[int] = []
    for row in range(first, last + 1):
        south, north = row * _CELL_DEG_LAT - 90.0, (row + 1) * _CELL_DEG_LAT - 90.0
        # The circle is widest in this row where the row comes nearest its centre: a row above
        # or below the centre needs only the chord there (its corner cells lie outside).
        gap_m = max(south - lat, lat - north, 0.0) * METRES_PER_DEGREE_LAT
        half_m = math.sqrt(max(radius_m * radius_m - gap_m * gap_m, 0.0))
        # the row's edge nearest the pole is where a metre is the most degrees of longitude
        edge = max(abs(south), abs(north))
        cos = max(math.cos(math.radians(min(edge, 90.0))), _MIN_COS)
        span_lon = min(half_m / METRES_PER_DEGREE_LAT / cos, 180.0)
        west, east = _col(row, lon - span_lon), _col(row, lon + span_lon)
        if east < west:  # the circle crosses the antimeridian
            last_col = _col(row, 179.999999)
            cols = [*range(west, last_col + 1), *range(0, east + 1)]
        else:
            cols = list(range(west, east + 1))
        cells.extend(row * _ROW_STRIDE + col for col in cols)
    return cells


def metres_per_degree_lon(lat: float) -> float:
    """Metres in one degree of longitude at a latitude (for equirectangular distances in SQL)."""
    return METRES_PER_DEGREE_LAT * max(math.cos(math.radians(lat)), _MIN_COS)
