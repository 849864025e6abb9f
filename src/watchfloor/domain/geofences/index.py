"""The geofences in memory: an STR-tree over the active polygons answers "which zones contain
this point" without touching the store, and whether a zone's rules apply at a moment."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import shapely
from shapely.geometry import Point, Polygon
from shapely.strtree import STRtree

from watchfloor.domain.geofences.schemas import WEEKDAYS, ActiveHours, GeofenceOut
from watchfloor.domain.geofences.shapes import to_polygon


class GeofenceIndex:
    """An immutable snapshot of the active geofences, rebuilt whole when one changes."""

    def __init__(self, geofences: Iterable[GeofenceOut]) -> None:
        self.geofences = [g for g in geofences if g.active]
        self._polygons: list[Polygon] = [to_polygon(g.polygon) for g in self.geofences]
        for polygon in self._polygons:
            shapely.prepare(polygon)
        self._by_id = {g.id: i for i, g in enumerate(self.geofences)}
        self._tree = STRtree(self._polygons) if self._polygons else None

    def containing(self, lat: float, lon: float) -> list[GeofenceOut]:
        """The active geofences that contain the point (its edge counts as inside)."""
        if self._tree is None:
            return []
        hits = self._tree.query(Point(lon, lat), predicate="intersects")
        return [self.geofences[int(i)] for i in sorted(hits)]

    def contains(self, geofence_id: str, lat: float, lon: float) -> bool:
        """Whether that active geofence contains the point."""
        index = self._by_id.get(geofence_id)
        if index is None:
            return False
        return bool(shapely.intersects_xy(self._polygons[index], lon, lat))

    def watching(self, person_ref: str) -> list[GeofenceOut]:
        """The active geofences whose monitoring rules concern the person."""
        return [g for g in self.geofences if g.watches(person_ref)]


def applies_at(geofence: GeofenceOut, when: datetime, default_timezone: str) -> bool:
    """Whether the geofence's rules are in force at that moment (always, without hours)."""
    hours = geofence.hours
    return geofence.active and (hours is None or _within(hours, when, default_timezone))


def _within(hours: ActiveHours, when: datetime, default_timezone: str) -> bool:
    local = when.astimezone(ZoneInfo(hours.timezone or default_timezone))
    clock = local.time().replace(tzinfo=None)
    if hours.start < hours.end:
        return hours.start <= clock < hours.end and _day(local) in hours.days
    # past midnight: the early part belongs to the day the window opened
    if clock >= hours.start:
        return _day(local) in hours.days
    return clock < hours.end and _day(local - timedelta(days=1)) in hours.days


def _day(moment: datetime) -> str:
    return WEEKDAYS[moment.weekday()]
