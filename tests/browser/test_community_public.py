"""Community Connect's public pages in a real browser, with e-mail through a real SMTP server:
a resident registers with the form (address suggestion, moved pin, a second camera, consent),
confirms through the e-mailed private link, then edits, pauses and deletes the registration (a
receipt shown, the rows gone); an owner answers a footage request by uploading a real video in
chunks (progress shown, the SHA-256 the server recorded equal to hashlib's, an evidence item made)
and declines another, after which its link says it cannot be used."""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.async_api import Browser, Page, expect
from sqlalchemy import func, select

from tests.browser.conftest import HELSINKI, Floor, new_page, snap
from tests.support.smtp import SmtpServer, smtp_server  # noqa: F401
from watchfloor.core.context import Actor, RequestContext, Role
from watchfloor.domain.community.models import (
    CommunityCamera,
    CommunitySite,
    FootageRequest,
    FootageUpload,
)
from watchfloor.domain.community.request_schemas import FootageRequestIn
from watchfloor.domain.community.vocabulary import RequestKind
from watchfloor.domain.evidence.models import EvidenceItem
from watchfloor.domain.incidents.models import Incident
from watchfloor.settings import Settings

pytestmark = pytest.mark.browser

RESIDENT = "aino.virtanen@example.org"
OWNER = "kahvila@example.org"
CHUNK = 512 * 1024
PHONE = {"width": 360, "height": 780}
OWNER_LINK = re.compile(r"/community/owner#t=[A-Za-z0-9_-]+")
ANSWER_LINK = re.compile(r"/community/answer#t=[A-Za-z0-9_-]+")


@pytest.fixture
def settings(settings: Settings, smtp_server: SmtpServer) -> Settings:  # noqa: F811
    """Mail goes to the real test SMTP server; uploads travel in small chunks."""
    video = settings.video.model_copy(update={"smtp_url": smtp_server.url})
    community = settings.community.model_copy(update={"chunk_bytes": CHUNK})
    return settings.model_copy(update={"video": video, "community": community})


def _link(floor: Floor, body: str, pattern: re.Pattern[str]) -> str:
    found = pattern.search(body)
    assert found, body
    return floor.base + found.group(0)


async def _site(floor: Floor) -> CommunitySite | None:
    async with floor.wf.db.read_session() as session:
        return await session.scalar(select(CommunitySite))


async def _count(floor: Floor, model: type[object]) -> int:
    async with floor.wf.db.read_session() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def _pin(page: Page) -> dict[str, float]:
    at: dict[str, float] = await page.evaluate(
        "() => { const p = window.communityPin.marker.getLngLat();"
        " return { lat: p.lat, lon: p.lng }; }"
    )
    return at


async def _fill_registration(page: Page) -> dict[str, float]:
    """Fill the form as a resident would; returns where the pin was left."""
    form = page.get_by_test_id("registration-form")
    await form.get_by_label("Contact person").fill("Aino Virtanen")
    await form.get_by_label("E-mail address").fill(RESIDENT)
    await form.get_by_test_id("address").press_sequentially("Aleksanterinkatu 5", delay=20)
    suggestion = page.get_by_test_id("address-suggestions").get_by_role("option").first
    await expect(suggestion).to_contain_text("Aleksanterinkatu 5", timeout=10_000)
    await suggestion.click()
    await page.wait_for_function("() => window.communityPin !== undefined", timeout=30_000)
    before = await _pin(page)
    box = await page.get_by_test_id("pin").bounding_box()
    assert box is not None
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] - 4
    await page.mouse.move(x, y)
    await page.mouse.down()
    await page.mouse.move(x + 20, y + 10, steps=5)
    await page.mouse.move(x + 40, y + 20, steps=5)
    await page.mouse.up()
    await expect(page.get_by_test_id("pin-note")).to_contain_text("You moved the pin")
    after = await _pin(page)
    assert (after["lat"], after["lon"]) != (before["lat"], before["lon"])
    await snap(page, "89-community-pin-phone")
    first = page.get_by_test_id("camera-0")
    await first.get_by_label("Name of this camera").fill("Front door")
    await first.get_by_label("Which way does it point?").select_option(label="South")
    await first.get_by_label("Street").check()
    await page.get_by_test_id("add-camera").click()
    second = page.get_by_test_id("camera-1")
    await second.get_by_label("Name of this camera").fill("Yard")
    await second.get_by_label("Which way does it point?").select_option("degrees")
    await second.get_by_label("Direction in degrees").fill("212")
    await second.get_by_label("How wide does it see?").select_option("120")
    await second.get_by_label("Yard").check()
    await form.get_by_label("How many days does your system keep recordings?").fill("14")
    await form.get_by_label("Property crime").check()
    return after


