"""Plate readers at the console, in a real browser: a hit arrives live and is checked before anyone
acts on it; an investigative search for a case, its timeline and export, and a prohibited purpose
refused; hotlists with a stale list flagged and a manual entry; precision, worst reader first."""

from __future__ import annotations

import struct
import zlib
from datetime import timedelta
from pathlib import Path

import pytest
from httpx import AsyncClient
from playwright.async_api import Browser, Page, expect

from tests.browser.conftest import Floor, log_on, new_page, snap
from tests.domain.lpr.support import ADMIN, HELSINKI, hotlist_entry, inline_image, read, reader
from watchfloor.core.context import Role
from watchfloor.domain.hotlists.schemas import HotlistIn, HotlistKind
from watchfloor.domain.lpr.schemas import (
    Disposition,
    DispositionIn,
    VerificationIn,
)

pytestmark = pytest.mark.browser

PLATE_WIDTH = 160


def _png(width: int = PLATE_WIDTH, height: int = 40) -> bytes:
    """A plain plate-yellow PNG, so the browser has a real image to decode."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    row = b"\x00" + b"\xf2\xd0\x3c" * width
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    pixels = zlib.compress(row * height)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


async def _post_read(floor: Floor, plate: str, code: str = "ALPR-1") -> list[str]:
    """A plate reader's feed posts one read (with a plate image); returns the alerts it raised."""
    document = read(plate, floor.clock.now(), reader_code=code, plate_image=inline_image(_png()))
    headers = {"Authorization": f"Bearer {floor.feed_token}"}
    async with AsyncClient(base_url=floor.base, headers=headers) as http:
        response = await http.post("/api/lpr/reads", json=document)
    assert response.status_code == 200, response.text
    alerts: list[str] = response.json()["alerts"]
    return alerts


async def _stale_ncic_entry(floor: Floor, plate: str, reason: str = "wanted_person") -> None:
    """An entry on an NCIC list last refreshed 14 hours ago (stale after 12)."""
    refreshed = floor.clock.now() - timedelta(hours=14)
    await hotlist_entry(floor.wf, plate, reason=reason, refreshed_at=refreshed, max_age_minutes=720)


async def _image_decoded(page: Page) -> None:
    await page.wait_for_function(
        "() => { const i = document.querySelector('[data-testid=alert-plate-image]');"
        f" return !!i && i.complete && i.naturalWidth === {PLATE_WIDTH}"
        " && i.src.startsWith('blob:'); }"
    )


async def test_a_plate_hit_arrives_live_and_is_checked_before_it_is_confirmed(
    floor: Floor, browser: Browser
) -> None:
    await reader(floor.wf, "ALPR-1")
    await _stale_ncic_entry(floor, "ABC123")
    page = await new_page(browser)
    await log_on(page, floor, await floor.person())
    await page.keyboard.press("a")
    panel = page.locator("#panel-alerts")
    await expect(panel).to_contain_text("No open plate alerts.")

    await _post_read(floor, "ABC123")
    row = page.get_by_test_id("plate-alert-row")
    await expect(row).to_have_count(1)
    await expect(row).to_have_attribute("data-severity", "high")
    await expect(row.get_by_test_id("plate-alert-severity")).to_have_text("HIGH")
    await expect(row.get_by_test_id("stale-badge")).to_be_visible()
    await expect(page.get_by_test_id("plate-banner")).to_contain_text("ABC123")
    await expect(page.get_by_test_id("plate-banner")).to_contain_text("STALE LIST")
    await page.wait_for_function(
        "() => performance.getEntriesByName('watchfloor:plate-alert-sound').length > 0"
    )
    await snap(page, "10-plate-alert-live")

    await row.click()
    detail = page.get_by_test_id("plate-alert-detail")
    await expect(detail).to_be_visible()
    await expect(page.get_by_test_id("plate-banner")).to_be_hidden()
    await _image_decoded(page)
    await expect(detail.get_by_test_id("alert-stale-warning")).to_be_visible()
    await expect(detail.get_by_test_id("alert-explanation")).to_contain_text("exact plate ABC123")
    await expect(detail.get_by_test_id("alert-entry")).to_contain_text("wanted person")
    confirm = page.get_by_test_id("dispose-confirmed")
    await expect(confirm).to_be_disabled()

    await page.get_by_test_id("verify-plate").check()
    await page.get_by_test_id("verify-submit").click()
    await expect(page.get_by_test_id("alert-feedback")).to_contain_text("not actionable")
    await expect(page.get_by_test_id("alert-status")).to_have_text("pending")
    await expect(confirm).to_be_disabled()

    await page.get_by_test_id("verify-active").check()
    await page.get_by_test_id("verify-confirmed-with").fill("NCIC QV 1402 msg 5521")
    await page.get_by_test_id("verify-submit").click()
    await expect(page.get_by_test_id("alert-status")).to_have_text("actionable")
    await expect(page.get_by_test_id("verified-line")).to_contain_text("NCIC QV 1402")
    await expect(confirm).to_be_enabled()
    await snap(page, "11-plate-alert-verified")

    await confirm.click()
    await expect(page.get_by_test_id("closed-line")).to_contain_text("Closed as confirmed")
    await expect(page.get_by_test_id("plate-alert-row")).to_have_count(0)
    await page.get_by_test_id("outcome-kind").select_option("arrest")
    await page.get_by_test_id("outcome-case").fill("2026-0042")
    await page.get_by_test_id("outcome-submit").click()
    await expect(page.get_by_test_id("closed-line")).to_contain_text(
        "Outcome: arrest, case 2026-0042"
    )
    await snap(page, "12-plate-alert-confirmed")


