"""CAP areas: `polygon` ("lat,lon lat,lon ...", closed, at least 4 pairs) and `circle`
("lat,lon radius_km"), parsed into numbers, and the one point an alert is placed at."""

from __future__ import annotations

import math
from dataclasses import dataclass

from watchfloor.core.geo import distance_m

Pair = tuple[float, float]


class AreaError(ValueError):
    """A polygon or circle that is not in CAP's format."""


@dataclass(frozen=True)
class Circle:
    """A CAP circle: centre and radius in kilometres."""

    lat: float
    lon: float
    radius_km: float


def parse_pair(text: str) -> Pair:
    """One "lat,lon" pair (WGS 84 decimal degrees)."""
    parts = text.split(",")
    if len(parts) != 2:
        raise AreaError(f"{text[:40]!r} is not a 'lat,lon' pair")
    try:
        lat, lon = float(parts[0]), float(parts[1])
    except ValueError:
        raise AreaError(f"{text[:40]!r} is not a 'lat,lon' pair of numbers") from None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180) or math.isnan(lat + lon):
        raise AreaError(f"{text[:40]!r} is outside latitude -90..90 / longitude -180..180")
    return lat, lon


def parse_polygon(text: str) -> list[Pair]:
    """A closed polygon of at least four pairs, first equal to last."""
    pairs = [parse_pair(token) for token in text.split()]
    if len(pairs) < 4:
        raise AreaError(f"a polygon needs at least 4 pairs, this one has {len(pairs)}")
    if pairs[0] != pairs[-1]:
        raise AreaError("a polygon must be closed (its first and last pairs equal)")
    return pairs


def parse_circle(text: str) -> Circle:
    """ "lat,lon radius" with the radius in kilometres."""
    parts = text.split()
    if len(parts) != 2:
        raise AreaError(f"{text[:40]!r} is not 'lat,lon radius_km'")
    lat, lon = parse_pair(parts[0])
    try:
        radius = float(parts[1])
    except ValueError:
        raise AreaError(f"radius {parts[1][:20]!r} is not a number") from None
    if not radius >= 0 or math.isinf(radius):
        raise AreaError(f"radius {parts[1][:20]!r} must be zero or more kilometres")
    return Circle(lat, lon, radius)


def centroid(pairs: list[Pair]) -> Pair:
    """The area centroid of a small closed polygon (planar in degrees, which is close enough
    for placing a pin); the mean of its vertices when the polygon has no area."""
    ring = pairs[:-1]
    twice_area = cx = cy = 0.0
    for (y0, x0), (y1, x1) in zip(ring, ring[1:] + ring[:1], strict=True):
        cross = x0 * y1 - x1 * y0
        twice_area += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    if abs(twice_area) < 1e-12:
        return sum(p[0] for p in ring) / len(ring), sum(p[1] for p in ring) / len(ring)
    return cy / (3 * twice_area), cx / (3 * twice_area)


def reach_m(point: Pair, pairs: list[Pair]) -> float:
    """How far the polygon reaches from the point: the farthest vertex, in metres."""
    return max(distance_m(point[0], point[1], lat, lon) for lat, lon in pairs)
