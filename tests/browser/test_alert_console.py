"""Alerts at the console, in a real browser: a gunshot posted to the vendor webhook appears on the
Alerts tab (Priority 1: banner and flash), the correlation engine opens an incident at it, and
that incident shows the cameras that can see the spot and the nearest units as soon as it is
opened, with no further click."""

from __future__ import annotations

import secrets
from datetime import timedelta

import pytest
from httpx import AsyncClient
from playwright.async_api import Browser, expect

from tests.browser.conftest import HELSINKI, Floor, log_on, new_page, snap
from watchfloor.core.context import Actor, RequestContext
from watchfloor.domain.cameras.schemas import AccessLevel, CameraIn, CameraKind
from watchfloor.domain.units.schemas import UnitPosition

pytestmark = pytest.mark.browser

SETUP = RequestContext(actor=Actor(username="test-setup"))
SPOT = (HELSINKI[0] + 0.003, HELSINKI[1] + 0.003)


async def _camera_facing_the_spot(floor: Floor) -> None:
    """A city camera ~40 m south-west of the spot, looking at it."""
    body = {
        "code": "CAM-GS",
        "name": "Camera at the square",
        "kind": CameraKind.CITY,
        "owner": "City of Helsinki",
        "lat": SPOT[0] - 0.00025,
        "lon": SPOT[1] - 0.0005,
        "bearing": 45.0,
        "fov_angle": 90.0,
        "fov_range_m": 150.0,
        "access_level": AccessLevel.LIVE,
    }
    await floor.wf.cameras.create(CameraIn.model_validate(body), SETUP)


async def _units_nearby(floor: Floor) -> None:
    """Two patrol units a few hundred metres away, positions fresh by the server's clock."""
    at = floor.clock.now() - timedelta(seconds=5)
    positions = [
        UnitPosition(
            unit="1A12", latitude=SPOT[0] + 0.002, longitude=SPOT[1], at=at, status="available"
        ),
        UnitPosition(
            unit="1A30", latitude=SPOT[0], longitude=SPOT[1] + 0.006, at=at, status="available"
        ),
    ]
    await floor.wf.units.update_positions(positions, SETUP)


async def _post_gunshot(floor: Floor) -> str:
    """The vendor's webhook delivers one detection; returns the vendor's id."""
    vendor_id = f"SST-{secrets.token_hex(4)}"
    detection = {
        "id": vendor_id,
        "time": floor.clock.now().isoformat(),
        "latitude": SPOT[0],
        "longitude": SPOT[1],
        "rounds": 4,
        "type": "multiple",
        "confidence": 0.94,
        "address": "Esplanadi 5",
        "beat": "B12",
        "review_status": "machine",
        "location_error_m": 20,
    }
    headers = {"Authorization": f"Bearer {floor.feed_token}"}
    async with AsyncClient(base_url=floor.base, headers=headers) as http:
        response = await http.post("/api/alerts/gunshots", json=detection)
    assert response.status_code == 200, response.text
    return vendor_id


async def test_a_gunshot_appears_and_its_incident_shows_cameras_and_units_without_a_click(
    floor: Floor, browser: Browser
) -> None:
    await _camera_facing_the_spot(floor)
    await _units_nearby(floor)
    page = await new_page(browser)
    await log_on(page, floor, await floor.person())
    await page.keyboard.press("g")
    await expect(page.get_by_test_id("desk-alerts")).to_be_visible()

    await _post_gunshot(floor)
    row = page.locator("[data-testid='desk-alert-row'][data-kind='gunshot']")
    await expect(row).to_have_count(1)
    await expect(row.get_by_test_id("desk-alert-kind")).to_have_text("Gunshot")
    await expect(row.get_by_test_id("desk-alert-sources")).to_have_text("1 source")
    await expect(row).to_have_attribute("data-band", "p1")
    await expect(page.get_by_test_id("alert-p1")).to_be_visible()
    await expect(page.get_by_test_id("alert-p1")).to_contain_text("Gunshot")
    # The correlation engine opened an incident at the gunshot and attached the alert to it.
    await expect(row.locator(".desk-incident")).to_be_visible(timeout=15_000)
    await snap(page, "60-gunshot-alert")

    await row.click()
    detail = page.get_by_test_id("incident-detail")
    await expect(detail).to_be_visible()
    # Shown as soon as the incident opens: no tab, no button.
    seeing = detail.get_by_test_id("cameras-seeing")
    await expect(seeing.get_by_test_id("seeing-row").first).to_have_attribute("data-code", "CAM-GS")
    await expect(seeing.get_by_test_id("seeing-relation").first).to_have_text("In view")
    units = detail.get_by_test_id("ctx-unit")
    await expect(units).to_have_count(2)
    assert [await u.get_attribute("data-code") for u in await units.all()] == ["1A12", "1A30"]
    await expect(units.first).to_contain_text("available")
    await expect(detail.get_by_test_id("ctx-alerts")).to_contain_text("Gunshot")
    await expect(detail.get_by_test_id("ctx-community")).to_contain_text("None registered nearby")
    await snap(page, "61-gunshot-incident-context")
