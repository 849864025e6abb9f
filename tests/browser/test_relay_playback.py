"""A camera's relay plays in real headless Chromium through Media Source Extensions: fragments
from a real RTSP server go over a WebSocket into a SourceBuffer, with no plugin and no
transcoding. The page reports when its first frame showed and how far behind live it plays."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import json
import socket
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
import uvicorn
from playwright.async_api import Browser
from starlette.applications import Starlette
from starlette.responses import HTMLResponse
from starlette.routing import Route, WebSocketRoute
from starlette.websockets import WebSocket, WebSocketDisconnect

from tests.browser.conftest import new_page, snap
from tests.domain.video.support import quick
from tests.support.rtsp import RtspServer
from watchfloor.core.clock import ManualClock
from watchfloor.domain.video.relay import RelayPool
from watchfloor.domain.video.status import RelayStatus
from watchfloor.settings import Settings

pytestmark = pytest.mark.browser
PAGE = Path(__file__).with_name("relay_player.html")


@pytest.fixture
def camera() -> Iterator[RtspServer]:
    """A real RTSP server with every test mount."""
    server = RtspServer()
    server.start()
    try:
        yield server
    finally:
        server.kill()


def relay_app(pool: RelayPool, url: str) -> Starlette:
    """The page, and a WebSocket that sends statuses as JSON text and fMP4 as binary."""

    async def page(_request: object) -> HTMLResponse:
        return HTMLResponse(PAGE.read_text())

    async def live(websocket: WebSocket) -> None:
        await websocket.accept()
        async with pool.watch("CAM-1", url) as viewer:
            with contextlib.suppress(WebSocketDisconnect):
                async for item in viewer:
                    if isinstance(item, RelayStatus):
                        status = {**dataclasses.asdict(item), "at": item.at.isoformat()}
                        await websocket.send_text(json.dumps(status))
                    else:
                        await websocket.send_bytes(item)

    return Starlette(routes=[Route("/", page), WebSocketRoute("/live", live)])


@contextlib.asynccontextmanager
async def serving(app: Starlette) -> AsyncIterator[str]:
    """Serve app on 127.0.0.1 (an ephemeral port) in this event loop; yields its base URL."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    config = uvicorn.Config(app, log_level="warning", lifespan="off", ws="websockets-sansio")
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve(sockets=[sock]))
    try:
        for _ in range(500):
            if server.started:
                break
            await asyncio.sleep(0.01)
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        await asyncio.wait_for(task, timeout=10)
        sock.close()


async def test_chromium_plays_a_relayed_h264_camera_through_mse(
    browser: Browser, camera: RtspServer, settings: Settings, clock: ManualClock
) -> None:
    pool = RelayPool(quick(settings), clock)
    try:
        async with serving(relay_app(pool, camera.url("/live"))) as base:
            page = await new_page(browser, 800, 500)
            support = await page.evaluate(
                """() => ['avc1.42C01E', 'hvc1.1.6.L93.B0'].map(
                    c => MediaSource.isTypeSupported(`video/mp4; codecs="${c}"`))"""
            )
            print(f"isTypeSupported avc1.42C01E, hvc1.1.6.L93.B0: {support}")
            assert support[0] is True
            await page.goto(base + "/")
            shown = "() => window.player.firstFrameMs !== null"
            await page.wait_for_function(shown, timeout=20_000)
            start = await page.evaluate("() => document.querySelector('video').currentTime")
            await asyncio.sleep(3)
            report = await page.evaluate("() => window.player.report()")
            await snap(page, "relay-playback")
    finally:
        await pool.close()
    print(f"browser: {report}")
    assert report["errors"] == []
    assert report["videoWidth"] == 640
    assert report["videoHeight"] == 360
    assert report["currentTime"] > start + 2.0
    assert report["firstFrameMs"] < 5000
    assert report["lagS"] < 1.0
