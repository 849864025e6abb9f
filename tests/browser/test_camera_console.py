"""Cameras at the console, in a real browser: the camera layer on the map with its view wedges,
a supervisor editing a camera (the stream address is write-only: never shown back), and an
incident listing the cameras that can see it, ranked and labelled."""

from __future__ import annotations

import pytest
from playwright.async_api import Browser, Page, expect

from tests.browser.conftest import HELSINKI, Floor, log_on, map_ready, new_page, snap
from watchfloor.core.context import Actor, RequestContext, Role
from watchfloor.domain.cameras.schemas import AccessLevel, CameraIn, CameraKind

pytestmark = pytest.mark.browser

SETUP = RequestContext(actor=Actor(username="test-setup"))
SECRET = "0nlyTheServerKnows"
LAT, LON = HELSINKI


async def _camera(floor: Floor, code: str, **fields: object) -> None:
    """Register a camera straight in the registry (audited as the test's setup)."""
    body: dict[str, object] = {
        "code": code,
        "name": f"Camera {code}",
        "kind": CameraKind.CITY,
        "owner": "City of Helsinki",
        "lat": LAT,
        "lon": LON,
        "access_level": AccessLevel.LIVE,
        **fields,
    }
    await floor.wf.cameras.create(CameraIn.model_validate(body), SETUP)


async def _camera_source(page: Page) -> dict[str, list[str]]:
    """What the cameras overlay holds, by geometry: dots and wedge parts, per camera code."""
    result: dict[str, list[str]] = await page.evaluate(
        """() => {
            const source = window.watchfloorCameraOverlay;
            const out = { Point: [], Polygon: [] };
            for (const f of (source ? source.features : [])) {
              const part = f.properties.part ? ':' + f.properties.part : '';
              out[f.geometry.type].push(f.properties.id + part);
            }
            return out;
        }"""
    )
    return result


async def test_the_camera_layer_shows_every_camera_with_its_health_and_wedges(
    floor: Floor, browser: Browser
) -> None:
    await _camera(floor, "CAM-FIXED", bearing=90.0, fov_angle=60.0, fov_range_m=120.0)
    await _camera(
        floor, "CAM-PTZ", lat=LAT + 0.001, ptz=True, ptz_range_m=400.0, kind=CameraKind.TRAFFIC
    )
    await floor.call(1, lat=LAT + 0.0005, lon=LON + 0.0005)
    page = await new_page(browser)
    await log_on(page, floor, await floor.person())
    await map_ready(page)
    toggle = page.get_by_test_id("layer-toggle-cameras")
    await expect(toggle).to_be_checked()

    await page.keyboard.press("e")
    rows = page.get_by_test_id("camera-row")
    await expect(rows).to_have_count(2)
    await expect(rows.nth(0)).to_have_attribute("data-health", "unknown")
    await page.wait_for_function(
        "() => (window.watchfloorCameraOverlay?.features ?? [])"
        ".filter((f) => f.geometry.type === 'Point').length === 2"
    )
    await rows.nth(1).click()
    await expect(page.get_by_test_id("camera-detail")).to_contain_text("reach 400 m")
    await page.wait_for_function(
        "() => (window.watchfloorCameraOverlay?.features ?? [])"
        ".some((f) => f.properties.id === 'CAM-PTZ' && f.properties.part === 'ptz-reach')"
    )
    source = await _camera_source(page)
    assert sorted(source["Point"]) == ["CAM-FIXED", "CAM-PTZ"]
    assert "CAM-PTZ:wedge" in source["Polygon"]

    await page.get_by_test_id("camera-show-on-map").click()
    await page.wait_for_function(
        "() => window.watchfloorMap.queryRenderedFeatures({ layers: ['cameras'] })"
        ".map((f) => f.properties.id).sort().join() === 'CAM-FIXED,CAM-PTZ'",
        timeout=20_000,
    )
    await page.wait_for_function(
        "() => window.watchfloorMap"
        ".queryRenderedFeatures({ layers: ['cameras-wedges'] }).length > 0"
    )
    await snap(page, "30-camera-layer")
    await toggle.uncheck()
    hidden = await page.evaluate(
        "() => window.watchfloorMap.getLayoutProperty('cameras-wedges', 'visibility')"
    )
    assert hidden == "none"


