"""Intel notes to the field: GeoChat to the devices of the units on an incident, of a TAK team or
of named units — and only to them; stored with who it reached, audited, on the timeline."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from httpx import AsyncClient

from tests.conftest import START
from tests.domain.incidents.support import report, store, unit
from tests.fieldlink.field_peer import FieldPeer, uid_is
from tests.support.auth import login_as
from watchfloor.app import Watchfloor
from watchfloor.audit.service import AuditFilter
from watchfloor.connectors.tak.cot import CotEvent
from watchfloor.core.context import Actor, RequestContext, Role
from watchfloor.domain.units.schemas import UnitPosition
from watchfloor.events.cad import UnitStatus
from watchfloor.settings import Settings, load_settings

SYSTEM = RequestContext(actor=Actor.system("test"))


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    """The test installation with the TAK server on a free loopback port."""
    return load_settings(data_dir=tmp_path / "data", database_url=database_url, tak={"tcp_port": 0})


async def _field(wf: Watchfloor, client: AsyncClient) -> tuple[str, FieldPeer, FieldPeer]:
    """Units 1A10 (on the incident) and 1A11 (not), each with a connected, identified device."""
    await login_as(wf, client, Role.ADMIN)
    for uid, callsign, code in (("ANDROID-a", "Alpha", "1A10"), ("ANDROID-b", "Bravo", "1A11")):
        body = {"uid": uid, "callsign": callsign, "unit": code}
        assert (await client.put("/api/fieldlink/devices", json=body)).status_code == 200
    earlier = START - timedelta(hours=1)
    await wf.units.update_positions(
        [
            UnitPosition(unit=c, latitude=40.4, longitude=-80.0, at=earlier)
            for c in ("1A10", "1A11")
        ],
        SYSTEM,
    )
    await wf.start()
    assigned = wf.bus.subscribe("unit.changed")
    at = START  # not older than the units made above
    [stored] = await store(wf, report(units=[unit("1a10", UnitStatus.DISPATCHED, at)]))
    while (await assigned.get(timeout=10)).payload.incident_id != stored.incident_id:
        pass
    assert wf.fieldlink.tak is not None
    assert wf.fieldlink.tak.tcp_port is not None
    alpha = await FieldPeer.connect(wf.fieldlink.tak.tcp_port)
    bravo = await FieldPeer.connect(wf.fieldlink.tak.tcp_port)
    await alpha.send_sa("ANDROID-a", "Alpha", 40.44, -80.0)
    await bravo.send_sa("ANDROID-b", "Bravo", 40.45, -80.0, group="Cyan")
    await alpha.wait_for(uid_is("ANDROID-b"))  # each was identified before it was routed on
    await bravo.wait_for(uid_is("ANDROID-a"))
    await login_as(wf, client, Role.OPERATOR, designator="RT4")
    return stored.incident_id, alpha, bravo


async def _chats_before_barrier(wf: Watchfloor, peer: FieldPeer, n: int) -> list[CotEvent]:
    """The GeoChat a peer got before a broadcast sent now (per-client order makes it a barrier)."""
    now = wf.clock.now()
    barrier = CotEvent(
        uid=f"barrier-{n}",
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
    await peer.wait_for(uid_is(f"barrier-{n}"))
    return [e for e in peer.received if e.type == "b-t-f"]


async def test_a_note_reaches_only_the_devices_of_the_units_on_the_incident(
    wf: Watchfloor, client: AsyncClient
) -> None:
    incident_id, alpha, bravo = await _field(wf, client)
    sent = await client.post(
        "/api/fieldlink/notes",
        json={"text": "Suspect armed, red hoodie, heading north", "incident_id": incident_id},
    )
    assert sent.status_code == 201, sent.text
    note = sent.json()
    assert (note["recipients"], note["reached"]) == (["Alpha"], ["Alpha"])
    assert (note["author"][:8], note["designator"]) == ("operator", "RT4")
    chat = await alpha.wait_for(lambda e: e.type == "b-t-f")
    assert chat.remarks == "Suspect armed, red hoodie, heading north"
    assert chat.dest_callsigns == ("Alpha",)
    assert chat.callsign is None or chat.callsign == "WATCHFLOOR"
    assert 'chatroom="Watchfloor"' in chat.detail_xml
    assert await _chats_before_barrier(wf, bravo, 1) == []

    wf.clock.advance(timedelta(seconds=30))  # type: ignore[attr-defined]
    to_team = await client.post(
        "/api/fieldlink/notes",
        json={"text": "Perimeter on 5th", "incident_id": incident_id, "group": "Cyan"},
    )
    assert to_team.json()["reached"] == ["Bravo"]
    assert [c.remarks for c in await _chats_before_barrier(wf, bravo, 2)] == ["Perimeter on 5th"]
    assert [c.remarks for c in await _chats_before_barrier(wf, alpha, 3)] == [
        "Suspect armed, red hoodie, heading north"
    ]
    named = await client.post("/api/fieldlink/notes", json={"text": "Call RTCC", "units": ["1A11"]})
    assert named.json()["reached"] == ["Bravo"]
    await alpha.close()
    await bravo.close()

    listed = (await client.get(f"/api/incidents/{incident_id}/field-notes")).json()
    assert [(n["text"], n["reached"], n["group"]) for n in listed] == [
        ("Suspect armed, red hoodie, heading north", ["Alpha"], None),
        ("Perimeter on 5th", ["Bravo"], "Cyan"),
    ]
    detail = await wf.incidents.detail(incident_id, SYSTEM)
    field_notes = [t for t in detail.timeline if t.kind == "field.note"]
    assert [t.details["reached"] for t in field_notes] == [["Alpha"], ["Bravo"]]
    assert field_notes[0].actor == "RT4"
    records = await wf.audit.query(AuditFilter(action="fieldlink.note.sent"))
    assert [r.details["reached"] for r in records] == [["Alpha"], ["Bravo"], ["Bravo"]]


async def test_a_note_is_refused_naming_the_field(wf: Watchfloor, client: AsyncClient) -> None:
    incident_id, alpha, bravo = await _field(wf, client)
    too_long = await client.post(
        "/api/fieldlink/notes", json={"text": "x" * 2001, "incident_id": incident_id}
    )
    assert too_long.status_code == 422
    assert too_long.json()["error"]["problems"][0]["pointer"] == "/text"
    nobody = await client.post("/api/fieldlink/notes", json={"text": "hello"})
    assert nobody.json()["error"]["problems"][0]["pointer"] == "/incident_id"
    unknown = await client.post("/api/fieldlink/notes", json={"text": "x", "units": ["1A10", "9Z"]})
    assert unknown.json()["error"]["problems"][0]["pointer"] == "/units/1"
    empty_team = await client.post("/api/fieldlink/notes", json={"text": "x", "group": "Magenta"})
    assert empty_team.status_code == 422
    assert empty_team.json()["error"]["problems"][0]["pointer"] == "/group"
    missing = await client.post("/api/fieldlink/notes", json={"text": "x", "incident_id": "nope"})
    assert missing.status_code == 404
    assert await _chats_before_barrier(wf, alpha, 1) == []
    await alpha.close()
    await bravo.close()
    assert await wf.audit.query(AuditFilter(action="fieldlink.note.sent")) == []
