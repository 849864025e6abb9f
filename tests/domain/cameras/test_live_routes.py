"""Live video over a real socket from a real RTSP server: the relay's status and fMP4 reach the
console, the view is closed (and audited) when the socket goes, a killed camera shows as no
signal and comes back; recordings, saved buffers and snapshots become hashed evidence."""

from __future__ import annotations

import asyncio
import hashlib
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import pytest
from httpx import AsyncClient
from sqlalchemy import text
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from tests.domain.cameras.support import BODY
from tests.support.auth import login_as
from tests.support.rtsp import RtspServer, rtsp_server  # noqa: F401
from tests.support.server import serving
from watchfloor.app import Watchfloor, build
from watchfloor.core.clock import ManualClock
from watchfloor.core.context import Role
from watchfloor.settings import Settings

REASON = {"kind": "incident", "ref": "2026-000321"}


@dataclass
class Floor:
    """A served Watchfloor, an operator's HTTP client and cookie, and the camera's RTSP server."""

    wf: Watchfloor
    base: str
    http: AsyncClient
    cookie: str
    camera: RtspServer

    def socket(self, view_id: str) -> Any:
        url = self.base.replace("http://", "ws://") + f"/api/video/live/{view_id}"
        return connect(url, additional_headers={"Cookie": self.cookie}, open_timeout=5)

    async def view(self) -> str:
        opened = await self.http.post("/api/cameras/CAM-LIVE/views", json={"reason": REASON})
        assert opened.status_code == 201, opened.text
        return str(opened.json()["view_id"])


@pytest.fixture
async def floor(
    settings: Settings,
    clock: ManualClock,
    rtsp_server: RtspServer,  # noqa: F811
) -> AsyncIterator[Floor]:
    video = settings.video.model_copy(
        update={"reconnect_initial_s": 0.2, "reconnect_max_s": 0.5, "open_timeout_s": 2.0}
    )
    # Plain http on loopback: the session cookie must travel without TLS in this test.
    security = settings.security.model_copy(update={"cookie_secure": False})
    quick = settings.model_copy(update={"live_ping_s": 1.0, "video": video, "security": security})
    wf = build(quick, clock=clock, migrate=False)
    async with serving(wf) as base, AsyncClient(base_url=base) as http:
        await login_as(wf, http, Role.SUPERVISOR)
        body = BODY | {"code": "CAM-LIVE", "stream_urls": [rtsp_server.url("/live")]}
        assert (await http.post("/api/cameras", json=body)).status_code == 201
        await login_as(wf, http, Role.OPERATOR, username="op-live")
        yield Floor(wf, base, http, f"wf_session={http.cookies['wf_session']}", rtsp_server)


async def _until_state(ws: ClientConnection, state: str, timeout_s: float = 15) -> dict[str, Any]:
    async with asyncio.timeout(timeout_s):
        while True:
            message = await ws.recv()
            if isinstance(message, str):
                status: dict[str, Any] = json.loads(message)
                if status["state"] == state:
                    return status


async def _next_binary(ws: ClientConnection, timeout_s: float = 15) -> bytes:
    async with asyncio.timeout(timeout_s):
        while True:
            message = await ws.recv()
            if isinstance(message, bytes):
                return message


async def _audit_actions(wf: Watchfloor) -> list[str]:
    query = text("SELECT action FROM audit_record WHERE object_id = 'CAM-LIVE' ORDER BY seq")
    async with wf.db.read_session() as session:
        return [row[0] for row in (await session.execute(query)).all()]


async def test_a_live_view_streams_status_and_fmp4_and_ends_when_the_console_goes(
    floor: Floor,
) -> None:
    view_id = await floor.view()
    async with floor.socket(view_id) as ws:
        live = await _until_state(ws, "live")
        assert live["codec"].startswith("avc1.")
        assert floor.camera.url() not in json.dumps(live)
        init = await _next_binary(ws)
        assert init[4:8] == b"ftyp"
        fragment = await _next_binary(ws)
        assert b"moof" in fragment[:64]
    for _ in range(100):
        if "camera.view.close" in await _audit_actions(floor.wf):
            break
        await asyncio.sleep(0.05)
    assert (await _audit_actions(floor.wf))[-1] == "camera.view.close"
    assert (await floor.http.post(f"/api/video/views/{view_id}/end")).status_code == 404


async def test_a_killed_camera_shows_no_signal_and_comes_back(floor: Floor) -> None:
    view_id = await floor.view()
    async with floor.socket(view_id) as ws:
        await _until_state(ws, "live")
        await _next_binary(ws)
        floor.camera.kill()
        down = await _until_state(ws, "no_signal")
        assert down["reason"]
        floor.camera.start()
        await _until_state(ws, "live", timeout_s=30)
        assert (await _next_binary(ws, timeout_s=30))[4:8] == b"ftyp"


async def test_only_the_owner_of_an_open_view_can_stream_it(floor: Floor) -> None:
    async with floor.socket("0" * 24) as ws:
        with pytest.raises(ConnectionClosed) as closed:
            await asyncio.wait_for(ws.recv(), 5)
    assert closed.value.rcvd is not None
    assert closed.value.rcvd.code == 4404
    url = floor.base.replace("http://", "ws://") + "/api/video/live/x"
    async with connect(url, open_timeout=5) as anonymous:
        with pytest.raises(ConnectionClosed) as refused:
            await asyncio.wait_for(anonymous.recv(), 5)
    assert refused.value.rcvd is not None
    assert refused.value.rcvd.code == 4401


async def test_recordings_buffers_and_snapshots_become_hashed_evidence(floor: Floor) -> None:
    view_id = await floor.view()
    async with floor.socket(view_id) as ws:
        await _until_state(ws, "live")
        await _next_binary(ws)
        started = await floor.http.post(f"/api/video/views/{view_id}/recording")
        assert started.status_code == 202, started.text
        assert (await floor.http.post(f"/api/video/views/{view_id}/recording")).status_code == 409
        await asyncio.sleep(2.5)
        clip = await floor.http.delete(f"/api/video/views/{view_id}/recording")
        assert clip.status_code == 201, clip.text
        saved = await floor.http.post(f"/api/video/views/{view_id}/save-last", json={"seconds": 2})
        assert saved.status_code == 201, saved.text
        snap = await floor.http.post("/api/cameras/CAM-LIVE/snapshots", json={"view_id": view_id})
        assert snap.status_code == 201, snap.text
    for item in (clip.json(), saved.json(), snap.json()):
        assert item["incident_ref"] == "2026-000321"
        assert item["size_bytes"] > 0
    assert (clip.json()["kind"], clip.json()["media_type"]) == ("clip", "video/mp4")
    assert snap.json()["media_type"] == "image/jpeg"
    downloaded = await floor.http.get(
        f"/api/evidence/{snap.json()['code']}/download", params={"reason": "case file"}
    )
    assert downloaded.status_code == 200, downloaded.text
    assert downloaded.content[:2] == b"\xff\xd8"
    assert hashlib.sha256(downloaded.content).hexdigest() == snap.json()["sha256"]
    actions = await _audit_actions(floor.wf)
    assert actions.count("camera.view.open") == 4  # live, recording, buffer save, snapshot
