"""The MQTT read feed against a real Mosquitto: delivery, acknowledgement only after delivery,
the persistent session, and reconnection."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

import aiomqtt
import pytest

from tests.support.mosquitto import Mosquitto
from watchfloor.connectors.lpr.mqtt import (
    BrokerAddress,
    MqttReadFeed,
    broker_address,
    reader_from_topic,
)
from watchfloor.core.clock import ManualClock
from watchfloor.core.health import HealthRegistry

TOPIC = "watchfloor/lpr/ALPR-0042/reads"
SUBSCRIPTION = "watchfloor/lpr/+/reads"
WAIT_S = 10.0


class Health(HealthRegistry):
    """A registry that also remembers every connection report, in order."""

    def __init__(self, clock: ManualClock) -> None:
        super().__init__(clock)
        self.reports: list[tuple[bool, str | None]] = []

    def feed_connection(self, name: str, connected: bool, error: str | None = None) -> None:
        self.reports.append((connected, error))
        super().feed_connection(name, connected, error)


class Store:
    """The deliver callback: records what arrived, and fails while told to."""

    def __init__(self) -> None:
        self.delivered: list[tuple[str, bytes]] = []
        self.failures_left = 0
        self.attempts = 0

    async def deliver(self, topic: str, payload: bytes) -> None:
        self.attempts += 1
        if self.failures_left:
            self.failures_left -= 1
            raise RuntimeError("store down")
        self.delivered.append((topic, payload))


async def until(condition: Callable[[], bool], what: str) -> None:
    for _ in range(int(WAIT_S / 0.02)):
        if condition():
            return
        await asyncio.sleep(0.02)
    raise AssertionError(f"not within {WAIT_S} s: {what}")


async def publish(broker: Mosquitto, *payloads: bytes, topic: str = TOPIC) -> None:
    async with aiomqtt.Client("127.0.0.1", broker.port, identifier="test-reader") as reader:
        for payload in payloads:
            await reader.publish(topic, payload, qos=1)


@asynccontextmanager
async def running(
    broker: Mosquitto, store: Store, health: Health, client_id: str = "watchfloor-test"
) -> AsyncIterator[MqttReadFeed]:
    feed = MqttReadFeed(
        broker.url,
        SUBSCRIPTION,
        store.deliver,
        health,
        client_id=client_id,
        backoff_initial_s=0.05,
        backoff_max_s=0.2,
    )
    task = asyncio.create_task(feed.run())
    try:
        yield feed
    finally:
        await feed.stop()
        await asyncio.wait_for(task, WAIT_S)


def connected(health: Health) -> Callable[[], bool]:
    return lambda: bool(health.reports) and health.reports[-1] == (True, None)


@pytest.fixture
def health(clock: ManualClock) -> Health:
    return Health(clock)


async def test_a_published_read_is_delivered_with_its_topic(
    mosquitto: Mosquitto, health: Health
) -> None:
    store = Store()
    async with running(mosquitto, store, health):
        await until(connected(health), "feed connected")
        await publish(mosquitto, b'{"plate": "ABC123"}')
        await until(lambda: len(store.delivered) == 1, "message delivered")
    assert store.delivered == [(TOPIC, b'{"plate": "ABC123"}')]
    assert health.reports[-1] == (False, "stopped")
    assert health.feeds()["lpr-mqtt"].state == "down"


async def test_a_failed_delivery_is_not_acknowledged_and_comes_again(
    mosquitto: Mosquitto, health: Health
) -> None:
    store = Store()
    store.failures_left = 1
    async with running(mosquitto, store, health):
        await until(connected(health), "feed connected")
        await publish(mosquitto, b"read-1", b"read-2")
        await until(lambda: len(store.delivered) == 2, "both delivered after the failure")
    assert store.attempts == 3
    assert [payload for _, payload in store.delivered] == [b"read-1", b"read-2"]
    assert (False, "delivery failed: RuntimeError") in health.reports

    # Once delivered, both were acknowledged: the same session brings only what is new.
    again = Store()
    async with running(mosquitto, again, health):
        await until(connected(health), "feed connected again")
        await publish(mosquitto, b"read-3")
        await until(lambda: len(again.delivered) == 1, "new read delivered")
        await asyncio.sleep(0.2)
    assert [payload for _, payload in again.delivered] == [b"read-3"]


async def test_reads_published_while_watchfloor_is_down_arrive_on_reconnect(
    mosquitto: Mosquitto, health: Health
) -> None:
    first = Store()
    async with running(mosquitto, first, health):
        await until(connected(health), "session created")
    await publish(mosquitto, b"while-down-1", b"while-down-2")
    second = Store()
    async with running(mosquitto, second, health):
        await until(lambda: len(second.delivered) == 2, "queued reads delivered")
    assert first.delivered == []
    assert [payload for _, payload in second.delivered] == [b"while-down-1", b"while-down-2"]


async def test_the_feed_reconnects_and_resubscribes_after_the_broker_restarts(
    mosquitto: Mosquitto, health: Health
) -> None:
    store = Store()
    async with running(mosquitto, store, health):
        await until(connected(health), "feed connected")
        mosquitto.restart()
        await until(lambda: any(not up for up, _ in health.reports), "loss reported")
        await until(connected(health), "feed connected again")
        await publish(mosquitto, b"after-restart")
        await until(lambda: len(store.delivered) == 1, "read after restart delivered")
    lost = [error for up, error in health.reports if not up and error != "stopped"]
    assert lost
    assert lost[0] is not None
    assert lost[0].startswith("broker: ")


async def test_the_feed_retries_until_the_broker_is_up(
    mosquitto: Mosquitto, health: Health
) -> None:
    mosquitto.stop()
    store = Store()
    async with running(mosquitto, store, health):
        await until(lambda: len(health.reports) >= 2, "two failed connection attempts")
        assert all(not up and (error or "").startswith("broker: ") for up, error in health.reports)
        mosquitto.start()
        await until(connected(health), "connected once the broker is up")
        await publish(mosquitto, b"late")
        await until(lambda: len(store.delivered) == 1, "read delivered")


async def test_stop_waits_for_the_delivery_under_way_and_acknowledges_it(
    mosquitto: Mosquitto, health: Health
) -> None:
    started = asyncio.Event()
    release = asyncio.Event()
    delivered: list[bytes] = []

    async def slow(topic: str, payload: bytes) -> None:
        started.set()
        await release.wait()
        delivered.append(payload)

    feed = MqttReadFeed(mosquitto.url, SUBSCRIPTION, slow, health, client_id="wf-slow")
    task = asyncio.create_task(feed.run())
    await until(connected(health), "feed connected")
    await publish(mosquitto, b"slow-read")
    await asyncio.wait_for(started.wait(), WAIT_S)
    stopping = asyncio.create_task(feed.stop())
    await asyncio.sleep(0.1)
    assert not stopping.done()
    release.set()
    await asyncio.wait_for(stopping, WAIT_S)
    await asyncio.wait_for(task, WAIT_S)
    assert delivered == [b"slow-read"]

    # It was acknowledged: the session has nothing left to send.
    store = Store()
    async with running(mosquitto, store, health, client_id="wf-slow"):
        await until(connected(health), "reconnected")
        await publish(mosquitto, b"marker")
        await until(lambda: len(store.delivered) == 1, "marker delivered")
    assert [payload for _, payload in store.delivered] == [b"marker"]


@pytest.mark.parametrize(
    ("topic", "reader"),
    [
        ("watchfloor/lpr/ALPR-0042/reads", "ALPR-0042"),
        ("watchfloor/lpr//reads", None),
        ("watchfloor/lpr/ALPR-0042/status", None),
        ("watchfloor/lpr/a/b/reads", None),
        ("other/lpr/ALPR-0042/reads", None),
        ("watchfloor/lpr/+/reads", None),
    ],
)
def test_reader_from_topic(topic: str, reader: str | None) -> None:
    assert reader_from_topic(topic) == reader


def test_broker_address_from_url() -> None:
    assert broker_address("mqtt://broker.local") == BrokerAddress("broker.local", 1883, False)
    assert broker_address("mqtts://u%40x:p%3Aw@broker.local:9999") == BrokerAddress(
        "broker.local", 9999, True, "u@x", "p:w"
    )


@pytest.mark.parametrize("url", ["http://broker", "mqtt://", "broker:1883"])
def test_broker_address_refuses_other_urls(url: str) -> None:
    with pytest.raises(ValueError, match="mqtt://host"):
        broker_address(url)


def test_a_bad_url_does_not_echo_its_password() -> None:
    with pytest.raises(ValueError, match="URL") as caught:
        broker_address("http://user:secret@broker")
    assert "secret" not in str(caught.value)