async def test_resident_registers_confirms_edits_pauses_and_deletes(
    floor: Floor,
    browser: Browser,
    smtp_server: SmtpServer,  # noqa: F811
) -> None:
    page = await new_page(browser, **PHONE)
    third_party: list[str] = []
    page.on(
        "request",
        lambda r: (
            third_party.append(r.url)
            if not r.url.startswith((floor.base, "blob:", "data:"))
            else None
        ),
    )
    await page.goto(floor.base + "/community/")
    await expect(page.get_by_test_id("transparency")).to_contain_text("Registered cameras")
    pin = await _fill_registration(page)

    # Without consent the server is not even asked: the message sits beside the box.
    await page.get_by_test_id("submit").click()
    summary = page.get_by_test_id("registration-form").get_by_test_id("error-summary")
    await expect(summary).to_contain_text("tick the box to agree")
    await expect(page.locator("[data-error-for=consent]")).to_be_visible()
    assert await _site(floor) is None
    await page.get_by_test_id("consent").check()
    await snap(page, "90-community-register-phone")
    await page.get_by_test_id("submit").click()
    await expect(page.get_by_test_id("registered")).to_contain_text("check your e-mail")

    site = await _site(floor)
    assert site is not None
    assert site.status == "pending"
    assert (site.lat, site.lon) == pytest.approx((pin["lat"], pin["lon"]), abs=1e-6)
    mails = await smtp_server.wait_for(1, timeout_s=15.0)
    assert [m.recipients for m in mails] == [[RESIDENT]]

    # The private link: the page takes the token from the fragment and clears it.
    owner_link = _link(floor, mails[0].body, OWNER_LINK)
    await page.goto(owner_link)
    await expect(page.get_by_test_id("site-status")).to_have_attribute("data-status", "active")
    assert "#" not in page.url
    await expect(page.get_by_test_id("site-address")).to_contain_text("Aleksanterinkatu 5")
    cameras = page.get_by_test_id("owner-cameras")
    await expect(cameras).to_contain_text("Front door")
    await expect(cameras).to_contain_text("points south")
    await expect(cameras).to_contain_text("Yard")
    await expect(page.get_by_test_id("owner-requests")).to_contain_text("have not asked")

    await page.get_by_test_id("owner-edit").click()
    await page.get_by_label("How many days does your system keep recordings?").fill("30")
    await page.get_by_test_id("submit").click()
    await expect(page.get_by_test_id("retention")).to_have_text("30 days")
    await page.get_by_test_id("owner-pause").click()
    await expect(page.get_by_test_id("site-status")).to_have_attribute("data-status", "paused")
    async with floor.wf.db.read_session() as session:
        listed = (await session.scalars(select(CommunityCamera.listed))).all()
    assert listed == [False, False]
    site = await _site(floor)
    assert site is not None
    assert site.retention_days == 30

    await page.get_by_test_id("owner-delete").click()
    await page.get_by_test_id("owner-delete-confirm").click()
    receipt = page.get_by_test_id("receipt")
    await expect(receipt).to_have_text(re.compile(r"^[0-9a-f]{16,}$"))
    await snap(page, "91-community-deleted-phone")
    assert await _site(floor) is None
    assert await _count(floor, CommunityCamera) == 0

    # The link died with the registration: the page says so and offers a new one (the same
    # answer whether or not the address is registered).
    await page.goto(owner_link)
    await expect(page.get_by_test_id("no-session")).to_contain_text("link is not valid")
    await page.get_by_test_id("link-email").fill(RESIDENT)
    await page.get_by_role("button", name="Send me a new link").click()
    await expect(page.get_by_test_id("link-sent")).not_to_be_empty()
    assert third_party == []


async def _listed_site(floor: Floor, label: str) -> str:
    """A confirmed business with one listed camera beside the spot; returns the camera id."""
    now = floor.clock.now()
    lat, lon = HELSINKI
    site = CommunitySite(
        kind="business", name=f"Kahvila {label}", contact_name="Kim Owner", email=OWNER,
        phone=None, address="Esplanadi 7", address_key="esplanadi 7", lat=lat, lon=lon,
        retention_days=7, accepts=["property_crime"], contact_times=None, status="active",
        created_at=now, confirmed_at=now, updated_at=now,
    )  # fmt: skip
    async with floor.wf.db.session() as session:
        session.add(site)
        await session.flush()
        camera = CommunityCamera(
            site_id=site.id, label=label, lat=lat, lon=lon, bearing=90.0, fov_angle=90.0,
            range_m=30.0, covers=["street"], listed=True,
        )  # fmt: skip
        session.add(camera)
        await session.flush()
        camera_id = str(camera.id)
    await floor.wf.community.registry.load()
    return camera_id


