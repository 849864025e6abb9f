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
    phi1, phi2 = math.radians(a.lat), math.radians(b.lat)
    dphi = phi2 - phi1
    dlmb = math.radians(b.lon - a.lon)
    h = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))
