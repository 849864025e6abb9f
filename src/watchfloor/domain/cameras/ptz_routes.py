"""HTTP routes that steer a PTZ camera. Each command names an open view of the person (a live
view, or a view opened for PTZ): steering opens a PTZ view under it with the same reason, audited
with its duration; storing a preset is audited on its own."""

from __future__ import annotations

from typing import Annotated, cast

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field

from watchfloor.audit.service import AuditEntry
from watchfloor.core.context import Role
from watchfloor.core.errors import NotFound
from watchfloor.domain.cameras.control import CameraControl
from watchfloor.domain.cameras.viewing import ViewGrant
from watchfloor.domain.cameras.viewing_routes import viewing_of
from watchfloor.domain.cameras.viewing_schemas import VideoAction
from watchfloor.web.policy import Principal, allow

router = APIRouter(prefix="/api/cameras/{code}/ptz", tags=["video"])
Steerer = Annotated[Principal, allow(Role.OPERATOR, Role.SUPERVISOR)]
VIEW_ID = Field(min_length=8, max_length=32, description="an open view of this camera")


class PtzIn(BaseModel):
    """A PTZ command under an open view."""

    model_config = ConfigDict(extra="forbid")

    view_id: str = VIEW_ID


class MoveIn(PtzIn):
    """Velocities from -1 to 1; the head stops by itself after timeout_s."""

    pan: float = Field(0.0, ge=-1, le=1)
    tilt: float = Field(0.0, ge=-1, le=1)
    zoom: float = Field(0.0, ge=-1, le=1)
    timeout_s: float = Field(5.0, gt=0, le=60)


class PresetIn(PtzIn):
    """A name for where the head points now."""

    name: str = Field(min_length=1, max_length=64)


class PresetOut(BaseModel):
    """A stored position of the head."""

    token: str
    name: str


class Moved(BaseModel):
    """The command was sent to the camera."""

    ok: bool = True
    view_id: str


def _control(request: Request) -> CameraControl:
    return cast(CameraControl, request.app.state.watchfloor.camera_control)


async def steering(request: Request, code: str, view_id: str, principal: Principal) -> ViewGrant:
    """The PTZ view for a command: the view itself, or one opened under a live view."""
    viewing = viewing_of(request)
    view = viewing.grant(view_id, principal.user_id)
    if view.camera_code != code:
        raise NotFound(f"no open view {view_id} of camera {code}")
    if view.action is VideoAction.PTZ:
        return view
    return await viewing.child(view, VideoAction.PTZ, principal.context)


@router.post("/move", response_model=Moved)
async def ptz_move(request: Request, code: str, body: MoveIn, principal: Steerer) -> Moved:
    """Turn and zoom at the given speeds until stopped (or timeout_s)."""
    view = await steering(request, code, body.view_id, principal)
    await _control(request).ptz_move(code, body.pan, body.tilt, body.zoom, body.timeout_s)
    return Moved(view_id=view.view_id)


@router.post("/stop", response_model=Moved)
async def ptz_stop(request: Request, code: str, body: PtzIn, principal: Steerer) -> Moved:
    """Stop the head."""
    view = await steering(request, code, body.view_id, principal)
    await _control(request).ptz_stop(code)
    return Moved(view_id=view.view_id)


@router.post("/home", response_model=Moved)
async def ptz_home(request: Request, code: str, body: PtzIn, principal: Steerer) -> Moved:
    """Turn the head to its home position."""
    view = await steering(request, code, body.view_id, principal)
    await _control(request).go_home(code)
    return Moved(view_id=view.view_id)


@router.get("/presets", response_model=list[PresetOut])
async def ptz_presets(
    request: Request, code: str, view_id: str, principal: Steerer
) -> list[PresetOut]:
    """The head's stored presets."""
    await steering(request, code, view_id, principal)
    presets = await _control(request).presets(code)
    return [PresetOut(token=preset.token, name=preset.name) for preset in presets]


@router.post("/presets/{token}/goto", response_model=Moved)
async def ptz_goto(
    request: Request, code: str, token: str, body: PtzIn, principal: Steerer
) -> Moved:
    """Turn the head to a stored preset."""
    view = await steering(request, code, body.view_id, principal)
    await _control(request).goto_preset(code, token)
    return Moved(view_id=view.view_id)


@router.post("/presets", response_model=PresetOut, status_code=201)
async def ptz_set_preset(
    request: Request, code: str, body: PresetIn, principal: Steerer
) -> PresetOut:
    """Store where the head points under a name (audited: it changes the camera)."""
    view = await steering(request, code, body.view_id, principal)
    token = await _control(request).set_preset(code, body.name)
    entry = AuditEntry(
        "camera.ptz.preset.set",
        object_type="camera",
        object_id=code,
        reason=view.reason.text(),
        details={"preset": token, "name": body.name, "view": view.view_id},
    )
    await request.app.state.watchfloor.audit.record_alone(principal.context, entry)
    return PresetOut(token=token, name=body.name)
