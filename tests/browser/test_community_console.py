"""Community Connect at the operator console, in a real browser: a registered camera near an
incident shows in the incident's context (with how long it keeps video and when the incident's
footage will be gone) and on the "Community cameras" map layer; the operator asks for footage
through the form, the request shows as sent and the owner's e-mail with a one-time upload link
reaches a real SMTP server; once the owner has uploaded through that link, the operator sees the
file with its evidence code and marks the footage useful; a supervisor sees it in the figures."""

from __future__ import annotations

import re
import secrets
from typing import Any

import pytest
from httpx import AsyncClient
from playwright.async_api import Browser, Page, expect
from sqlalchemy import select

from tests.browser.conftest import HELSINKI, Floor, log_on, map_ready, new_page, snap
from tests.support.smtp import SmtpServer, smtp_server  # noqa: F401
from watchfloor.core.context import Role
from watchfloor.domain.community.models import CommunityCamera, CommunitySite
from watchfloor.domain.incidents.models import Incident
from watchfloor.settings import Settings

pytestmark = pytest.mark.browser

LAT, LON = HELSINKI
OWNER = "kiosk.owner@example.org"
# The first bytes of an MP4 (an ISO base media `ftyp` box): what the upload's type check looks for.
MP4_HEAD = b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2" + b"\x00\x00\x00\x08free"


@pytest.fixture
def settings(settings: Settings, smtp_server: SmtpServer) -> Settings:  # noqa: F811
    """Mail goes to the real test SMTP server."""
    video = settings.video.model_copy(update={"smtp_url": smtp_server.url})
    return settings.model_copy(update={"video": video})


async def _listed_camera(floor: Floor, retention_days: int) -> str:
    """A confirmed (active) residence with one listed camera 60 m north of the spot, facing it."""
    now = floor.clock.now()
    site = CommunitySite(
        kind="residence",
        name=None,
        contact_name="Kim Owner",
        email=OWNER,
        phone=None,
        address="Esplanadi 7",
        address_key="esplanadi 7",
        lat=LAT + 0.00054,
        lon=LON,
        retention_days=retention_days,
        accepts=["property_crime", "violent_crime"],
        contact_times=None,
        status="active",
        created_at=now,
        confirmed_at=now,
        updated_at=now,
    )
    async with floor.wf.db.session() as session:
        session.add(site)
        await session.flush()
        camera = CommunityCamera(
            site_id=site.id,
            label="Porch camera",
            lat=LAT + 0.00054,
            lon=LON,
            bearing=180.0,
            fov_angle=90.0,
            range_m=40.0,
            covers=["street", "driveway"],
            listed=True,
        )
        session.add(camera)
        await session.flush()
        camera_id = camera.id
    await floor.wf.community.registry.load()
    return camera_id


async def _incident_id(floor: Floor, eido_id: str) -> str:
    async with floor.wf.db.read_session() as session:
        found = await session.scalar(select(Incident.id).where(Incident.eido_id == eido_id))
    assert found is not None
    return str(found)


async def _click_on_map(page: Page, lat: float, lon: float) -> None:
    """Click the map where a place is drawn."""
    at: dict[str, float] = await page.evaluate(
        """([lon, lat]) => {
            const map = window.watchfloorMap;
            const p = map.project([lon, lat]);
            const box = map.getCanvas().getBoundingClientRect();
            return { x: box.left + p.x, y: box.top + p.y };
        }""",
        [lon, lat],
    )
    await page.mouse.click(at["x"], at["y"])


async def _owner_uploads(floor: Floor, token: str) -> dict[str, Any]:
    """What the owner's answer page does: open the request, send one clip, finish."""
    csrf = secrets.token_urlsafe(16)
    headers = {
        "X-Upload-Token": token,
        "X-CSRF-Token": csrf,
        "Cookie": f"wfc_csrf={csrf}",
        "Origin": floor.base,
    }
    clip = MP4_HEAD + bytes(4096)
    async with AsyncClient(base_url=floor.base, headers=headers) as http:
        view = await http.get("/community/api/answer")
        assert view.status_code == 200, view.text
        declared = await http.post(
            "/community/api/answer/files", json={"filename": "porch.mp4", "size": len(clip)}
        )
        assert declared.status_code == 201, declared.text
        file_id = declared.json()["id"]
        stored = await http.put(
            f"/community/api/answer/files/{file_id}",
            params={"offset": 0},
            content=clip,
            headers={"Content-Type": "application/octet-stream"},
        )
        assert stored.status_code == 200, stored.text
        assert stored.json()["status"] == "stored"
        finished = await http.post("/community/api/answer/finish", json={"note": None})
        assert finished.status_code == 200, finished.text
        return dict(finished.json())