async def test_a_search_for_a_case_shows_reads_timeline_export_and_refuses_a_banned_purpose(
    floor: Floor, browser: Browser, tmp_path: Path
) -> None:
    await reader(floor.wf, "ALPR-1")
    await reader(floor.wf, "ALPR-2", lat=HELSINKI[0] + 0.01, lon=HELSINKI[1] + 0.01, heading=180.0)
    await _post_read(floor, "ABC123", "ALPR-1")
    floor.clock.advance(timedelta(minutes=12))
    await _post_read(floor, "ABC123", "ALPR-2")
    await _post_read(floor, "XYZ789", "ALPR-1")
    page = await new_page(browser)
    await log_on(page, floor, await floor.person(Role.ANALYST, "RT42"))
    await page.keyboard.press("s")
    plate = page.get_by_test_id("search-plate")
    await expect(plate).to_be_focused()

    await plate.fill("AB%")
    await expect(page.get_by_test_id("search-plate-hint")).to_contain_text('remove "%"')
    await plate.fill("ABC*")
    await expect(page.get_by_test_id("search-plate-hint")).to_have_text("Plates starting with ABC.")
    await page.get_by_test_id("search-submit").click()
    await expect(page.get_by_test_id("search-error")).to_contain_text("Choose the purpose")
    await expect(page.get_by_test_id("search-error")).to_contain_text("case number")

    purpose = page.get_by_test_id("search-purpose")
    await expect(purpose.locator("option[value=criminal_investigation]")).to_have_count(1)
    await purpose.select_option("criminal_investigation")
    await page.get_by_test_id("search-case").fill("2026-0042")
    await page.get_by_test_id("search-submit").click()
    rows = page.get_by_test_id("search-row")
    await expect(rows).to_have_count(2)
    await expect(page.get_by_test_id("search-results")).not_to_contain_text("XYZ789")
    trail = page.locator("[data-testid=trail][data-plate=ABC123]")
    sightings = trail.get_by_test_id("sighting")
    await expect(sightings).to_have_count(2)
    await expect(sightings.nth(0)).to_contain_text("ALPR-1")
    await expect(sightings.nth(1)).to_contain_text("ALPR-2")
    await snap(page, "13-plate-search-timeline")

    async with page.expect_download() as info:
        await page.get_by_test_id("search-export").click()
    download = await info.value
    assert download.suggested_filename.startswith("lpr-search-")
    saved = tmp_path / download.suggested_filename
    await download.save_as(saved)
    exported = saved.read_text()
    assert exported.startswith("id,reader_code")
    assert exported.count("ABC123") >= 2
    assert "XYZ789" not in exported

    await purpose.select_option("personal_use")
    await expect(page.get_by_test_id("search-purpose-hint")).to_contain_text("prohibited")
    await page.get_by_test_id("search-submit").click()
    refusal = page.get_by_test_id("search-error")
    await expect(refusal).to_contain_text("Refused")
    await expect(refusal).to_contain_text("personal_use")
    await snap(page, "14-plate-search-refused")