async def _request(floor: Floor, camera_id: str, smtp_server: SmtpServer) -> tuple[str, str]:  # noqa: F811
    """An operator asks for footage; returns the request id and the e-mailed answer link."""
    eido_id = await floor.call(2)
    async with floor.wf.db.read_session() as session:
        incident_id = await session.scalar(select(Incident.id).where(Incident.eido_id == eido_id))
    assert incident_id is not None
    now = floor.clock.now()
    seen = len(smtp_server.received)
    operator = RequestContext(actor=Actor(username="operator-1", role=Role.OPERATOR))
    made = await floor.wf.community.requests.create(
        FootageRequestIn(
            incident_id=str(incident_id), camera_ids=[camera_id],
            kind=RequestKind.PROPERTY_CRIME, window_from=now - timedelta(minutes=30),
            window_to=now - timedelta(minutes=10),
            reason="A break-in on the corner; the burglar may have walked past your shop.",
        ),
        operator,
    )  # fmt: skip
    mails = await smtp_server.wait_for(seen + 1, timeout_s=15.0)
    assert mails[-1].recipients == [OWNER]
    return made[0].id, _link(floor, mails[-1].body, ANSWER_LINK)


def _video(folder: Path) -> Path:
    """A real MP4 clip of a few MiB (noise does not compress)."""
    ffmpeg = shutil.which("ffmpeg")
    assert ffmpeg, "ffmpeg is needed to make the test clip"
    clip = folder / "shop-door.mp4"
    subprocess.run(
        [ffmpeg, "-nostdin", "-loglevel", "error", "-y", "-f", "lavfi", "-i",
         "testsrc2=size=640x360:rate=25,noise=alls=40:allf=t", "-t", "0.6", "-c:v", "mpeg4",
         "-q:v", "3", "-pix_fmt", "yuv420p", str(clip)],
        check=True, timeout=60,
    )  # fmt: skip
    assert clip.stat().st_size > 4 * CHUNK
    return clip


async def test_owner_uploads_a_video_in_chunks_and_declines_another_request(
    floor: Floor,
    browser: Browser,
    smtp_server: SmtpServer,  # noqa: F811
    tmp_path: Path,
) -> None:
    clip = _video(tmp_path)
    request_id, link = await _request(floor, await _listed_site(floor, "Door camera"), smtp_server)
    page = await new_page(browser, **PHONE)
    await page.goto(link)
    await expect(page.get_by_test_id("incident-type")).not_to_be_empty()
    await expect(page.get_by_test_id("reason")).to_contain_text("break-in on the corner")
    assert "#" not in page.url
    await expect(page.get_by_test_id("finish")).to_be_disabled()

    # Record every value the progress bar takes while the file goes up.
    await page.evaluate(
        """() => {
            window.progressSeen = [];
            new MutationObserver((changes) => changes.forEach((c) => {
                if (c.target.tagName === 'PROGRESS') {
                    window.progressSeen.push(Number(c.target.value));
                }
            })).observe(document.body,
                { attributes: true, subtree: true, attributeFilter: ['value'] });
        }"""
    )
    await page.get_by_test_id("file-input").set_input_files(str(clip))
    await page.get_by_test_id("upload-start").click()
    row = page.get_by_test_id("file-row").filter(has_text="shop-door.mp4")
    await expect(row).to_have_attribute("data-status", "stored", timeout=60_000)
    expected = hashlib.sha256(clip.read_bytes()).hexdigest()
    await expect(row.get_by_test_id("sha256")).to_have_text(expected)
    seen: list[float] = await page.evaluate("() => window.progressSeen")
    assert len({v for v in seen if 0 < v < 100}) >= 3, seen
    await snap(page, "92-community-upload-phone")
    await page.get_by_test_id("finish").click()
    await expect(page.get_by_test_id("answered")).to_contain_text("sent to the police")

    async with floor.wf.db.read_session() as session:
        upload = await session.scalar(select(FootageUpload))
        answered = await session.get(FootageRequest, request_id)
        assert upload is not None
        assert answered is not None
        item = await session.scalar(
            select(EvidenceItem).where(EvidenceItem.code == upload.evidence_code)
        )
    assert (upload.status, upload.sha256, upload.size) == ("stored", expected, clip.stat().st_size)
    assert answered.status == "uploaded"
    assert item is not None
    assert (item.sha256, item.kind) == (expected, "upload")

    # Declining another request: a note, no pressure; the spent link then says so plainly.
    declined_id, second = await _request(
        floor, await _listed_site(floor, "Yard camera"), smtp_server
    )
    await page.goto(second)
    await page.get_by_label("A note").last.fill("Our camera was off that night.")
    await page.get_by_test_id("decline").click()
    await expect(page.get_by_test_id("answered")).to_contain_text("Nothing more is needed")
    async with floor.wf.db.read_session() as session:
        declined = await session.get(FootageRequest, declined_id)
    assert declined is not None
    assert (declined.status, declined.decline_note) == (
        "declined",
        "Our camera was off that night.",
    )
    await page.goto(second)
    await expect(page.get_by_test_id("link-unusable")).to_contain_text(
        "expired or has already been used"
    )
