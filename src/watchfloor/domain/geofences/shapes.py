"""Checking a geofence before it is stored: its polygon (a simple ring of real coordinates), its
rules and its hours. Every problem is named by the JSON pointer of the field at fault."""

from __future__ import annotations

import math
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import shapely
from shapely.geometry import Polygon

from watchfloor.core.errors import FieldProblem, InvalidInput
from watchfloor.domain.geofences.schemas import (
    HOTLIST_RULE,
    MONITORING_RULES,
    GeofenceIn,
    GeofenceRule,
)

Ring = list[list[float]]


def to_polygon(ring: Ring) -> Polygon:
    """The shapely polygon of a stored [[lat, lon], ...] ring (x is longitude)."""
    return Polygon([(lon, lat) for lat, lon in ring])


def check_geofence(body: GeofenceIn, max_points: int) -> Ring:
    """The closed ring to store, or InvalidInput naming every field at fault."""
    problems = _point_problems(body.polygon, max_points)
    ring: Ring = []
    if not problems:
        ring = closed(body.polygon)
        problems += _shape_problems(ring)
    problems += _rule_problems(body.rules)
    if body.hours is not None:
        problems += _hours_problems(body.hours.start == body.hours.end, body.hours.timezone)
    if problems:
        raise InvalidInput("the geofence is not valid", problems)
    return ring


def closed(points: Ring) -> Ring:
    """The ring with its first point repeated at the end (once)."""
    ring = [[float(lat), float(lon)] for lat, lon in points]
    return ring if ring[0] == ring[-1] else [*ring, ring[0]]


def _point_problems(points: Ring, max_points: int) -> list[FieldProblem]:
    if len(points) > max_points:
        return [FieldProblem("/polygon", f"more than {max_points} points")]
    problems: list[FieldProblem] = []
    for index, point in enumerate(points):
        at = f"/polygon/{index}"
        if len(point) != 2:
            problems.append(FieldProblem(at, "a point is [latitude, longitude]"))
            continue
        lat, lon = point
        if not (math.isfinite(lat) and -90.0 <= lat <= 90.0):
            problems.append(FieldProblem(f"{at}/0", "latitude must be between -90 and 90"))
        if not (math.isfinite(lon) and -180.0 <= lon <= 180.0):
            problems.append(FieldProblem(f"{at}/1", "longitude must be between -180 and 180"))
    if not problems and len({(lat, lon) for lat, lon in points}) < 3:
        problems.append(FieldProblem("/polygon", "a polygon needs at least 3 distinct points"))
    return problems


def _shape_problems(ring: Ring) -> list[FieldProblem]:
    polygon = to_polygon(ring)
    if not polygon.is_valid:
        reason = shapely.is_valid_reason(polygon)
        return [FieldProblem("/polygon", f"not a simple polygon: {reason} (lon lat)")]
    if polygon.area <= 0.0:
        return [FieldProblem("/polygon", "the polygon encloses no area")]
    return []


def _rule_problems(rules: list[GeofenceRule]) -> list[FieldProblem]:
    problems: list[FieldProblem] = []
    seen: set[str] = set()
    for index, rule in enumerate(rules):
        at = f"/rules/{index}"
        if rule.rule in seen:
            problems.append(FieldProblem(f"{at}/rule", f"{rule.rule} is given twice"))
        seen.add(rule.rule)
        if rule.reason_codes is not None and rule.rule != HOTLIST_RULE:
            problems.append(FieldProblem(f"{at}/reason_codes", f"only for {HOTLIST_RULE}"))
        if rule.subjects is not None and rule.rule not in MONITORING_RULES:
            problems.append(FieldProblem(f"{at}/subjects", "only for monitored-person rules"))
        for name, values in (("reason_codes", rule.reason_codes), ("subjects", rule.subjects)):
            for position, value in enumerate(values or []):
                if not value.strip() or len(value) > 100:
                    reason = "must be 1 to 100 characters"
                    problems.append(FieldProblem(f"{at}/{name}/{position}", reason))
    return problems


def _hours_problems(empty: bool, timezone: str | None) -> list[FieldProblem]:
    problems: list[FieldProblem] = []
    if empty:
        problems.append(FieldProblem("/hours/end", "must differ from start"))
    if timezone is not None:
        try:
            ZoneInfo(timezone)
        except (ZoneInfoNotFoundError, ValueError):
            problems.append(FieldProblem("/hours/timezone", f"unknown time zone {timezone!r}"))
    return problems