async def test_a_supervisor_edits_a_camera_and_never_sees_its_stream_address(
    floor: Floor, browser: Browser
) -> None:
    await _camera(floor, "CAM-EDIT", stream_urls=[f"rtsp://viewer:{SECRET}@10.1.2.3/live"])
    page = await new_page(browser)
    await log_on(page, floor, await floor.person(Role.SUPERVISOR, "RT700"))
    await page.keyboard.press("e")
    await page.get_by_test_id("camera-search").fill("edit")
    await page.get_by_test_id("camera-row").click()
    detail = page.get_by_test_id("camera-detail")
    await expect(detail).to_contain_text("1 address on file")
    await page.get_by_test_id("camera-edit").click()
    form = page.get_by_test_id("camera-form")
    streams = page.get_by_test_id("camera-field-stream_urls")
    await expect(streams).to_have_value("")
    await expect(streams).to_have_attribute("placeholder", "1 on file — leave empty to keep them")

    await streams.fill("ftp://not-a-stream/")
    await page.get_by_test_id("camera-save").click()
    await expect(page.get_by_test_id("camera-error-stream_urls")).to_contain_text("rtsp")

    new_secret = "An0therSecret"
    await streams.fill(f"rtsp://viewer:{new_secret}@10.1.2.3/live\nrtsp://10.1.2.3/sub")
    await page.get_by_test_id("camera-field-name").fill("Esplanadi west")
    await page.get_by_test_id("camera-field-bearing").fill("270")
    await page.get_by_test_id("camera-save").click()
    await expect(form).to_have_count(0)
    await expect(detail).to_contain_text("Esplanadi west")
    await expect(detail).to_contain_text("2 addresses on file")
    await expect(detail).to_contain_text("facing 270°")
    stored = await floor.wf.cameras.get("CAM-EDIT")
    assert (stored.name, stored.bearing, stored.stream_count) == ("Esplanadi west", 270.0, 2)

    await page.get_by_test_id("camera-edit").click()
    await expect(page.get_by_test_id("camera-field-stream_urls")).to_have_value("")
    await expect(page.get_by_test_id("camera-field-onvif_url")).to_have_value("")
    html = await page.content()
    assert SECRET not in html
    assert new_secret not in html
    assert "10.1.2.3" not in html
    await snap(page, "31-camera-edit")


async def test_an_incident_lists_the_cameras_that_can_see_it_ranked_and_labelled(
    floor: Floor, browser: Browser
) -> None:
    spot = (LAT + 0.002, LON + 0.002)
    # Facing the spot from ~40 m south-west; a PTZ facing away but within reach; a fixed one
    # 100 m off looking elsewhere (merely near); one recorded only.
    await _camera(
        floor,
        "CAM-SEES",
        lat=spot[0] - 0.00025,
        lon=spot[1] - 0.0005,
        bearing=45.0,
        fov_angle=90.0,
        fov_range_m=150.0,
    )
    await _camera(
        floor,
        "CAM-TURN",
        lat=spot[0] + 0.0015,
        lon=spot[1],
        bearing=0.0,
        fov_angle=40.0,
        fov_range_m=60.0,
        ptz=True,
        ptz_range_m=400.0,
    )
    await _camera(
        floor,
        "CAM-NEAR",
        lat=spot[0],
        lon=spot[1] + 0.0018,
        bearing=90.0,
        fov_angle=40.0,
        fov_range_m=50.0,
        access_level=AccessLevel.RECORDED_ONLY,
    )
    await floor.call(1, lat=spot[0], lon=spot[1])
    page = await new_page(browser)
    await log_on(page, floor, await floor.person())
    await page.get_by_test_id("queue-row").first.click()
    seeing = page.get_by_test_id("cameras-seeing")
    rows = seeing.get_by_test_id("seeing-row")
    await expect(rows).to_have_count(3)
    assert [await r.get_attribute("data-code") for r in await rows.all()] == [
        "CAM-SEES",
        "CAM-TURN",
        "CAM-NEAR",
    ]
    relations = seeing.get_by_test_id("seeing-relation")
    await expect(relations).to_have_text(["In view", "PTZ can turn", "Merely near"])
    await expect(rows.nth(2).get_by_test_id("seeing-watch")).to_be_disabled()
    await snap(page, "32-cameras-that-can-see")

    await rows.nth(0).get_by_test_id("seeing-watch").click()
    dialog = page.get_by_test_id("reason-dialog")
    await expect(dialog).to_be_visible()
    await expect(page.get_by_test_id("reason-kind")).to_have_value("incident")
    await expect(page.get_by_test_id("reason-ref")).not_to_have_value("")
    await page.get_by_test_id("reason-cancel").click()
    await expect(dialog).to_have_count(0)
