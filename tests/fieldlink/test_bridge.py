"""Field positions into unit positions: a real TAK server (port 0) and pytak devices; SA from a
mapped device, or from a device whose callsign is a unit's code, moves the unit; others are listed
as unmapped; positions are stored in batches of at most 500."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from httpx import AsyncClient

from tests.fieldlink.field_peer import FieldPeer
from tests.support.auth import login_as
from watchfloor.app import Watchfloor
from watchfloor.audit.service import AuditFilter
from watchfloor.connectors.tak.cot import CotEvent
from watchfloor.core.context import Actor, RequestContext, Role
from watchfloor.domain.units.schemas import UnitPosition
from watchfloor.fieldlink.clients import FieldClient
from watchfloor.settings import Settings, load_settings

SYSTEM = RequestContext(actor=Actor.system("test"))


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    """The test installation with the TAK server on a free loopback port."""
    return load_settings(data_dir=tmp_path / "data", database_url=database_url, tak={"tcp_port": 0})


async def test_field_sa_moves_mapped_units_and_lists_the_unmapped(
    wf: Watchfloor, client: AsyncClient
) -> None:
    await login_as(wf, client, Role.ADMIN)
    mapped = await client.put("/api/fieldlink/devices", json={"uid": "ANDROID-v", "unit": "1A10"})
    assert mapped.status_code == 200
    earlier = wf.clock.now() - timedelta(minutes=1)
    await wf.units.update_positions(
        [UnitPosition(unit="2B20", latitude=40.40, longitude=-80.0, at=earlier)], SYSTEM
    )
    await wf.start()
    assert wf.fieldlink.tak is not None
    assert wf.fieldlink.tak.tcp_port
    changes = wf.bus.subscribe("unit.changed")
    peer = await FieldPeer.connect(wf.fieldlink.tak.tcp_port)
    await peer.send_sa("ANDROID-x", "Stranger", 40.47, -79.97, group="Cyan")
    await peer.send_sa("ANDROID-v", "Viper", 40.45, -79.99, course=365.0, speed=12.5)
    await peer.send_sa("ANDROID-c", "2B20", 40.46, -79.98)
    moved: set[str] = set()
    while moved != {"1A10", "2B20"}:
        moved.add((await changes.get(timeout=10)).payload.code)
    await peer.close()

    await login_as(wf, client, Role.OPERATOR)
    units = {u["code"]: u for u in (await client.get("/api/units")).json()}
    assert set(units) == {"1A10", "2B20"}
    viper = units["1A10"]
    assert (viper["lat"], viper["lon"]) == (40.45, -79.99)
    assert (viper["heading"], viper["speed_mps"]) == (5.0, 12.5)
    assert viper["position_source"] == "cot"
    assert (units["2B20"]["lat"], units["2B20"]["position_source"]) == (40.46, "cot")

    await login_as(wf, client, Role.SUPERVISOR)
    unmapped = (await client.get("/api/fieldlink/devices/unmapped")).json()
    assert [(d["uid"], d["callsign"], d["group"]) for d in unmapped] == [
        ("ANDROID-x", "Stranger", "Cyan")
    ]
    assert wf.health.feeds()["fieldlink-cot"].state.value == "ok"


def _sa(i: int, wf: Watchfloor) -> CotEvent:
    now = wf.clock.now() - timedelta(seconds=2000 - i)
    return CotEvent(
        uid=f"dev-{i % 7}",
        type="a-f-G-U-C",
        how="m-g",
        time=now,
        start=now,
        stale=now + timedelta(minutes=2),
        lat=40.0 + i / 10_000,
        lon=-80.0,
        callsign=f"U{i % 7}",
    )


async def test_positions_are_stored_in_batches_of_at_most_500(wf: Watchfloor) -> None:
    for i in range(7):
        await wf.units.update_positions(
            [
                UnitPosition(
                    unit=f"U{i}",
                    latitude=40.0,
                    longitude=-80.0,
                    at=wf.clock.now() - timedelta(hours=1),
                )
            ],
            SYSTEM,
        )
    bridge = wf.fieldlink.field_bridge
    client = FieldClient(
        key="c1",
        uid=None,
        callsign=None,
        group=None,
        peer="127.0.0.1:1",
        protocol="xml",
        secure=False,
        cert_subject=None,
        connected_at=wf.clock.now(),
    )
    for i in range(1200):
        await bridge.on_event(_sa(i, wf), client)
    await bridge.on_event(replace(_sa(1, wf), type="b-t-f"), client)  # not SA: ignored
    assert await bridge.flush() == 500
    assert await bridge.flush() == 500
    assert await bridge.flush() == 200
    assert await bridge.flush() == 0
    records = await wf.audit.query(AuditFilter(action="units.positions.received", limit=50))
    sizes = [r.details["positions"] for r in records if r.details.get("source") == "cot"]
    assert sizes == [500, 500, 200]
    latest = await wf.units.get("U1")
    assert latest.lat == pytest.approx(40.0 + 1198 / 10_000)
    assert bridge.counts["received"] == 1201
    assert bridge.counts["queued"] == 1200


async def test_a_lone_position_is_stored_within_the_batch_window(wf: Watchfloor) -> None:
    await wf.units.update_positions(
        [
            UnitPosition(
                unit="U1", latitude=40.0, longitude=-80.0, at=wf.clock.now() - timedelta(hours=1)
            )
        ],
        SYSTEM,
    )
    await wf.start()
    changes = wf.bus.subscribe("unit.changed")
    client = FieldClient(
        key="c1",
        uid="dev-1",
        callsign="U1",
        group=None,
        peer="127.0.0.1:1",
        protocol="xml",
        secure=False,
        cert_subject=None,
        connected_at=wf.clock.now(),
    )
    await wf.fieldlink.field_bridge.on_event(_sa(8, wf), client)  # uid dev-1, callsign U1
    changed = await changes.get(timeout=5)
    assert changed.payload.code == "U1"
    assert changed.payload.lat == pytest.approx(40.0008)
