"""Units at the console, in a real browser: a unit posted through the positions feed appears on
the map in its status colour with its heading, moves (its trail following live), and a unit whose
position is old is greyed, its age shown on the map and in the Units tab."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from httpx import AsyncClient
from playwright.async_api import Browser, Page, expect

from tests.browser.conftest import HELSINKI, Floor, log_on, map_ready, new_page, snap

pytestmark = pytest.mark.browser

LAT, LON = HELSINKI
EN_ROUTE_COLOR = "#f5a623"  # console/src/units/unit-model.ts STATUS_COLORS
STALE_COLOR = "#59616d"


async def _post(floor: Floor, *positions: dict[str, Any]) -> None:
    headers = {"Authorization": f"Bearer {floor.feed_token}"}
    async with AsyncClient(base_url=floor.base, headers=headers) as http:
        response = await http.post("/api/units/positions", json=list(positions))
    assert response.status_code == 200, response.text


def _at(floor: Floor, ago: timedelta = timedelta(0)) -> str:
    return (floor.clock.now() - ago).isoformat()


async def _rendered(page: Page, layer: str) -> dict[str, dict[str, Any]]:
    """The features MapLibre drew on a layer, by unit code."""
    drawn: list[dict[str, Any]] = await page.evaluate(
        f"() => window.watchfloorMap.queryRenderedFeatures({{ layers: ['{layer}'] }})"
        ".map((f) => f.properties)"
    )
    return {str(p["id"]): p for p in drawn}


async def test_posted_units_appear_with_status_colour_heading_trail_and_staleness(
    floor: Floor, browser: Browser
) -> None:
    await floor.call(2, lat=LAT + 0.002, lon=LON + 0.002)
    fresh = {"unit": "2A1", "latitude": LAT, "longitude": LON, "heading": 90.0}
    await _post(
        floor,
        {**fresh, "at": _at(floor, timedelta(seconds=20)), "status": "en_route"},
        {
            "unit": "2A9",
            "latitude": LAT + 0.001,
            "longitude": LON - 0.002,
            "at": _at(floor, timedelta(hours=1)),
            "status": "available",
        },
    )
    page = await new_page(browser)
    await log_on(page, floor, await floor.person())
    await map_ready(page)
    await page.wait_for_function(
        "() => window.watchfloorMap.queryRenderedFeatures({ layers: ['units'] }).length === 2",
        timeout=20_000,
    )
    dots = await _rendered(page, "units")
    assert (dots["2A1"]["color"], dots["2A1"]["stale"]) == (EN_ROUTE_COLOR, False)
    assert (dots["2A9"]["color"], dots["2A9"]["stale"]) == (STALE_COLOR, True)
    assert dots["2A9"]["label"] == "2A9 · 1h 00m"
    assert set(await _rendered(page, "units-heading")) == {"2A1"}
    assert await page.evaluate(
        "() => window.watchfloorMap.getLayoutProperty('units-heading', 'icon-rotate')"
    ) == ["get", "heading"]

    moved = {**fresh, "latitude": LAT + 0.0008, "at": _at(floor), "status": "on_scene"}
    await _post(floor, moved)
    await page.wait_for_function(
        "() => window.watchfloorMap.queryRenderedFeatures({ layers: ['units-trail'] })"
        ".some((f) => f.properties.id === '2A1')",
        timeout=20_000,
    )
    assert (await _rendered(page, "units"))["2A1"]["status"] == "on_scene"

    await page.keyboard.press("u")
    rows = page.get_by_test_id("unit-row")
    await expect(rows).to_have_count(2)
    await expect(rows.nth(0)).to_have_attribute("data-stale", "false")
    await expect(rows.nth(0).get_by_test_id("unit-status")).to_have_attribute(
        "data-status", "on_scene"
    )
    await expect(rows.nth(1)).to_have_attribute("data-code", "2A9")
    await expect(rows.nth(1)).to_have_attribute("data-stale", "true")
    await expect(rows.nth(1).get_by_test_id("unit-age")).to_have_text("1h 00m")
    await snap(page, "70-units-map")
