"""The console in real headless Chromium (Debian's, driven by Playwright) against a real
Watchfloor served on 127.0.0.1. Screenshots land in test-artifacts/browser/ for people to see."""

from __future__ import annotations

import copy
import os
import secrets
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyotp
import pytest
from httpx import AsyncClient
from playwright.async_api import Browser, Page, async_playwright

from tests.domain.incidents.support import eido
from tests.support.server import serving
from watchfloor.app import Watchfloor, build
from watchfloor.core.clock import ManualClock
from watchfloor.core.context import Role
from watchfloor.settings import Settings

CHROMIUM = "/usr/bin/chromium"
# Keep the browser off the network: no background fetches, updates, sync or first-run pages.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--enable-unsafe-swiftshader",
]
ARTIFACTS = Path(os.environ.get("WATCHFLOOR_ARTIFACTS", "test-artifacts")) / "browser"
HELSINKI = (60.1699, 24.9384)


@dataclass(frozen=True)
class Person:
    """A console user the test can log on as."""

    username: str
    password: str
    secret: str
    designator: str | None


@dataclass
class Floor:
    """A served Watchfloor, its manual clock and a simulated CAD's feed token."""

    wf: Watchfloor
    base: str
    clock: ManualClock
    feed_token: str
    _count: int = 0

    async def person(self, role: Role = Role.OPERATOR, designator: str | None = "RT3") -> Person:
        """Create an account to log on with."""
        name = f"{role.value}-{secrets.token_hex(3)}"
        password = f"night shift {secrets.token_hex(4)} watch floor"
        _user, uri = await self.wf.auth.create_user(name, role, designator, password)
        return Person(name, password, str(pyotp.parse_uri(uri).secret), designator)

    def code(self, person: Person) -> str:
        """The person's TOTP code at the server's time."""
        return str(pyotp.TOTP(person.secret).at(self.clock.now()))

    async def call(self, priority: int, type_code: str = "ROBBERY", **where: Any) -> str:
        """A CAD sends a new call over the EIDO intake; returns its EIDO id."""
        self._count += 1
        eido_id = f"urn:emergency:uid:incidentid:{self._count}{secrets.token_hex(3)}:cad.test"
        document = copy.deepcopy(
            eido(eido_id, type_code=type_code, priority=priority, notes=(), at=_at(self.clock))
        )
        location = document["locationComponent"][0]
        location["latitude"] = where.get("lat", HELSINKI[0] + self._count * 0.0007)
        location["longitude"] = where.get("lon", HELSINKI[1] + self._count * 0.0009)
        headers = {"Authorization": f"Bearer {self.feed_token}"}
        async with AsyncClient(base_url=self.base, headers=headers) as http:
            response = await http.post("/api/intake/eido", json=document)
        assert response.status_code == 200, response.text
        return eido_id


def _at(clock: ManualClock) -> str:
    return clock.now().isoformat().replace("+00:00", "Z")


@pytest.fixture
async def floor(settings: Settings, clock: ManualClock) -> AsyncIterator[Floor]:
    # Secure cookies need https except on loopback, which Chromium treats as a secure context.
    quick = settings.model_copy(update={"live_ping_s": 1.0})
    wf = build(quick, clock=clock, migrate=False)
    _feed, token = await wf.auth.create_feed("cad-under-test")
    async with serving(wf) as base:
        yield Floor(wf, base, clock, token)


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            await launched.close()


async def new_page(browser: Browser, width: int = 1920, height: int = 1080) -> Page:
    """A fresh browser session (own cookies) at a watch-floor screen size."""
    context = await browser.new_context(viewport={"width": width, "height": height})
    return await context.new_page()


async def log_on(page: Page, floor: Floor, person: Person, path: str = "/") -> None:
    """Acknowledge the banner, give password and TOTP, and wait for the queue."""
    await page.goto(floor.base + path)
    await page.get_by_test_id("banner").wait_for()
    await page.get_by_test_id("banner-accept").click()
    await page.fill("#username", person.username)
    await page.fill("#password", person.password)
    await page.fill("#totp", floor.code(person))
    await page.get_by_test_id("logon-submit").click()
    await page.get_by_test_id("queue").wait_for()


async def map_ready(page: Page) -> None:
    """Wait until the map has drawn the basemap and the incidents."""
    await page.wait_for_function(
        "() => performance.getEntriesByName('watchfloor:map-ready').length > 0", timeout=60_000
    )


async def snap(page: Page, name: str) -> None:
    """Keep a screenshot as a test artifact."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    await page.screenshot(path=str(ARTIFACTS / f"{name}.png"))
