"""Correlation routes: slew-to-cue settings per PTZ camera, and the callouts sent."""

from __future__ import annotations

from typing import Annotated, cast

from fastapi import APIRouter, Query, Request

from watchfloor.core.context import Role
from watchfloor.core.errors import Conflict, NotFound
from watchfloor.correlation.callouts import CalloutDesk
from watchfloor.correlation.cues import CueStore
from watchfloor.correlation.schemas import CalloutOut, CueIn, CueOut
from watchfloor.domain.cameras.service import CameraRegistry
from watchfloor.web.policy import Principal, allow

router = APIRouter(prefix="/api/correlation", tags=["correlation"])
Configurer = Annotated[Principal, allow(Role.SUPERVISOR, Role.ADMIN)]


def _cues(request: Request) -> CueStore:
    return cast(CueStore, request.app.state.watchfloor.cue_store)


@router.get("/cameras/{code}/cue", response_model=CueOut)
async def get_cue(request: Request, code: str, principal: Configurer) -> CueOut:
    """A PTZ camera's slew-to-cue settings."""
    found = _cues(request).get(code)
    if found is None:
        raise NotFound(f"camera {code} has no cue settings")
    return found


@router.put("/cameras/{code}/cue", response_model=CueOut)
async def put_cue(request: Request, code: str, body: CueIn, principal: Configurer) -> CueOut:
    """Set a PTZ camera's slew-to-cue settings: on/off, calibration, cue presets (audited)."""
    registry = cast(CameraRegistry, request.app.state.watchfloor.cameras)
    camera = await registry.get(code)
    if not camera.ptz:
        raise Conflict(f"camera {code} is not a PTZ camera", "camera_not_ptz")
    return await _cues(request).put(code, body, principal.context)


@router.get("/callouts", response_model=list[CalloutOut])
async def list_callouts(
    request: Request, principal: Configurer, limit: Annotated[int, Query(ge=1, le=500)] = 100
) -> list[CalloutOut]:
    """The latest after-hours callouts with their delivery status."""
    desk = cast(CalloutDesk, request.app.state.watchfloor.callouts)
    return await desk.list(limit)
