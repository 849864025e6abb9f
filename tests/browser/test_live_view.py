"""Live video at the console, in a real browser (Chromium's Media Source Extensions) from a real
RTSP server: a view opens only with a reason, plays with low latency, says "No signal" when the
camera drops and comes back by itself; a recorded-only camera is refused in the tile; PTZ moves a
real ONVIF camera (ipycam) while a pad button or an arrow key is held; snapshot and recording
leave evidence codes."""

from __future__ import annotations

import asyncio

import pytest
from playwright.async_api import Browser, Page, Request, expect

from tests.browser.conftest import HELSINKI, Floor, log_on, new_page, snap
from tests.support.onvif_camera import OnvifCamera, onvif_camera  # noqa: F401
from tests.support.rtsp import RtspServer, rtsp_server  # noqa: F401  (fixtures)
from watchfloor.core.context import Actor, RequestContext
from watchfloor.domain.cameras.schemas import AccessLevel, CameraIn, CameraKind

pytestmark = pytest.mark.browser

SETUP = RequestContext(actor=Actor(username="test-setup"))
PLAYING = """() => {
    const v = document.querySelector('[data-testid=video-tile] video');
    return !!v && v.readyState >= 2 && v.currentTime > 1 && !v.paused;
}"""
LATENCY = """() => {
    const v = document.querySelector('[data-testid=video-tile] video');
    const b = v.buffered;
    return b.length ? b.end(b.length - 1) - v.currentTime : 99;
}"""


async def _camera(floor: Floor, code: str, stream: str, **fields: object) -> None:
    body: dict[str, object] = {
        "code": code,
        "name": f"Camera {code}",
        "kind": CameraKind.CITY,
        "owner": "City of Helsinki",
        "lat": HELSINKI[0],
        "lon": HELSINKI[1],
        "access_level": AccessLevel.LIVE,
        "stream_urls": [stream],
        **fields,
    }
    await floor.wf.cameras.create(CameraIn.model_validate(body), SETUP)


async def _watch(page: Page, code: str, note: str = "Market square, crowd after the match") -> None:
    """Open a camera from the Cameras tab, giving a proactive-monitoring reason."""
    await page.keyboard.press("e")
    await page.get_by_test_id("camera-search").fill(code)
    await page.get_by_test_id("camera-row").first.click()
    await page.get_by_test_id("camera-watch").click()
    await expect(page.get_by_test_id("reason-dialog")).to_be_visible()
    await expect(page.get_by_test_id("reason-kind")).to_have_value("proactive")
    await page.get_by_test_id("reason-note").fill(note)
    await page.get_by_test_id("reason-submit").click()
    await expect(page.get_by_test_id("reason-dialog")).to_have_count(0)


def _calls(page: Page) -> list[str]:
    """Every video API call the page makes, as 'METHOD path'."""
    seen: list[str] = []

    def record(request: Request) -> None:
        path = request.url.split("//", 1)[-1].split("/", 1)[-1]
        if "/video/" in path or "/views" in path or "/ptz/" in path or "snapshots" in path:
            seen.append(f"{request.method} /{path.split('?')[0]}")

    page.on("request", record)
    return seen


async def test_a_live_view_needs_a_reason_plays_live_and_comes_back_after_the_camera_drops(
    floor: Floor,
    browser: Browser,
    rtsp_server: RtspServer,  # noqa: F811
) -> None:
    await _camera(floor, "CAM-LIVE", rtsp_server.url("/live"))
    page = await new_page(browser)
    calls = _calls(page)
    await log_on(page, floor, await floor.person())
    await page.keyboard.press("e")
    await page.get_by_test_id("camera-row").first.click()
    await page.get_by_test_id("camera-watch").click()
    await page.get_by_test_id("reason-note").fill("hm")
    await page.get_by_test_id("reason-submit").click()
    note_error = page.get_by_test_id("reason-error-note")
    await expect(note_error).to_contain_text("what you are monitoring")
    assert not any("/views" in call for call in calls)
    await page.get_by_test_id("reason-cancel").click()

    await _watch(page, "CAM-LIVE")
    tile = page.get_by_test_id("video-tile")
    await expect(tile).to_have_attribute("data-state", "live", timeout=20_000)
    await page.wait_for_function(PLAYING, timeout=20_000)
    await asyncio.sleep(3)
    assert await page.evaluate(LATENCY) < 2.0
    await expect(tile.get_by_test_id("tile-reason")).to_contain_text("Market square")
    first_view = await tile.get_attribute("data-view-id")
    await snap(page, "40-live-view")

    rtsp_server.kill()
    await expect(tile).to_have_attribute("data-state", "no_signal", timeout=20_000)
    await expect(tile.get_by_test_id("tile-state")).to_contain_text("No signal — reconnecting")
    await snap(page, "41-live-view-no-signal")
    rtsp_server.start()
    await expect(tile).to_have_attribute("data-state", "live", timeout=30_000)
    await page.wait_for_function(
        "() => { const v = document.querySelector('[data-testid=video-tile] video');"
        " return v.readyState >= 2 && v.currentTime > 0 && !v.paused; }",
        timeout=20_000,
    )
    opened = [c for c in calls if c == "POST /api/cameras/CAM-LIVE/views"]
    assert len(opened) >= 1

    await tile.get_by_test_id("tile-close").click()
    await expect(tile).to_have_count(0)
    last_view = first_view if len(opened) == 1 else None
    ended = [c for c in calls if c.endswith("/end")]
    assert ended, calls
    if last_view:
        assert f"POST /api/video/views/{last_view}/end" in ended