async def test_operator_sees_a_registered_camera_asks_for_footage_and_judges_it(
    floor: Floor,
    browser: Browser,
    smtp_server: SmtpServer,  # noqa: F811
) -> None:
    camera_id = await _listed_camera(floor, retention_days=2)
    incident = await _incident_id(floor, await floor.call(2, lat=LAT, lon=LON))
    page = await new_page(browser)
    await log_on(page, floor, await floor.person())
    await map_ready(page)
    await page.locator(f'[data-testid=queue-row][data-incident-id="{incident}"]').click()
    detail = page.get_by_test_id("incident-detail")
    section = detail.get_by_test_id("ctx-community")
    row = section.locator(f'[data-testid=community-camera][data-id="{camera_id}"]')
    await expect(row).to_contain_text("Porch camera", timeout=20_000)
    await expect(row).to_contain_text("Residence")
    await expect(row).to_contain_text("60 m")
    await expect(row).to_contain_text("keeps video 2 days")
    await expect(row).to_contain_text("covers street, driveway")
    # Kept two days from the incident (a moment ago): overwritten in under two days — marked soon.
    await expect(row.get_by_test_id("community-urgency")).to_have_text("footage gone in 1 day")
    await expect(row).to_have_attribute("data-urgency", "soon")

    # The layer: the camera's dot and its wedge (it has a bearing), and a popup on click.
    await page.wait_for_function(
        "(id) => window.watchfloorMap.queryRenderedFeatures({ layers: ['community'] })"
        ".some((f) => f.properties.id === id)",
        arg=camera_id,
        timeout=20_000,
    )
    wedges = await page.evaluate(
        "() => window.watchfloorMap.queryRenderedFeatures({ layers: ['community-wedges'] })"
        ".map((f) => f.properties.id)"
    )
    assert camera_id in wedges
    await _click_on_map(page, LAT + 0.00054, LON)
    popup = page.get_by_test_id("community-popup")
    await expect(popup).to_be_visible()
    await expect(popup).to_contain_text("Porch camera")
    await expect(popup.get_by_test_id("community-popup-owner")).to_have_text("Residence")
    retention = popup.get_by_test_id("community-popup-retention")
    await expect(retention).to_have_text("keeps video 2 days")
    await expect(popup).to_contain_text("Accepts: Property crime, Violent crime")
    assert OWNER not in await page.content()

    # The request form: the reason is required; the window defaults around the incident's time.
    form = section.get_by_test_id("community-request-form")
    await row.get_by_test_id("community-pick").check()
    await expect(form.get_by_test_id("community-picked")).to_have_text(
        "1 camera at 1 site — 1 request"
    )
    await form.get_by_test_id("community-kind").select_option("property_crime")
    await form.get_by_test_id("community-request-send").click()
    await expect(form.get_by_test_id("community-error-reason")).to_contain_text("at least 10")
    assert await form.get_by_test_id("community-from").input_value() != ""
    await form.get_by_test_id("community-reason").fill(
        "Break-in next door; the burglar may have left along your street."
    )
    await snap(page, "80-community-request-form")
    await form.get_by_test_id("community-request-send").click()
    request = section.get_by_test_id("community-request")
    await expect(request).to_have_count(1, timeout=15_000)
    await expect(request).to_have_attribute("data-status", "sent")
    await expect(request.get_by_test_id("community-request-status")).to_have_text("Sent")

    mail = await smtp_server.wait_for(1, timeout_s=15.0)
    to_owner = [m for m in mail if OWNER in m.recipients]
    assert len(to_owner) == 1
    link = re.search(r"/community/answer#t=([A-Za-z0-9_\-]+)", to_owner[0].body)
    assert link is not None, to_owner[0].body

    # The owner uploads through the link; the console follows (live message or re-read).
    answered = await _owner_uploads(floor, link.group(1))
    assert answered["status"] == "uploaded"
    await expect(request).to_have_attribute("data-status", "uploaded", timeout=15_000)
    file_row = request.get_by_test_id("community-file")
    await expect(file_row).to_contain_text("porch.mp4")
    await expect(file_row.get_by_test_id("community-evidence-code")).not_to_be_empty()
    await request.get_by_test_id("community-useful").click()
    await expect(request.get_by_test_id("community-useful-verdict")).to_have_text("Marked useful")
    await expect(request.get_by_test_id("community-useful")).to_have_attribute(
        "aria-pressed", "true"
    )
    await snap(page, "81-community-request-uploaded")

    # Operators have no figures tab; a supervisor's shows the request as answered and useful.
    await expect(page.get_by_test_id("tab-community")).to_be_hidden()
    boss = await new_page(browser)
    await log_on(boss, floor, await floor.person(Role.SUPERVISOR, "RT700"))
    await boss.keyboard.press("o")
    stats = boss.get_by_test_id("community-stats")
    await expect(stats).to_be_visible()
    await expect(stats.get_by_test_id("community-stat-sent")).to_have_text("1")
    await expect(stats.get_by_test_id("community-stat-uploaded")).to_have_text("1")
    await expect(stats.get_by_test_id("community-stat-useful")).to_have_text("1")
    await snap(boss, "82-community-stats")
