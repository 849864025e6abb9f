"""AVL intake end to end: NMEA over real loopback UDP and TCP sockets into unit positions in the
store, the admins' sender table, and what is refused (counted, never stored)."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from httpx import AsyncClient

from tests.connectors.nmea.sentences import gga, rmc
from tests.support.auth import login_as
from watchfloor.app import Watchfloor
from watchfloor.audit.service import AuditFilter
from watchfloor.connectors.nmea.parser import KNOT_MPS
from watchfloor.core.context import Role
from watchfloor.domain.units.avl import FEED, AvlIntake
from watchfloor.settings import Settings
from watchfloor.settings_field import AvlSettings


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """Both listeners on free loopback ports."""
    return settings.model_copy(update={"avl": AvlSettings(udp_port=0, tcp_port=0)})


def _avl(wf: Watchfloor) -> AvlIntake:
    return wf.fieldlink.avl


def _send_udp(wf: Watchfloor, datagram: bytes) -> None:
    listener = _avl(wf).listener
    assert listener is not None
    assert listener.udp_port
    port = listener.udp_port
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.sendto(datagram, ("127.0.0.1", port))


async def _until(check: Callable[[], Awaitable[bool]] | Callable[[], bool], what: str) -> None:
    for _ in range(500):
        result = check()
        if result if isinstance(result, bool) else await result:
            return
        await asyncio.sleep(0.01)
    raise AssertionError(f"timed out waiting for {what}")


async def _units(client: AsyncClient) -> dict[str, dict[str, Any]]:
    response = await client.get("/api/units")
    assert response.status_code == 200, response.text
    return {unit["code"]: unit for unit in response.json()}


async def test_udp_sentences_become_unit_positions(wf: Watchfloor, client: AsyncClient) -> None:
    await wf.start()
    await login_as(wf, client, Role.OPERATOR)
    datagram = b"1A10," + rmc(hhmmss="135958.00") + b"\r\n1A10," + gga(hhmmss="135958.00")
    _send_udp(wf, datagram)

    async def stored() -> bool:
        return "1A10" in await _units(client)

    await _until(stored, "the unit's position")  # the batch interval stores it, nothing else
    unit = (await _units(client))["1A10"]
    assert unit["lat"] == pytest.approx(48 + 7.038 / 60)
    assert unit["lon"] == pytest.approx(11 + 31.0 / 60)
    assert unit["heading"] == pytest.approx(84.4)
    assert unit["speed_mps"] == pytest.approx(22.4 * KNOT_MPS)  # the RMC, not the GGA
    assert unit["position_at"].startswith("2026-11-21T13:59:58")
    [record] = await wf.audit.query(AuditFilter(action="units.positions.received"))
    assert (record.details["positions"], record.details["source"]) == (1, "nmea")


async def test_a_tcp_router_known_by_its_address_with_a_sentence_split_across_reads(
    wf: Watchfloor, client: AsyncClient
) -> None:
    await wf.start()
    await login_as(wf, client, Role.ADMIN)
    mapped = await client.put("/api/units/avl-sources/127.0.0.1", json={"unit": "2B20"})
    assert mapped.status_code == 200, mapped.text
    listener = _avl(wf).listener
    assert listener
    assert listener.tcp_port
    _reader, writer = await asyncio.open_connection("127.0.0.1", listener.tcp_port)
    line = rmc(lat="4000.000,N", lon="08000.000,W") + b"\r\n"
    writer.write(line[:25])
    await writer.drain()
    await asyncio.sleep(0.05)  # the first half is its own read
    writer.write(line[25:])
    await writer.drain()
    await _until(lambda: _avl(wf).stats.accepted == 1, "the fix accepted")
    await _avl(wf).flush()
    [unit] = await wf.units.list()
    assert (unit.code, unit.lat, unit.lon) == ("2B20", 40.0, -80.0)
    writer.close()
    await writer.wait_closed()


async def test_bad_checksums_garbage_and_void_fixes_are_counted_not_stored(
    wf: Watchfloor, client: AsyncClient
) -> None:
    await wf.start()
    wrong = rmc()[:-2] + (b"00" if not rmc().endswith(b"00") else b"11")
    lines = [b"BAD1," + wrong, b"\x00\x01\xfe\xff garbage", b"VOID1," + rmc(status="V")]
    _send_udp(wf, b"\r\n".join(lines) + b"\r\n" + b"GOOD1," + rmc())
    avl = _avl(wf)
    await _until(lambda: avl.stats.accepted == 1, "the good fix")
    await avl.flush()
    assert [u.code for u in await wf.units.list()] == ["GOOD1"]
    assert (avl.counts.bad_checksum, avl.counts.garbage, avl.stats.no_fix) == (1, 1, 1)
    await _until(lambda: wf.health.feed(FEED).rejected == 2, "feed health to count them")
    assert wf.health.feed(FEED).accepted == 1


async def test_an_unknown_sender_is_counted_logged_and_shown(
    wf: Watchfloor, client: AsyncClient
) -> None:
    await wf.start()
    _send_udp(wf, rmc() + b"\r\n")  # no device id, no mapping for 127.0.0.1
    avl = _avl(wf)
    await _until(lambda: avl.stats.unknown_sender == 1, "the unknown sender counted")
    await avl.flush()
    assert await wf.units.list() == []
    feed = wf.health.feed(FEED)
    assert (feed.rejected, feed.error) == (1, "unknown sender 127.0.0.1")
    await login_as(wf, client, Role.ADMIN)
    status = (await client.get("/api/units/avl-status")).json()
    assert status["intake"]["unknown_sender"] == 1
    assert [s["sender"] for s in status["unknown_senders"]] == ["127.0.0.1"]


async def test_a_device_id_can_be_mapped_to_another_unit(
    wf: Watchfloor, client: AsyncClient
) -> None:
    await wf.start()
    await login_as(wf, client, Role.ADMIN)
    response = await client.put(
        "/api/units/avl-sources/SN-99812", json={"unit": "3C30", "note": "car 30 router"}
    )
    assert response.status_code == 200, response.text
    assert response.json()["kind"] == "device"
    _send_udp(wf, b"SN-99812," + rmc() + b"\r\n")
    await _until(lambda: _avl(wf).stats.accepted == 1, "the fix accepted")
    await _avl(wf).flush()
    assert [u.code for u in await wf.units.list()] == ["3C30"]


async def test_sources_are_for_admins_only_and_audited(wf: Watchfloor, client: AsyncClient) -> None:
    await login_as(wf, client, Role.OPERATOR)
    assert (await client.get("/api/units/avl-sources")).status_code == 403
    put = await client.put("/api/units/avl-sources/10.1.2.3", json={"unit": "1A10"})
    assert put.status_code == 403
    assert (await client.delete("/api/units/avl-sources/10.1.2.3")).status_code == 403
    assert (await client.get("/api/units/avl-status")).status_code == 403
    await login_as(wf, client, Role.ADMIN)
    put = await client.put("/api/units/avl-sources/::ffff:10.1.2.3", json={"unit": "1A10"})
    assert put.status_code == 200, put.text
    assert (put.json()["source"], put.json()["kind"]) == ("10.1.2.3", "address")
    listed = (await client.get("/api/units/avl-sources")).json()
    assert [(s["source"], s["unit"]) for s in listed] == [("10.1.2.3", "1A10")]
    assert (await client.delete("/api/units/avl-sources/10.1.2.3")).status_code == 204
    assert (await client.delete("/api/units/avl-sources/10.1.2.3")).status_code == 404
    actions = [r.action for r in await wf.audit.query(AuditFilter(object_type="avl_source"))]
    assert actions == ["avl.source.set", "avl.source.deleted"]
    bad = await client.put("/api/units/avl-sources/no%20spaces", json={"unit": "1A10"})
    assert bad.status_code == 422
    assert [p["pointer"] for p in bad.json()["error"]["problems"]] == ["/source"]
    bad_unit = await client.put("/api/units/avl-sources/10.1.2.4", json={"unit": "a b"})
    assert bad_unit.status_code == 422
