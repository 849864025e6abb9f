"""Live video to the console: a WebSocket per open live view carrying the relay's status (JSON
text) and fragmented MP4 (binary) for Media Source Extensions, with the session re-checked on a
beat; recording from a live view, saving what the relay kept, and snapshots as evidence."""

from __future__ import annotations

import asyncio
import contextlib
import json
from typing import Annotated, cast

from fastapi import APIRouter, Request, WebSocket, WebSocketDisconnect
from pydantic import BaseModel, ConfigDict, Field

from watchfloor.auth.tokens import SESSION_COOKIE
from watchfloor.core.context import Role
from watchfloor.core.errors import DomainError, NotFound
from watchfloor.domain.cameras.biometrics import VideoAnalytics, VideoPath
from watchfloor.domain.cameras.video_desk import VideoDesk
from watchfloor.domain.cameras.viewing import ViewGrant
from watchfloor.domain.cameras.viewing_routes import viewing_of
from watchfloor.domain.cameras.viewing_schemas import VideoAction, ViewReason
from watchfloor.domain.evidence.schemas import EvidenceOut
from watchfloor.domain.video.relay import RelayPool
from watchfloor.domain.video.status import RelayStatus
from watchfloor.domain.video.viewer import Viewer
from watchfloor.live.routes import CLOSE_FORBIDDEN, admitted, same_origin, until_disconnect
from watchfloor.web.policy import Principal, SocketRoleCheck, allow, allow_watch

router = APIRouter(tags=["video"])

CLOSE_NO_VIEW = 4404
CLOSE_UNAVAILABLE = 4503
Watcher = Annotated[Principal, allow(Role.OPERATOR, Role.SUPERVISOR, Role.ANALYST)]
SocketWatcher = Annotated[
    SocketRoleCheck,
    allow_watch(SESSION_COOKIE, Role.OPERATOR, Role.SUPERVISOR, Role.ANALYST),
]


class SaveLastIn(BaseModel):
    """How many of the last seconds the relay kept to save."""

    model_config = ConfigDict(extra="forbid")

    seconds: float = Field(30.0, gt=0, le=600)


class SnapshotIn(BaseModel):
    """A snapshot under an open live view, or with its own reason."""

    model_config = ConfigDict(extra="forbid")

    view_id: str | None = Field(None, max_length=32)
    reason: ViewReason | None = None


class RecordingOut(BaseModel):
    """A recording that has started under a live view."""

    view_id: str
    recording_view_id: str
    camera: str


def _desk(request: Request) -> VideoDesk:
    return cast(VideoDesk, request.app.state.watchfloor.video_desk)


def _live(request: Request, view_id: str, principal: Principal) -> ViewGrant:
    view = viewing_of(request).grant(view_id, principal.user_id)
    if view.action is not VideoAction.LIVE:
        raise NotFound(f"no open live view {view_id}")
    return view


@router.post("/api/video/views/{view_id}/recording", response_model=RecordingOut, status_code=202)
async def start_recording(request: Request, view_id: str, principal: Watcher) -> RecordingOut:
    """Start recording a live view from its next keyframe (a recording view, audited)."""
    live = _live(request, view_id, principal)
    recording = await _desk(request).start_recording(live, principal.context)
    return RecordingOut(
        view_id=view_id, recording_view_id=recording.view_id, camera=live.camera_code
    )


@router.delete("/api/video/views/{view_id}/recording", response_model=EvidenceOut, status_code=201)
async def stop_recording(request: Request, view_id: str, principal: Watcher) -> EvidenceOut:
    """Stop a live view's recording; the clip is kept as evidence with its SHA-256."""
    live = _live(request, view_id, principal)
    return await _desk(request).stop_recording(live, principal.context)


@router.post("/api/video/views/{view_id}/save-last", response_model=EvidenceOut, status_code=201)
async def save_last(
    request: Request, view_id: str, body: SaveLastIn, principal: Watcher
) -> EvidenceOut:
    """Keep the last N seconds the relay holds for the view's camera as evidence."""
    live = _live(request, view_id, principal)
    return await _desk(request).save_last(live, body.seconds, principal.context)


@router.post("/api/cameras/{code}/snapshots", response_model=EvidenceOut, status_code=201)
async def take_snapshot(
    request: Request, code: str, body: SnapshotIn, principal: Watcher
) -> EvidenceOut:
    """One frame as JPEG evidence (with its hash), under a live view or with its own reason."""
    live = _live(request, body.view_id, principal) if body.view_id else None
    if live is not None and live.camera_code != code:
        raise NotFound(f"no open live view {body.view_id} of camera {code}")
    return await _desk(request).snapshot(code, principal.context, live=live, reason=body.reason)


@router.websocket("/api/video/live/{view_id}")
async def live_video(websocket: WebSocket, view_id: str, check: SocketWatcher) -> None:
    """Stream an open live view: status messages as JSON text, video as fMP4 binary frames."""
    wf = websocket.app.state.watchfloor
    await websocket.accept()
    if not same_origin(websocket):
        await websocket.close(CLOSE_FORBIDDEN, "cross_origin")
        return
    principal = await admitted(websocket, check)
    if principal is None:
        return
    try:
        view = wf.viewing.grant(view_id, principal.user_id)
    except NotFound:
        await websocket.close(CLOSE_NO_VIEW, "no_view")
        return
    if view.action is not VideoAction.LIVE or view.stream_url is None:
        await websocket.close(CLOSE_NO_VIEW, "not_live")
        return
    try:
        await _relay(websocket, check, view, wf.relays, wf.analytics, wf.settings.live_ping_s)
    except DomainError as error:
        with contextlib.suppress(RuntimeError, WebSocketDisconnect):
            await websocket.send_text(_status("failed", error.code, None))
            await websocket.close(CLOSE_UNAVAILABLE, error.code)
    finally:
        await wf.viewing.close(view_id, principal.context)


async def _relay(
    websocket: WebSocket,
    check: SocketRoleCheck,
    view: ViewGrant,
    relays: RelayPool,
    analytics: VideoAnalytics,
    beat_s: float,
) -> None:
    assert view.stream_url is not None
    async with relays.watch(view.camera_code, view.stream_url) as viewer:
        tasks = {
            asyncio.create_task(until_disconnect(websocket)),
            asyncio.create_task(_send(websocket, viewer, view.camera_code, analytics)),
            asyncio.create_task(_recheck(websocket, check, beat_s)),
        }
        try:
            await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)


async def _send(
    websocket: WebSocket, viewer: Viewer, camera: str, analytics: VideoAnalytics
) -> None:
    async for item in viewer:
        if isinstance(item, RelayStatus):
            await websocket.send_text(_status(item.state, item.reason, item.codec, item.playable))
            continue
        await websocket.send_bytes(item)
        if analytics.wants(VideoPath.LIVE):
            await analytics.dispatch(VideoPath.LIVE, camera, item, "video/mp4")
    with contextlib.suppress(RuntimeError, WebSocketDisconnect):
        await websocket.close(CLOSE_UNAVAILABLE, "relay_ended")


async def _recheck(websocket: WebSocket, check: SocketRoleCheck, beat_s: float) -> None:
    # A locked or ended session stops the video on the next beat, as it stops the live channel.
    while True:
        await asyncio.sleep(beat_s)
        if await admitted(websocket, check) is None:
            return


def _status(state: str, reason: str | None, codec: str | None, playable: bool | None = None) -> str:
    return json.dumps(
        {"type": "status", "state": state, "reason": reason, "codec": codec, "playable": playable}
    )
