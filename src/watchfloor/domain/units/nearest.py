"""Nearest units to an incident or a point: by straight-line distance or by travel time."""

from __future__ import annotations

from typing import Literal

from watchfloor.core.errors import Conflict, NotFound
from watchfloor.core.geo import distance_m
from watchfloor.db.engine import Database
from watchfloor.domain.incidents.models import Incident
from watchfloor.domain.units.routing import NoStreets, Route, StreetRouter
from watchfloor.domain.units.schemas import AVAILABLE, NearestUnits, RoutedUnit, UnitOut
from watchfloor.domain.units.service import UnitRoster

By = Literal["distance", "time"]


class NearestFinder:
    """Ranks the roster's positioned units for a point, from memory and the street graph."""

    def __init__(self, db: Database, roster: UnitRoster, router: StreetRouter) -> None:
        self._db = db
        self._roster = roster
        self._router = router

    async def to_incident(
        self, incident_id: str, by: By, limit: int, available_only: bool = True
    ) -> NearestUnits:
        """The units nearest an incident's point (NotFound; Conflict when it has no point)."""
        async with self._db.read_session() as session:
            incident = await session.get(Incident, incident_id)
        if incident is None:
            raise NotFound("no such incident")
        if incident.lat is None or incident.lon is None:
            raise Conflict("the incident has no location", "incident_without_location")
        return await self.to_point(incident.lat, incident.lon, by, limit, available_only)

    async def to_point(
        self, lat: float, lon: float, by: By, limit: int, available_only: bool = True
    ) -> NearestUnits:
        """The units nearest (lat, lon): by distance, or by travel time (NoStreets: 409)."""
        units = [u for u in await self._roster.list() if _candidate(u, available_only)]
        ranked = sorted(
            (_routed(u, distance_m(lat, lon, u.lat or 0.0, u.lon or 0.0)) for u in units),
            key=lambda r: (r.distance_m, r.code),
        )
        if by == "distance":
            ranked = ranked[:limit]
        routes = await self._routes(lat, lon, ranked, required=by == "time")
        ranked = [r.model_copy(update=_route_fields(routes.get(r.code))) for r in ranked]
        if by == "time":
            ranked.sort(key=lambda r: (r.travel_s is None, r.travel_s or 0.0, r.code))
        return NearestUnits(by=by, lat=lat, lon=lon, units=ranked[:limit])

    async def _routes(
        self, lat: float, lon: float, ranked: list[RoutedUnit], required: bool
    ) -> dict[str, Route]:
        starts = {r.code: (r.lat, r.lon) for r in ranked}
        try:
            return await self._router.routes_to(lat, lon, starts)
        except NoStreets:
            if required:
                raise
            return {}


def _candidate(unit: UnitOut, available_only: bool) -> bool:
    positioned = unit.lat is not None and unit.lon is not None
    return positioned and (not available_only or unit.status in AVAILABLE)


def _routed(unit: UnitOut, straight_m: float) -> RoutedUnit:
    return RoutedUnit(
        code=unit.code,
        name=unit.name,
        kind=unit.kind,
        agency=unit.agency,
        status=unit.status,
        lat=unit.lat or 0.0,
        lon=unit.lon or 0.0,
        position_at=unit.position_at,
        stale=unit.stale,
        incident_id=unit.incident_id,
        distance_m=round(straight_m, 1),
    )


def _route_fields(route: Route | None) -> dict[str, float | None]:
    if route is None:
        return {"travel_s": None, "route_m": None}
    return {"travel_s": route.travel_s, "route_m": route.route_m}
