"""HTTP routes of the unit roster: the list, the position feed, status changes, unit details,
trails and the nearest units."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, cast

from fastapi import APIRouter, Query, Request

from watchfloor.core.context import Role
from watchfloor.core.errors import FieldProblem, InvalidInput
from watchfloor.domain.units.intake import UnitPositionIntake
from watchfloor.domain.units.nearest import By, NearestFinder
from watchfloor.domain.units.schemas import (
    NearestUnits,
    PositionsResult,
    StatusIn,
    TrailPoint,
    UnitEdit,
    UnitIn,
    UnitOut,
)
from watchfloor.domain.units.service import UnitRoster
from watchfloor.settings_field import UnitSettings
from watchfloor.web.body import BodyTooLarge, read_limited
from watchfloor.web.policy import Principal, allow

router = APIRouter(tags=["units"])

Watcher = Annotated[Principal, allow(Role.OPERATOR, Role.SUPERVISOR, Role.ANALYST)]
Dispatcher = Annotated[Principal, allow(Role.OPERATOR, Role.SUPERVISOR)]
Feeder = Annotated[Principal, allow(Role.FEED, Role.ADMIN)]
Registrar = Annotated[Principal, allow(Role.SUPERVISOR, Role.ADMIN)]
Limit = Annotated[int | None, Query(ge=1, le=100)]


def _roster(request: Request) -> UnitRoster:
    return cast(UnitRoster, request.app.state.watchfloor.units)


def _finder(request: Request) -> NearestFinder:
    return cast(NearestFinder, request.app.state.watchfloor.fieldlink.unit_nearest)


def _settings(request: Request) -> UnitSettings:
    return cast(UnitSettings, request.app.state.watchfloor.settings.units)


@router.get("/api/units", response_model=list[UnitOut])
async def list_units(request: Request, principal: Watcher) -> list[UnitOut]:
    """Every unit with its status, latest position and whether that position is stale."""
    del principal
    return await _roster(request).list()


@router.post("/api/units/positions", response_model=PositionsResult)
async def post_positions(request: Request, principal: Feeder) -> PositionsResult:
    """Unit positions (one object or a list); durable before this answers, or refused naming
    the field (4xx) and quarantined."""
    intake = cast(UnitPositionIntake, request.app.state.watchfloor.unit_positions)
    limit: int = request.app.state.watchfloor.settings.max_body_bytes
    content_type = request.headers.get("content-type")
    try:
        raw = await read_limited(request, limit)
    except BodyTooLarge as error:
        await intake.reject(error.head, content_type, error)
        raise
    return PositionsResult(accepted=await intake.accept(raw, content_type, principal.context))


@router.put("/api/units/{code}/status", response_model=UnitOut)
async def set_status(request: Request, code: str, body: StatusIn, principal: Dispatcher) -> UnitOut:
    """Change a unit's status (audited)."""
    return await _roster(request).set_status(code, body.status.value, principal.context)


@router.post("/api/units", response_model=UnitOut, status_code=201)
async def create_unit(request: Request, body: UnitIn, principal: Registrar) -> UnitOut:
    """Add a unit with its kind, agency, crew and capabilities (audited; 409 when it exists)."""
    return await _roster(request).create(body, principal.context)


@router.patch("/api/units/{code}", response_model=UnitOut)
async def edit_unit(request: Request, code: str, body: UnitEdit, principal: Registrar) -> UnitOut:
    """Change a unit's kind, name, agency, crew or capabilities (audited)."""
    return await _roster(request).edit(code, body, principal.context)


@router.get("/api/units/nearest", response_model=NearestUnits)
async def nearest_units(
    request: Request,
    principal: Watcher,
    lat: Annotated[float, Query(ge=-90, le=90)],
    lon: Annotated[float, Query(ge=-180, le=180)],
    by: By = "distance",
    limit: Limit = None,
    available: bool = True,
) -> NearestUnits:
    """The units nearest a point, by straight-line distance or travel time over the streets
    (409 when no street data is loaded)."""
    del principal
    count = limit or _settings(request).nearest_limit
    return await _finder(request).to_point(lat, lon, by, count, available)


@router.get("/api/incidents/{incident_id}/nearest-units", response_model=NearestUnits)
async def incident_nearest_units(
    request: Request,
    incident_id: str,
    principal: Watcher,
    by: By = "distance",
    limit: Limit = None,
    available: bool = True,
) -> NearestUnits:
    """The units nearest an incident, by distance or travel time (409 without street data or
    without the incident's location)."""
    del principal
    count = limit or _settings(request).nearest_limit
    return await _finder(request).to_incident(incident_id, by, count, available)


@router.get("/api/units/{code}/trail", response_model=list[TrailPoint])
async def unit_trail(
    request: Request,
    code: str,
    principal: Watcher,
    minutes: Annotated[int, Query(ge=1)] = 30,
) -> list[TrailPoint]:
    """The unit's positions of the last `minutes`, oldest first."""
    del principal
    settings = _settings(request)
    if minutes > settings.trail_max_minutes:
        reason = f"at most {settings.trail_max_minutes}"
        raise InvalidInput("bad trail window", [FieldProblem("/minutes", reason)])
    roster = _roster(request)
    since = request.app.state.watchfloor.clock.now() - timedelta(minutes=minutes)
    return await roster.trail(code, since, settings.trail_max_points)
