"""Watchfloor's picture to the field: incidents (with priority), verified plate alerts and gunshot
alerts arrive at a connected TAK client (pytak) as CoT; ended ones are deleted; every push is
audited and on the incident timeline."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from httpx import AsyncClient

from tests.conftest import START
from tests.domain.incidents.support import report, store
from tests.domain.lpr.support import hotlist_entry, inline_image, read, reader
from tests.fieldlink.field_peer import FieldPeer, uid_is
from tests.support.auth import feed_token, login_as
from watchfloor.app import Watchfloor
from watchfloor.audit.service import AuditFilter
from watchfloor.core.context import Actor, RequestContext, Role
from watchfloor.events.alerts import AlertKind, AlertReport
from watchfloor.events.cad import IncidentStatus
from watchfloor.settings import Settings, load_settings

SYSTEM = RequestContext(actor=Actor.system("test"))


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    """The test installation with the TAK server on a free loopback port."""
    return load_settings(data_dir=tmp_path / "data", database_url=database_url, tak={"tcp_port": 0})


async def _peer(wf: Watchfloor) -> FieldPeer:
    """A connected field device (the server's protocol offer shows it is registered)."""
    await wf.start()
    assert wf.fieldlink.tak is not None
    assert wf.fieldlink.tak.tcp_port is not None
    peer = await FieldPeer.connect(wf.fieldlink.tak.tcp_port)
    await peer.wait_for(lambda e: e.type == "t-x-takp-v")
    return peer


async def _sent(wf: Watchfloor, what: str) -> list[str]:
    records = await wf.audit.query(AuditFilter(action="fieldlink.cot.sent", object_type=what))
    return [str(r.details["type"]) for r in records]


async def test_an_incident_reaches_the_field_with_its_priority_and_leaves_when_closed(
    wf: Watchfloor,
) -> None:
    peer = await _peer(wf)
    [stored] = await store(wf, report(priority=1))
    uid = f"watchfloor.incident.{stored.incident_id}"
    marker = await peer.wait_for(uid_is(uid))
    assert marker.type == "b-m-p-s-p-i"
    assert marker.callsign == "P1 ROBBERY"
    assert marker.remarks is not None
    assert marker.remarks.startswith("Priority 1; ROBBERY; status dispatched; 100 Main St")
    assert (marker.lat, marker.lon) == (40.44, -80.0)
    assert marker.stale - marker.time == timedelta(hours=4)
    wf.clock.advance(timedelta(minutes=11))  # type: ignore[attr-defined]
    assert await wf.fieldlink.field_outbound.refresh_due() == 1  # sent again before it goes stale
    fresh = await peer.wait_for(lambda e: e.uid == uid and e.time > marker.time)
    assert fresh.stale - fresh.time == timedelta(hours=4)
    assert await wf.fieldlink.field_outbound.refresh_due() == 0
    late = await FieldPeer.connect(wf.fieldlink.tak.tcp_port)  # type: ignore[union-attr,arg-type]
    assert (await late.wait_for(uid_is(uid))).callsign == "P1 ROBBERY"

    closed = report(priority=1, status=IncidentStatus.CLOSED, at=START - timedelta(minutes=1))
    await store(wf, closed)
    delete = await peer.wait_for(lambda e: e.type == "t-x-d-d")
    assert f'uid="{uid}"' in delete.detail_xml
    wf.clock.advance(timedelta(seconds=1))  # type: ignore[attr-defined]
    assert uid not in {e.uid for e in wf.fieldlink.tak.picture()}  # type: ignore[union-attr]
    await peer.close()
    await late.close()
    await wf.fieldlink.stop()  # the follower is done with what it holds
    assert await _sent(wf, "incident") == ["b-m-p-s-p-i", "t-x-d-d"]
    detail = await wf.incidents.detail(stored.incident_id, SYSTEM)
    assert [t.kind for t in detail.timeline].count("field.sent") == 2


async def test_open_incidents_are_back_on_the_field_after_a_restart(wf: Watchfloor) -> None:
    [stored] = await store(wf, report(priority=2))  # stored while no server ran
    peer = await _peer(wf)
    uid = f"watchfloor.incident.{stored.incident_id}"
    marker = await peer.wait_for(uid_is(uid))  # from the picture the restore put back
    assert marker.callsign == "P2 ROBBERY"
    wf.clock.advance(timedelta(minutes=11))  # type: ignore[attr-defined]
    assert await wf.fieldlink.field_outbound.refresh_due() == 1  # and it is kept fresh
    records = await wf.audit.query(AuditFilter(action="fieldlink.cot.restored"))
    assert [r.details["incidents"] for r in records] == [1]
    await peer.close()


async def test_a_gunshot_alert_reaches_the_field_and_a_dismissal_removes_it(
    wf: Watchfloor,
) -> None:
    peer = await _peer(wf)
    shot = AlertReport(
        kind=AlertKind.GUNSHOT,
        source="gunshot-http",
        source_ref="flex-1",
        occurred_at=START,
        title="Multiple gunshots",
        priority=1,
        lat=40.45,
        lon=-79.99,
        address="5th Ave & Smithfield",
        details={"rounds": 3},
    )
    [receipt] = await wf.alerts.receive([shot], SYSTEM)
    uid = f"watchfloor.gunshot.{receipt.alert_id}"
    marker = await peer.wait_for(uid_is(uid))
    assert marker.type == "b-d-a"
    assert marker.callsign is not None
    assert marker.callsign.endswith(" GUNSHOT")
    assert marker.remarks is not None
    assert marker.remarks.startswith("GUNSHOT priority ")
    assert "3 rounds" in marker.remarks
    assert (marker.lat, marker.lon) == (40.45, -79.99)
    assert marker.stale - marker.time == timedelta(minutes=30)
    await wf.alerts.dismiss(receipt.alert_id, "sensor test", SYSTEM)
    delete = await peer.wait_for(lambda e: e.type == "t-x-d-d")
    assert f'uid="{uid}"' in delete.detail_xml
    await peer.close()


async def test_a_plate_alert_reaches_the_field_only_once_an_operator_verified_it(
    wf: Watchfloor, client: AsyncClient
) -> None:
    await reader(wf)
    await hotlist_entry(wf, "ABC123")
    peer = await _peer(wf)
    token = await feed_token(wf, client)
    response = await client.post(
        "/api/lpr/reads",
        json=read("ABC123", wf.clock.now(), reader_code="ALPR-1", plate_image=inline_image()),
        headers={"Authorization": f"Bearer {token}"},
    )
    alert_id = response.json()["alerts"][0]
    uid = f"watchfloor.lpr.{alert_id}"
    await login_as(wf, client, Role.OPERATOR, designator="RT4")
    verified = await client.post(
        f"/api/lpr/alerts/{alert_id}/verification",
        json={"plate_matches_image": True, "entry_confirmed_active": True, "confirmed_with": "QV"},
    )
    assert verified.json()["status"] == "actionable"
    marker = await peer.wait_for(uid_is(uid))
    # nothing went out while the alert waited for its verification
    assert [e.uid for e in peer.received if e.uid.startswith("watchfloor.lpr.")] == [uid]
    assert marker.type == "a-s-G-E-V"
    assert marker.callsign == "LPR ABC123"
    assert marker.remarks is not None
    assert marker.remarks.startswith("VERIFIED PLATE ALERT ABC123")
    await peer.close()
    await wf.fieldlink.stop()
    assert await _sent(wf, "plate_alert") == ["a-s-G-E-V"]
