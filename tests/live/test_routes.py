"""GET /api/live over a real socket: hello, live rows, catch-up after a reconnect, resync, and
refusals (no session, cross-site origin, idle lock)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import orjson
import pytest
from httpx import AsyncClient
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from tests.domain.incidents.support import report, store
from tests.support.auth import login_as
from tests.support.server import serving
from watchfloor.app import Watchfloor, build
from watchfloor.core.clock import ManualClock
from watchfloor.core.context import Role
from watchfloor.settings import Settings


@dataclass
class Floor:
    """A served Watchfloor and a logged-on operator's cookie."""

    wf: Watchfloor
    base: str
    cookie: str

    def url(self, query: str = "") -> str:
        return self.base.replace("http://", "ws://") + "/api/live" + query

    def socket(self, query: str = "", **headers: str) -> Any:
        return connect(
            self.url(query),
            additional_headers={"Cookie": self.cookie, **headers},
            open_timeout=5,
        )


@pytest.fixture
async def floor(settings: Settings, clock: ManualClock) -> AsyncIterator[Floor]:
    quick = settings.model_copy(update={"live_ping_s": 0.3})
    wf = build(quick, clock=clock, migrate=False)
    async with serving(wf) as base, AsyncClient(base_url=base) as http:
        await login_as(wf, http, Role.OPERATOR)
        yield Floor(wf, base, f"wf_session={http.cookies['wf_session']}")


async def _next(ws: ClientConnection, kind: str | None = None) -> dict[str, Any]:
    while True:
        message: dict[str, Any] = orjson.loads(await asyncio.wait_for(ws.recv(), 5))
        if kind is None or message["type"] == kind:
            return message


async def test_a_console_gets_hello_then_each_change_as_a_queue_row(floor: Floor) -> None:
    async with floor.socket() as ws:
        hello = await _next(ws)
        assert hello["type"] == "hello"
        assert hello["epoch"] == floor.wf.live.epoch
        (result,) = await store(floor.wf, report(priority=1))
        change = await _next(ws, "incident")
        assert change["kind"] == "incident.created"
        assert change["seq"] == hello["seq"] + 1
        assert change["row"]["id"] == result.incident_id
        assert change["row"]["priority"] == 1
        assert change["row"]["lat"] == pytest.approx(40.44)


async def test_after_a_reconnect_the_console_catches_up_on_what_it_missed(floor: Floor) -> None:
    async with floor.socket() as ws:
        await store(floor.wf, report("urn:emergency:uid:incidentid:1:x"))
        seen = await _next(ws, "incident")
    # while disconnected, two more calls arrive
    await store(floor.wf, report("urn:emergency:uid:incidentid:2:x"))
    await store(floor.wf, report("urn:emergency:uid:incidentid:3:x"))
    async with floor.socket(f"?since={seen['seq']}&epoch={floor.wf.live.epoch}") as ws:
        assert (await _next(ws))["type"] == "hello"
        replayed: list[dict[str, Any]] = []
        while sum(m["type"] == "incident" for m in replayed) < 2:
            replayed.append(await _next(ws))
    # Everything published meanwhile comes back in order, nothing skipped (context packets and
    # playbook changes travel between the queue rows).
    assert [m["seq"] for m in replayed] == list(
        range(seen["seq"] + 1, seen["seq"] + 1 + len(replayed))
    )
    missed = [m for m in replayed if m["type"] == "incident"]
    assert {m["row"]["eido_id"] for m in missed} == {
        "urn:emergency:uid:incidentid:2:x",
        "urn:emergency:uid:incidentid:3:x",
    }


async def test_a_console_from_another_server_life_is_told_to_resync(floor: Floor) -> None:
    async with floor.socket("?since=4&epoch=not-this-one") as ws:
        assert (await _next(ws))["type"] == "hello"
        assert (await _next(ws))["type"] == "resync"


async def test_heartbeats_keep_a_quiet_floor_visibly_alive(floor: Floor) -> None:
    async with floor.socket() as ws:
        await _next(ws, "hello")
        ping = await _next(ws)
        assert ping["type"] == "ping"


async def test_no_session_is_refused_with_a_readable_close_code(floor: Floor) -> None:
    async with connect(floor.url(), open_timeout=5) as ws:
        with pytest.raises(ConnectionClosed) as closed:
            await ws.recv()
    assert closed.value.rcvd is not None
    assert (closed.value.rcvd.code, closed.value.rcvd.reason) == (4401, "not_authenticated")


async def test_a_cross_site_page_cannot_open_the_live_channel(floor: Floor) -> None:
    async with floor.socket(Origin="https://evil.example") as ws:
        with pytest.raises(ConnectionClosed) as closed:
            await ws.recv()
    assert closed.value.rcvd is not None
    assert closed.value.rcvd.code == 4403


async def test_the_stream_ends_when_the_session_locks_for_inactivity(
    floor: Floor, clock: ManualClock
) -> None:
    async with floor.socket() as ws:
        await _next(ws, "hello")
        clock.advance(timedelta(minutes=31))
        with pytest.raises(ConnectionClosed) as closed:
            await _next(ws, "never")
    assert closed.value.rcvd is not None
    assert (closed.value.rcvd.code, closed.value.rcvd.reason) == (4401, "session_locked")
