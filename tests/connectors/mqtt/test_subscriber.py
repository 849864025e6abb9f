"""The shared MQTT subscriber against a real Mosquitto: several topics, one feed name, and
acknowledgement only after delivery."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

import aiomqtt
import pytest

from tests.support.mosquitto import Mosquitto
from watchfloor.connectors.mqtt.subscriber import MqttSubscriber
from watchfloor.core.clock import ManualClock
from watchfloor.core.health import HealthRegistry

WAIT_S = 10.0
TOPICS = ["watchfloor/sensors/#", "frigate/events", "frigate/reviews"]


class Store:
    """The deliver callback: records what arrived, and fails while told to."""

    def __init__(self) -> None:
        self.delivered: list[tuple[str, bytes]] = []
        self.failures_left = 0

    async def deliver(self, topic: str, payload: bytes) -> None:
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


@asynccontextmanager
async def running(
    broker: Mosquitto, store: Store, health: HealthRegistry
) -> AsyncIterator[MqttSubscriber]:
    subscriber = MqttSubscriber(
        broker.url,
        TOPICS,
        store.deliver,
        health,
        feed="alerts-mqtt",
        client_id="watchfloor-alerts-test",
        backoff_initial_s=0.05,
        backoff_max_s=0.2,
    )
    task = asyncio.create_task(subscriber.run())
    try:
        await until(lambda: health.feed("alerts-mqtt").connected is True, "subscribed")
        yield subscriber
    finally:
        await subscriber.stop()
        await asyncio.wait_for(task, WAIT_S)


async def publish(broker: Mosquitto, *messages: tuple[str, bytes]) -> None:
    async with aiomqtt.Client("127.0.0.1", broker.port, identifier="test-publisher") as client:
        for topic, payload in messages:
            await client.publish(topic, payload, qos=1)


@pytest.fixture
def health(clock: ManualClock) -> HealthRegistry:
    return HealthRegistry(clock)


async def test_messages_of_every_topic_arrive_with_their_topic(
    mosquitto: Mosquitto, health: HealthRegistry
) -> None:
    store = Store()
    async with running(mosquitto, store, health):
        await publish(
            mosquitto,
            ("watchfloor/sensors/flood/FLOOD-7", b"{}"),
            ("frigate/events", b"e"),
            ("frigate/reviews", b"r"),
            ("frigate/stats", b"not subscribed"),
        )
        await until(lambda: len(store.delivered) >= 3, "three messages")
    assert [topic for topic, _ in store.delivered] == [
        "watchfloor/sensors/flood/FLOOD-7",
        "frigate/events",
        "frigate/reviews",
    ]
    assert health.feeds()["alerts-mqtt"].state == "down"  # stopped


async def test_a_message_whose_delivery_failed_comes_again(
    mosquitto: Mosquitto, health: HealthRegistry
) -> None:
    store = Store()
    store.failures_left = 1
    async with running(mosquitto, store, health):
        await publish(mosquitto, ("frigate/reviews", b"first"), ("frigate/reviews", b"second"))
        await until(lambda: len(store.delivered) >= 2, "both, after a failure")
    assert [payload for _, payload in store.delivered] == [b"first", b"second"]


def test_a_subscriber_needs_a_topic(health: HealthRegistry) -> None:
    async def deliver(topic: str, payload: bytes) -> None:
        del topic, payload

    with pytest.raises(ValueError, match="topic"):
        MqttSubscriber("mqtt://127.0.0.1", [], deliver, health, feed="x", client_id="y")
