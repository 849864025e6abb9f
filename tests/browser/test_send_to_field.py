"""Send to field, in a real browser: an operator types an intel note on an incident and presses
"Send to field"; the TAK device (pytak) of the unit on the incident gets it as GeoChat, a device
of a unit not on it does not, and the console says whom the note reached."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest
from httpx import ASGITransport, AsyncClient
from playwright.async_api import Browser, expect

from tests.browser.conftest import HELSINKI, Floor, log_on, new_page, snap
from tests.domain.incidents.support import report, store, unit
from tests.fieldlink.field_peer import FieldPeer, uid_is
from tests.support.auth import login_as
from watchfloor.app import Watchfloor, create_app
from watchfloor.connectors.tak.cot import CotEvent
from watchfloor.core.context import Role
from watchfloor.core.geo import GeoPoint
from watchfloor.events.cad import LocationReport, UnitStatus
from watchfloor.settings import Settings, load_settings

pytestmark = pytest.mark.browser

NOTE = "Suspect armed, red hoodie, heading north on Mannerheimintie"


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    """The test installation with the TAK server on a free loopback port."""
    return load_settings(
        data_dir=tmp_path / "data",
        database_url=database_url,
        tak={"tcp_port": 0, "host": "127.0.0.1"},
    )


@pytest.fixture
async def api(floor: Floor) -> AsyncIterator[AsyncClient]:
    """An HTTPS client on the served Watchfloor's routes (so its Secure cookies travel)."""
    transport = ASGITransport(app=create_app(floor.wf), client=("127.0.0.1", 50000))
    async with AsyncClient(transport=transport, base_url="https://testserver") as http:
        yield http


async def _map_devices(wf: Watchfloor, api: AsyncClient) -> None:
    """An admin maps device Alpha to unit 1A10 and Bravo to 1A11."""
    await login_as(wf, api, Role.ADMIN)
    for uid, callsign, code in (("ANDROID-a", "Alpha", "1A10"), ("ANDROID-b", "Bravo", "1A11")):
        body = {"uid": uid, "callsign": callsign, "unit": code}
        answer = await api.put("/api/fieldlink/devices", json=body)
        assert answer.status_code == 200, answer.text


async def _incident_with_1a10(wf: Watchfloor) -> str:
    """A CAD call at Helsinki with unit 1A10 dispatched to it; waits until the roster has it."""
    assigned = wf.bus.subscribe("unit.changed")
    place = LocationReport(point=GeoPoint(lat=HELSINKI[0], lon=HELSINKI[1]), address="Kamppi")
    at = wf.clock.now()
    [stored] = await store(
        wf,
        report(at=at, location=place, units=[unit("1a10", UnitStatus.DISPATCHED, at)]),
    )
    while (await assigned.get(timeout=10)).payload.incident_id != stored.incident_id:
        pass
    assigned.close()
    return stored.incident_id


async def _connected(port: int) -> tuple[FieldPeer, FieldPeer]:
    """Alpha and Bravo on the TAK server, each identified (each saw the other's position)."""
    alpha = await FieldPeer.connect(port)
    bravo = await FieldPeer.connect(port)
    await alpha.send_sa("ANDROID-a", "Alpha", HELSINKI[0], HELSINKI[1])
    await bravo.send_sa("ANDROID-b", "Bravo", HELSINKI[0] + 0.01, HELSINKI[1])
    await alpha.wait_for(uid_is("ANDROID-b"))
    await bravo.wait_for(uid_is("ANDROID-a"))
    return alpha, bravo


async def _chats_before_barrier(wf: Watchfloor, peer: FieldPeer) -> list[CotEvent]:
    """The GeoChat a peer got before a broadcast sent now (per-client order makes it a barrier)."""
    now = wf.clock.now()
    barrier = CotEvent(
        uid="barrier",
        type="a-n-G",
        how="h-e",
        time=now,
        start=now,
        stale=now + timedelta(minutes=1),
        lat=0.0,
        lon=0.0,
    )
    assert wf.fieldlink.tak is not None
    wf.fieldlink.tak.publish(barrier)
    await peer.wait_for(uid_is("barrier"))
    return [e for e in peer.received if e.type == "b-t-f"]


async def test_a_note_typed_on_the_console_reaches_the_device_of_the_unit_on_the_incident(
    floor: Floor, browser: Browser, api: AsyncClient
) -> None:
    wf = floor.wf
    await _map_devices(wf, api)
    incident_id = await _incident_with_1a10(wf)
    assert wf.fieldlink.tak is not None
    assert wf.fieldlink.tak.tcp_port is not None
    alpha, bravo = await _connected(wf.fieldlink.tak.tcp_port)

    page = await new_page(browser)
    await log_on(page, floor, await floor.person(Role.OPERATOR, designator="RT4"))
    await page.locator(f'[data-testid=queue-row][data-incident-id="{incident_id}"]').click()
    box = page.get_by_test_id("send-to-field")
    await expect(box).to_be_visible()
    await box.get_by_test_id("field-note-send").click()
    await expect(box.get_by_test_id("field-note-status")).to_have_text("Write the note first.")

    await box.get_by_test_id("field-note-text").fill(NOTE)
    await box.get_by_test_id("field-note-send").click()
    await expect(box.get_by_test_id("field-note-status")).to_have_text("Reached 1 of 1: Alpha")
    await expect(box.get_by_test_id("field-note-text")).to_have_value("")
    await expect(box.get_by_test_id("field-note")).to_contain_text(NOTE)
    await expect(box.get_by_test_id("field-note")).to_contain_text("RT4 → units")

    chat = await alpha.wait_for(lambda e: e.type == "b-t-f")
    assert chat.remarks == NOTE
    assert chat.dest_callsigns == ("Alpha",)
    assert await _chats_before_barrier(wf, bravo) == []
    await box.get_by_test_id("field-note-status").scroll_into_view_if_needed()
    await snap(page, "72-send-to-field")
    await alpha.close()
    await bravo.close()

    await page.reload()  # the note is kept with whom it reached
    await page.get_by_test_id("queue").wait_for()
    await page.locator(f'[data-testid=queue-row][data-incident-id="{incident_id}"]').click()
    await expect(page.get_by_test_id("field-note")).to_contain_text("Reached 1 of 1: Alpha")
