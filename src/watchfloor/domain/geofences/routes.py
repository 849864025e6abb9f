"""HTTP routes of geofences and the electronic-monitoring position feed. Thin; each declares who
may call it."""

from __future__ import annotations

from typing import Annotated, cast

from fastapi import APIRouter, Request, Response

from watchfloor.core.context import Role
from watchfloor.domain.geofences.monitoring import PositionIntake
from watchfloor.domain.geofences.schemas import GeofenceIn, GeofenceOut, PositionsResult
from watchfloor.domain.geofences.service import GeofenceBook
from watchfloor.web.body import BodyTooLarge, read_limited
from watchfloor.web.policy import Principal, allow

router = APIRouter(tags=["geofences"])

Feeder = Annotated[Principal, allow(Role.FEED, Role.ADMIN)]
Watcher = Annotated[Principal, allow(Role.OPERATOR, Role.SUPERVISOR, Role.ANALYST, Role.ADMIN)]
Keeper = Annotated[Principal, allow(Role.SUPERVISOR, Role.ADMIN)]


def _book(request: Request) -> GeofenceBook:
    return cast(GeofenceBook, request.app.state.watchfloor.geofences)


def _positions(request: Request) -> PositionIntake:
    return cast(PositionIntake, request.app.state.watchfloor.monitoring)


@router.get("/api/geofences", response_model=list[GeofenceOut])
async def list_geofences(request: Request, principal: Watcher) -> list[GeofenceOut]:
    """Every geofence with its polygon and rules (for the map)."""
    del principal
    return await _book(request).list()


@router.post("/api/geofences", response_model=GeofenceOut, status_code=201)
async def create_geofence(request: Request, body: GeofenceIn, principal: Keeper) -> GeofenceOut:
    """Draw a geofence (audited); 422 names the point or rule at fault."""
    return await _book(request).create(body, principal.context)


@router.get("/api/geofences/{geofence_id}", response_model=GeofenceOut)
async def get_geofence(request: Request, geofence_id: str, principal: Watcher) -> GeofenceOut:
    """One geofence."""
    del principal
    return await _book(request).get(geofence_id)


@router.put("/api/geofences/{geofence_id}", response_model=GeofenceOut)
async def update_geofence(
    request: Request, geofence_id: str, body: GeofenceIn, principal: Keeper
) -> GeofenceOut:
    """Change a geofence (audited)."""
    return await _book(request).update(geofence_id, body, principal.context)


@router.delete("/api/geofences/{geofence_id}", status_code=204, response_class=Response)
async def delete_geofence(request: Request, geofence_id: str, principal: Keeper) -> Response:
    """Remove a geofence (audited)."""
    await _book(request).delete(geofence_id, principal.context)
    return Response(status_code=204)


@router.post("/api/monitoring/positions", response_model=PositionsResult)
async def post_positions(request: Request, principal: Feeder) -> PositionsResult:
    """Electronic-monitoring positions, one object or a list: stored (and crossings fired)
    before this answers, or refused whole (422 naming the fields) and quarantined."""
    del principal
    intake = _positions(request)
    limit: int = request.app.state.watchfloor.settings.max_body_bytes
    content_type = request.headers.get("content-type")
    try:
        raw = await read_limited(request, limit)
    except BodyTooLarge as error:
        await intake.reject(error.head, content_type, error, error.size_seen)
    return await intake.accept(raw, content_type)
