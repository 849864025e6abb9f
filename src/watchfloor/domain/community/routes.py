"""The RTCC's reads of the community camera registry: the map layer and the cameras near a point.
Both audited; neither shows an owner's contact details."""

from __future__ import annotations

from typing import Annotated, cast

from fastapi import APIRouter, Query, Request

from watchfloor.core.context import Role
from watchfloor.core.errors import FieldProblem, InvalidInput
from watchfloor.domain.community.registry import CommunityRegistry
from watchfloor.domain.community.schemas import CommunityCameraNear, CommunityCameraOut
from watchfloor.web.policy import Principal, allow

router = APIRouter(prefix="/api/community", tags=["community"])

Reader = Annotated[Principal, allow(Role.OPERATOR, Role.SUPERVISOR, Role.ANALYST)]
Lat = Annotated[float, Query(ge=-90, le=90, allow_inf_nan=False)]
Lon = Annotated[float, Query(ge=-180, le=180, allow_inf_nan=False)]


def _registry(request: Request) -> CommunityRegistry:
    return cast(CommunityRegistry, request.app.state.watchfloor.community.registry)


@router.get("/cameras")
async def cameras(
    request: Request, principal: Reader, west: Lon, south: Lat, east: Lon, north: Lat
) -> list[CommunityCameraOut]:
    """Listed cameras in the map's box (audited as a map layer read)."""
    problems = []
    if north < south:
        problems.append(FieldProblem("/north", "must not be south of south"))
    if east < west:
        problems.append(FieldProblem("/east", "must not be west of west"))
    if problems:
        raise InvalidInput("the box is not a box", problems)
    return await _registry(request).layer((south, west, north, east), principal.context)


@router.get("/cameras/near")
async def cameras_near(
    request: Request,
    principal: Reader,
    lat: Lat,
    lon: Lon,
    reason: Annotated[str, Query(min_length=5, max_length=500)],
    radius_m: Annotated[float, Query(gt=0, le=20_000, allow_inf_nan=False)] = 200.0,
    incident_id: Annotated[str | None, Query(max_length=36)] = None,
) -> list[CommunityCameraNear]:
    """Listed cameras near a point, nearest first (audited with the reason)."""
    registry = _registry(request)
    if len(reason.strip()) < 5:
        raise InvalidInput("say why", [FieldProblem("/reason", "at least 5 characters")])
    if radius_m > registry.settings.near_radius_max_m:
        reason_text = f"at most {registry.settings.near_radius_max_m:.0f} m"
        raise InvalidInput("the radius is too large", [FieldProblem("/radius_m", reason_text)])
    return await registry.near_for(
        (lat, lon), radius_m, reason.strip(), incident_id, principal.context
    )
