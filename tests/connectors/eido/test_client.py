"""The CAD link against a real local STA-024 notifier (tests/support/cad_server.py)."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import orjson
import pytest

from tests.connectors.eido.documents import NOW, full_document
from tests.support.cad_server import CadServer, eventually
from watchfloor.connectors.eido.client import FEED, CadLinkClient
from watchfloor.connectors.eido.messages import SUBPROTOCOL
from watchfloor.core.clock import ManualClock
from watchfloor.core.health import HealthRegistry, HealthState
from watchfloor.settings import CadLinkSettings


@dataclass
class Sink:
    """Collects what the client hands on; can be told to fail for one EIDO id."""

    health: HealthRegistry
    received: list[bytes] = field(default_factory=list)
    fail_for: str | None = None

    async def __call__(self, raw: bytes, source: str) -> None:
        assert source == FEED
        if self.fail_for and orjson.loads(raw).get("$id") == self.fail_for:
            raise RuntimeError("store unavailable")
        self.received.append(raw)
        self.health.feed_accepted(source)

    def ids(self) -> list[str]:
        return [orjson.loads(raw)["$id"] for raw in self.received]


@dataclass
class Link:
    server: CadServer
    client: CadLinkClient
    sink: Sink
    health: HealthRegistry
    task: asyncio.Task[None]


def eido(n: int) -> dict[str, object]:
    return {**full_document(), "$id": f"urn:emergency:uid:incidentid:{n}:cad.example.gov"}


def settings(url: str, **changes: object) -> CadLinkSettings:
    base: dict[str, object] = {
        "url": url,
        "expires_s": 3600,
        "renew_margin_s": 1,
        "backoff_initial_s": 0.2,
        "backoff_max_s": 1.0,
    }
    return CadLinkSettings.model_validate({**base, **changes})


async def start(server: CadServer, **changes: object) -> Link:
    clock = ManualClock(NOW)
    health = HealthRegistry(clock)
    sink = Sink(health)
    client = CadLinkClient(settings(server.url, **changes), sink, health, clock)
    task = asyncio.create_task(client.run())
    await eventually(lambda: client.subscription_id is not None)
    return Link(server, client, sink, health, task)


@pytest.fixture
async def link() -> AsyncIterator[Link]:
    async with CadServer() as server:
        started = await start(server, min_rate_s=30)
        try:
            yield started
        finally:
            await started.client.stop()
            await asyncio.wait_for(started.task, 3)


async def test_subscribe_handshake(link: Link) -> None:
    ((_, request),) = link.server.subscribes
    assert link.server.subprotocols == [SUBPROTOCOL]
    assert (request.request_type, request.request_sub_type) == ("EIDO", "new")
    assert (request.subscription_id, request.expires, request.min_rate) == (None, 3600, 30)
    assert link.client.subscription_id == link.server.subscription_id
    assert link.health.feed(FEED).connected is True


async def test_eidos_reach_the_sink_in_order_and_are_acknowledged(link: Link) -> None:
    first = await link.server.notify(eido(1), eido(2), eido(3))
    second = await link.server.notify(eido(4))
    await eventually(lambda: len(link.server.acks) == 2)
    assert link.sink.ids() == [str(eido(n)["$id"]) for n in (1, 2, 3, 4)]
    assert orjson.loads(link.sink.received[0]) == eido(1)
    assert [(a.transaction_id, a.status_code) for a in link.server.acks] == [
        (first, 200),
        (second, 200),
    ]
    assert link.health.feeds()[FEED].state is HealthState.OK
    assert link.client.last_notify_at == NOW


async def test_empty_keepalive_notify_is_acknowledged(link: Link) -> None:
    await link.server.notify()
    await eventually(lambda: len(link.server.acks) == 1)
    assert link.sink.received == []


async def test_a_failing_sink_is_reported_and_the_rest_delivered(link: Link) -> None:
    link.sink.fail_for = str(eido(2)["$id"])
    await link.server.notify(eido(1), eido(2), eido(3))
    await eventually(lambda: len(link.server.acks) == 1)
    assert link.sink.ids() == [str(eido(1)["$id"]), str(eido(3)["$id"])]
    (ack,) = link.server.acks
    assert (ack.status_code, ack.status_text) == (500, "1 of 3 EIDOs not accepted")
    assert link.health.feed(FEED).rejected == 1
    await link.server.notify(eido(2))
    await eventually(lambda: len(link.server.acks) == 2)
    status = link.health.feed(FEED)
    assert (status.rejected, status.error) == (2, "sink failed for a notified EIDO")
    assert link.health.feeds()[FEED].state is HealthState.DEGRADED


async def test_renewal_happens_before_expiry() -> None:
    async with CadServer(expires=2) as server:
        link = await start(server, min_rate_s=30)
        try:
            await eventually(lambda: len(server.subscribes) >= 3, timeout=4)
        finally:
            await link.client.stop()
            await asyncio.wait_for(link.task, 3)
    (t0, first), (t1, renewal), (t2, _) = server.subscribes[:3]
    assert renewal.subscription_id == first.subscription_id or first.subscription_id is None
    assert renewal.subscription_id is not None
    assert (renewal.min_rate, renewal.max_rate) == (None, None)
    assert 0.8 <= t1 - t0 < 2.0
    assert 0.8 <= t2 - t1 < 2.0
    assert server.connected_at[1:] == [], "renewal must not reconnect"


async def test_unanswered_renewal_reconnects_and_resubscribes() -> None:
    async with CadServer(expires=2) as server:
        server.answer_renewals = False
        link = await start(server)
        try:
            await eventually(lambda: len(server.connected_at) == 2, timeout=4)
            await eventually(lambda: server.subscribes[-1][1].subscription_id is None)
            (t0, _), (_, renewal), (t2, _) = server.subscribes
            assert renewal.subscription_id is not None
            assert 1.8 <= t2 - t0 < 3.0, "gives up at expiry, then reconnects"
        finally:
            await link.client.stop()
            await asyncio.wait_for(link.task, 3)


async def test_reconnects_with_backoff_after_a_drop_and_health_follows() -> None:
    async with CadServer() as server:
        link = await start(server, backoff_initial_s=0.5)
        try:
            first_id = link.client.subscription_id
            server.drop()
            await eventually(lambda: link.health.feed(FEED).connected is False)
            assert link.health.feeds()[FEED].state is HealthState.DOWN
            await eventually(lambda: len(server.connected_at) == 2)
            await eventually(lambda: link.client.subscription_id is not None)
            assert server.connected_at[1] - server.connected_at[0] >= 0.4
            assert len(server.subscribes) == 2
            assert server.subscribes[1][1].subscription_id is None
            assert link.client.subscription_id not in (None, first_id)
            assert link.health.feed(FEED).connected is True
            await server.notify(eido(9))
            await eventually(lambda: link.sink.ids() == [str(eido(9)["$id"])])
            assert link.health.feeds()[FEED].state is HealthState.OK
        finally:
            await link.client.stop()
            await asyncio.wait_for(link.task, 3)


async def test_refused_subscriptions_back_off_exponentially() -> None:
    async with CadServer() as server:
        server.refuse_next = 3
        clock = ManualClock(NOW)
        health = HealthRegistry(clock)
        client = CadLinkClient(
            settings(server.url, backoff_initial_s=0.1, backoff_max_s=5.0),
            Sink(health),
            health,
            clock,
        )
        task = asyncio.create_task(client.run())
        try:
            await eventually(lambda: client.subscription_id is not None, timeout=4)
            assert health.feed(FEED).connected is True
        finally:
            await client.stop()
            await asyncio.wait_for(task, 3)
    starts = server.connected_at
    gaps = [b - a for a, b in itertools.pairwise(starts)]
    assert len(gaps) == 3
    assert gaps[0] >= 0.08
    assert gaps[1] > gaps[0] * 1.2
    assert gaps[2] > gaps[1] * 1.2


async def test_refusal_is_reported_as_down() -> None:
    async with CadServer() as server:
        server.refuse_next = 1
        clock = ManualClock(NOW)
        health = HealthRegistry(clock)
        client = CadLinkClient(
            settings(server.url, backoff_initial_s=1.0), Sink(health), health, clock
        )
        task = asyncio.create_task(client.run())
        try:
            await eventually(lambda: health.feed(FEED).connected is False)
            report = health.feeds()[FEED]
            assert report.state is HealthState.DOWN
            assert report.detail is not None
            assert "403 Forbidden" in report.detail
        finally:
            await client.stop()
            await asyncio.wait_for(task, 3)


async def test_terminate_is_acknowledged_and_the_link_resubscribes(link: Link) -> None:
    old = link.client.subscription_id
    await link.server.terminate()
    await eventually(lambda: len(link.server.terminate_acks) == 1)
    assert link.server.terminate_acks[0].subscription_id == old
    await eventually(lambda: link.client.subscription_id not in (None, old))
    assert len(link.server.connected_at) == 2


async def test_stop_unsubscribes_and_ends_run(link: Link) -> None:
    subscription = link.client.subscription_id
    await link.client.stop()
    await asyncio.wait_for(link.task, 1)
    assert [u.subscription_id for u in link.server.unsubscribes] == [subscription]
    assert link.health.feed(FEED).connected is False
    assert link.client.subscription_id is None


async def test_stop_while_the_notifier_is_unreachable() -> None:
    async with CadServer() as server:
        url = server.url
    clock = ManualClock(NOW)
    health = HealthRegistry(clock)
    client = CadLinkClient(settings(url, backoff_initial_s=5.0), Sink(health), health, clock)
    task = asyncio.create_task(client.run())
    await eventually(lambda: health.feed(FEED).connected is False)
    assert "ConnectionRefused" in (health.feed(FEED).error or "")
    await client.stop()
    await asyncio.wait_for(task, 1)


async def test_stop_before_run_returns_at_once() -> None:
    clock = ManualClock(NOW)
    health = HealthRegistry(clock)
    client = CadLinkClient(settings("ws://127.0.0.1:9"), Sink(health), health, clock)
    await asyncio.wait_for(client.stop(), 0.5)


def test_tls_settings_need_wss() -> None:
    clock = ManualClock(NOW)
    health = HealthRegistry(clock)
    with pytest.raises(ValueError, match="wss://"):
        CadLinkClient(
            settings("ws://127.0.0.1:9", ca_file="/nonexistent/ca.pem"), Sink(health), health, clock
        )
    with pytest.raises(ValueError, match="url is not set"):
        CadLinkClient(CadLinkSettings(), Sink(health), health, clock)
