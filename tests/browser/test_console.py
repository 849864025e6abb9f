"""What an operator does at the console, in a real browser: log on with TOTP, see a new P1 take
the top of the queue, work it with a colleague, ride out a lost connection, and the idle lock."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from httpx import AsyncClient
from playwright.async_api import Browser, WebSocketRoute, expect
from sqlalchemy import select

from tests.browser.conftest import Floor, log_on, map_ready, new_page, snap
from watchfloor.core.context import Role
from watchfloor.domain.incidents.models import Incident

pytestmark = pytest.mark.browser


async def _incident_id(floor: Floor, eido_id: str) -> str:
    async with floor.wf.db.read_session() as session:
        found = await session.scalar(select(Incident.id).where(Incident.eido_id == eido_id))
    assert found is not None
    return str(found)


async def test_logon_with_banner_and_totp_shows_the_queue_in_policy_order(
    floor: Floor, browser: Browser
) -> None:
    await floor.call(3, "THEFT")
    await floor.call(2, "BURG")
    page = await new_page(browser)
    await page.goto(floor.base)
    banner = floor.wf.settings.security.banner_text
    await expect(page.get_by_test_id("banner")).to_contain_text(banner[:60])
    await snap(page, "01-banner")
    operator = await floor.person()
    await log_on(page, floor, operator)
    rows = page.get_by_test_id("queue-row")
    await expect(rows).to_have_count(2)
    assert await rows.nth(0).get_attribute("data-priority") == "2"
    assert await rows.nth(1).get_attribute("data-priority") == "3"
    await expect(page.get_by_test_id("live-state")).to_have_attribute("data-state", "live")
    await expect(page.get_by_test_id("map")).to_be_visible()
    await map_ready(page)
    await snap(page, "02-floor")


async def test_a_wrong_code_is_refused_with_a_clear_message(floor: Floor, browser: Browser) -> None:
    page = await new_page(browser)
    operator = await floor.person()
    await page.goto(floor.base)
    await page.get_by_test_id("banner-accept").click()
    await page.fill("#username", operator.username)
    await page.fill("#password", operator.password)
    await page.fill("#totp", "000000" if floor.code(operator) != "000000" else "111111")
    await page.get_by_test_id("logon-submit").click()
    await expect(page.get_by_test_id("logon-error")).to_be_visible()
    await expect(page.get_by_test_id("queue")).to_have_count(0)


async def test_a_new_p1_arrives_on_top_without_hiding_the_work_in_progress(
    floor: Floor, browser: Browser
) -> None:
    await floor.call(3, "THEFT")
    page = await new_page(browser)
    await log_on(page, floor, await floor.person())
    await page.get_by_test_id("queue-row").first.click()
    detail = page.get_by_test_id("incident-detail")
    await expect(detail).to_be_visible()
    working_on = await detail.get_attribute("data-incident-id")

    shots = await _incident_id(floor, await floor.call(1, "SHOTS"))
    first = page.get_by_test_id("queue-row").first
    await expect(first).to_have_attribute("data-incident-id", shots)
    await expect(first).to_have_attribute("data-priority", "1")
    await expect(page.get_by_test_id("p1-alert")).to_be_visible()
    await expect(detail).to_be_visible()
    await expect(detail).to_have_attribute("data-incident-id", working_on or "")
    await snap(page, "03-new-p1")


async def test_a_note_reaches_a_colleagues_console_and_the_eido_export(
    floor: Floor, browser: Browser
) -> None:
    incident = await _incident_id(floor, await floor.call(1, "SHOTS"))
    mine, theirs = await new_page(browser), await new_page(browser)
    await log_on(mine, floor, await floor.person(designator="RT3"))
    await log_on(theirs, floor, await floor.person(designator="RT5"))
    for page in (mine, theirs):
        await page.locator(f'[data-testid=queue-row][data-incident-id="{incident}"]').click()
        await expect(page.get_by_test_id("incident-detail")).to_be_visible()

    await mine.get_by_test_id("claim").click()
    await expect(mine.get_by_test_id("claimed-by")).to_contain_text("RT3")
    row = theirs.locator(f'[data-testid=queue-row][data-incident-id="{incident}"]')
    await expect(row).to_have_attribute("data-claimed-by", "RT3")

    text = "Camera 14 shows a grey sedan leaving north on Mannerheimintie"
    await mine.get_by_test_id("note-input").fill(text)
    await mine.get_by_test_id("note-submit").click()
    await expect(mine.get_by_test_id("notes")).to_contain_text(text)
    await expect(theirs.get_by_test_id("notes")).to_contain_text(text, timeout=10_000)
    await expect(theirs.get_by_test_id("timeline")).to_contain_text("RT3")
    await snap(theirs, "04-colleague-sees-note")

    headers = {"Authorization": f"Bearer {floor.feed_token}"}
    async with AsyncClient(base_url=floor.base, headers=headers) as http:
        exported = (await http.get(f"/EIDO/{incident}")).json()
    assert text in str(exported["notesComponent"])


async def test_after_losing_the_live_connection_the_console_catches_up(
    floor: Floor, browser: Browser
) -> None:
    page = await new_page(browser)
    links: list[WebSocketRoute] = []
    urls: list[str] = []
    network = {"up": True}

    async def through(route: WebSocketRoute) -> None:
        urls.append(route.url)
        if not network["up"]:
            await route.close(code=4000, reason="network down")
            return
        route.connect_to_server()
        links.append(route)

    await page.route_web_socket(re.compile(r".*/api/live.*"), through)
    await log_on(page, floor, await floor.person())
    await expect(page.get_by_test_id("live-state")).to_have_attribute("data-state", "live")

    network["up"] = False
    for link in links:
        await link.close(code=4000, reason="network down")
    await expect(page.get_by_test_id("live-state")).not_to_have_attribute("data-state", "live")
    missed = [await floor.call(2, "BURG"), await floor.call(1, "SHOTS")]
    await snap(page, "05-disconnected")

    network["up"] = True
    await expect(page.get_by_test_id("live-state")).to_have_attribute(
        "data-state", "live", timeout=20_000
    )
    for eido_id in missed:
        incident = await _incident_id(floor, eido_id)
        row = page.locator(f'[data-testid=queue-row][data-incident-id="{incident}"]')
        await expect(row).to_be_visible()
    assert "since=" in urls[-1]
    assert f"epoch={floor.wf.live.epoch}" in urls[-1]
    await expect(page.get_by_test_id("queue-row").first).to_have_attribute("data-priority", "1")
    await snap(page, "06-caught-up")


async def test_the_idle_lock_hides_the_floor_and_resumes_where_it_was(
    floor: Floor, browser: Browser
) -> None:
    incident = await _incident_id(floor, await floor.call(2, "BURG"))
    page = await new_page(browser)
    await page.clock.install()
    operator = await floor.person()
    await log_on(page, floor, operator)
    await page.locator(f'[data-testid=queue-row][data-incident-id="{incident}"]').click()
    await expect(page.get_by_test_id("incident-detail")).to_be_visible()

    floor.clock.advance(timedelta(minutes=31))
    await page.clock.fast_forward("31:00")
    lock = page.get_by_test_id("lock-screen")
    await expect(lock).to_be_visible(timeout=10_000)
    await expect(page.get_by_test_id("queue")).to_be_hidden()
    await snap(page, "07-locked")

    await page.fill("#unlock-password", operator.password)
    await page.fill("#unlock-totp", floor.code(operator))
    await page.get_by_test_id("unlock-submit").click()
    await expect(lock).to_be_hidden()
    detail = page.get_by_test_id("incident-detail")
    await expect(detail).to_have_attribute("data-incident-id", incident)
    await expect(page.get_by_test_id("live-state")).to_have_attribute(
        "data-state", "live", timeout=20_000
    )


async def test_keyboard_moves_through_the_queue_and_opens_a_call(
    floor: Floor, browser: Browser
) -> None:
    first = await _incident_id(floor, await floor.call(1, "SHOTS"))
    second = await _incident_id(floor, await floor.call(2, "BURG"))
    page = await new_page(browser)
    await log_on(page, floor, await floor.person())
    await page.keyboard.press("j")
    await page.keyboard.press("j")
    await page.keyboard.press("Enter")
    detail = page.get_by_test_id("incident-detail")
    await expect(detail).to_have_attribute("data-incident-id", second)
    await page.keyboard.press("k")
    await page.keyboard.press("Enter")
    await expect(detail).to_have_attribute("data-incident-id", first)
    await page.keyboard.press("c")
    await expect(page.get_by_test_id("claimed-by")).to_contain_text("RT3")


async def test_the_video_wall_shows_map_and_queue_without_controls(
    floor: Floor, browser: Browser
) -> None:
    await floor.call(1, "SHOTS")
    await floor.call(2, "BURG")
    page = await new_page(browser, 3840, 2160)
    await log_on(page, floor, await floor.person(Role.SUPERVISOR, "RT700"), "/wall")
    app = page.get_by_test_id("app")
    await expect(app).to_have_attribute("data-view", "wall")
    await expect(page.get_by_test_id("map")).to_be_visible()
    await expect(page.get_by_test_id("queue-row")).to_have_count(2)
    for control in ("claim", "note-input", "logout"):
        await expect(page.get_by_test_id(control)).to_have_count(0)
    await map_ready(page)
    await page.wait_for_timeout(500)  # let the last map frame paint before the screenshot
    await snap(page, "08-video-wall-4k")