async def test_a_recorded_only_camera_is_refused_in_the_tile(
    floor: Floor,
    browser: Browser,
    rtsp_server: RtspServer,  # noqa: F811
) -> None:
    await _camera(
        floor, "CAM-REC", rtsp_server.url("/live"), access_level=AccessLevel.RECORDED_ONLY
    )
    page = await new_page(browser)
    await log_on(page, floor, await floor.person())
    await page.keyboard.press("e")
    await page.get_by_test_id("camera-row").first.click()
    await expect(page.get_by_test_id("camera-watch")).to_be_disabled()
    await page.keyboard.press("v")
    await page.get_by_test_id("video-picker").focus()
    assert await page.locator("[data-testid=video-picker] option[value=CAM-REC]").count() == 0


async def test_ptz_moves_the_camera_while_held_and_evidence_is_taken_from_the_view(
    floor: Floor,
    browser: Browser,
    rtsp_server: RtspServer,  # noqa: F811
    onvif_camera: OnvifCamera,  # noqa: F811
) -> None:
    await _camera(
        floor,
        "CAM-PTZ",
        rtsp_server.url("/live"),
        ptz=True,
        ptz_range_m=300.0,
        kind=CameraKind.TRAFFIC,
        onvif_url=onvif_camera.url(),
    )
    page = await new_page(browser)
    await log_on(page, floor, await floor.person())
    await _watch(page, "CAM-PTZ", "Ring road junction, checking traffic")
    tile = page.get_by_test_id("video-tile")
    await expect(tile).to_have_attribute("data-state", "live", timeout=20_000)

    start = onvif_camera.position()
    right = tile.get_by_test_id("ptz-right")
    await right.hover()
    await page.mouse.down()
    await asyncio.sleep(0.8)
    await page.mouse.up()
    await asyncio.sleep(0.3)
    moved = onvif_camera.position()
    assert moved[0] != start[0]
    await asyncio.sleep(0.5)
    assert onvif_camera.position()[0] == pytest.approx(moved[0])  # the release stopped it

    await tile.focus()
    await page.keyboard.down("ArrowUp")
    await asyncio.sleep(0.8)
    await page.keyboard.up("ArrowUp")
    assert onvif_camera.position()[1] != moved[1]

    await tile.get_by_test_id("ptz-preset-name").fill("Junction")
    await tile.get_by_test_id("ptz-save").click()
    presets = tile.locator("[data-testid=ptz-presets] option", has_text="Junction")
    await expect(presets).to_have_count(1)
    await tile.get_by_test_id("ptz-home").click()
    await expect(page.get_by_test_id("video-toast").last).to_have_text("Home")

    await tile.get_by_test_id("tile-snapshot").click()
    await expect(page.get_by_test_id("video-toast").last).to_contain_text("Snapshot")
    await expect(page.get_by_test_id("video-toast").last).to_contain_text("sha256")
    await tile.get_by_test_id("tile-record").click()
    await expect(tile.get_by_test_id("tile-rec")).to_contain_text("REC 0:0")
    await expect(tile.get_by_test_id("tile-rec")).to_contain_text("REC 0:04", timeout=8_000)
    await tile.get_by_test_id("tile-record").click()
    await expect(page.get_by_test_id("video-toast").last).to_contain_text("Clip")
    await expect(tile.get_by_test_id("tile-rec")).to_be_hidden()
    await snap(page, "42-live-view-ptz")