async def test_hotlists_flag_a_stale_list_and_take_a_manual_entry(
    floor: Floor, browser: Browser
) -> None:
    await _stale_ncic_entry(floor, "ABC123")
    body = HotlistIn(
        name="Local BOLO", kind=HotlistKind.LOCAL, source_format="manual", max_age_minutes=1440
    )
    await floor.wf.hotlists.create_list(body, ADMIN)
    page = await new_page(browser)
    await log_on(page, floor, await floor.person(Role.SUPERVISOR, "RT700"))
    chip = page.get_by_test_id("stale-chip")
    await expect(chip).to_contain_text("NCIC list stale 14 h")

    await chip.click()
    ncic = page.locator("[data-testid=hotlist]", has_text="NCIC")
    await expect(ncic).to_have_attribute("data-stale", "true")
    await expect(ncic.get_by_test_id("hotlist-stale")).to_have_text("STALE 14 h")
    await expect(ncic.get_by_test_id("hotlist-count")).to_be_visible()
    await expect(ncic.get_by_test_id("hotlist-refresh")).to_be_visible()
    local = page.locator("[data-testid=hotlist]", has_text="Local BOLO")
    await expect(local).to_have_attribute("data-stale", "false")
    await expect(local.get_by_test_id("hotlist-stale")).to_have_count(0)

    await local.get_by_test_id("hotlist-add-entry").click()
    await local.get_by_test_id("entry-plate").fill("loc-123")
    await local.get_by_test_id("entry-state").fill("CA")
    await local.get_by_test_id("entry-reason-code").select_option("stolen_vehicle")
    await local.get_by_test_id("entry-reason").fill("Taken from the Kamppi garage, owner report")
    await local.get_by_test_id("entry-submit").click()
    await expect(local.get_by_test_id("hotlist-count")).to_have_text("1 entries")
    await local.get_by_test_id("hotlist-entries").click()
    entry = local.get_by_test_id("hotlist-entry")
    await expect(entry).to_contain_text("LOC123")
    await expect(entry).to_contain_text("Kamppi garage")
    await snap(page, "15-hotlists-stale")

    await entry.get_by_test_id("entry-remove-reason").fill("Vehicle recovered by patrol")
    await entry.get_by_test_id("entry-remove").click()
    await expect(local.get_by_test_id("hotlist-entry")).to_have_count(0)
    await expect(local.get_by_test_id("hotlist-count")).to_have_text("0 entries")


async def test_precision_puts_the_worst_reader_first_and_misreads_are_marked(
    floor: Floor, browser: Browser
) -> None:
    await reader(floor.wf, "ALPR-1")
    await reader(floor.wf, "ALPR-2", lat=HELSINKI[0] + 0.01, lon=HELSINKI[1] + 0.01)
    await _stale_ncic_entry(floor, "ABC123")
    await hotlist_entry(floor.wf, "XYZ78B", reason="stolen_vehicle")
    (good,) = await _post_read(floor, "ABC123", "ALPR-1")
    (bad,) = await _post_read(floor, "XYZ788", "ALPR-2")
    review = floor.wf.lpr_review
    checked = VerificationIn(
        plate_matches_image=True, entry_confirmed_active=True, confirmed_with="NCIC QV 77"
    )
    await review.verify(good, checked, ADMIN)
    await review.dispose(good, DispositionIn(disposition=Disposition.CONFIRMED), ADMIN)
    await review.dispose(bad, DispositionIn(disposition=Disposition.MISREAD), ADMIN)
    floor.clock.advance(timedelta(minutes=10))
    await _post_read(floor, "XYZ788", "ALPR-2")

    page = await new_page(browser)
    await log_on(page, floor, await floor.person(Role.SUPERVISOR, "RT700"))
    await page.keyboard.press("?")
    help_sheet = page.get_by_test_id("shortcut-help")
    await expect(help_sheet).to_contain_text("plate-hit precision")
    await page.keyboard.press("Escape")
    await expect(help_sheet).to_be_hidden()

    await page.keyboard.press("a")
    row = page.get_by_test_id("plate-alert-row")
    await expect(row).to_have_count(1)
    await expect(row).to_have_attribute("data-severity", "medium")
    await expect(row.locator("mark.plate-sub")).to_have_text("8")
    await expect(row.get_by_test_id("plate-entry")).to_have_text("XYZ78B")

    await page.keyboard.press("p")
    readers = page.get_by_test_id("precision-readers-row")
    await expect(readers).to_have_count(2)
    await expect(readers.nth(0)).to_have_attribute("data-key", "ALPR-2")
    await expect(readers.nth(0)).to_contain_text("0 %")
    await expect(readers.nth(1)).to_have_attribute("data-key", "ALPR-1")
    await expect(readers.nth(1)).to_contain_text("100 %")
    await expect(page.get_by_test_id("precision-hotlists-row").first).to_contain_text("NCIC")
    await snap(page, "16-plate-precision")
