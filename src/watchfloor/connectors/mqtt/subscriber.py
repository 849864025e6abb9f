"""A persistent QoS 1 subscription to one or more topics whose messages are acknowledged only
after `deliver` returned (the message is stored or quarantined).

paho-mqtt, under aiomqtt, normally sends the PUBACK of a QoS 1 message as soon as it reads it off
the socket, and aiomqtt 2.5.1 offers no manual acknowledgement; so the subscriber switches paho's
manual acknowledgement on and sends each PUBACK only after `deliver` returned. When `deliver`
raises (the store is down) it drops the connection without the PUBACK and reconnects after its
backoff; the broker keeps the session (clean session off, fixed client id) and sends the message
again, and those after it. Messages published while Watchfloor is down wait in the same session,
for as long as the broker keeps it. Delivery is at least once: a connection lost between
`deliver` and its PUBACK brings the message again.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import ssl
from collections.abc import Awaitable, Callable, Sequence

import aiomqtt
from paho.mqtt.client import MQTT_ERR_SUCCESS
from paho.mqtt.reasoncodes import ReasonCode

from watchfloor.connectors.mqtt.broker import broker_address
from watchfloor.core.health import HealthRegistry

log = logging.getLogger(__name__)

Deliver = Callable[[str, bytes], Awaitable[None]]
"""Takes a message's topic and payload; raises only when it could not keep the message."""

CONNECT_TIMEOUT_S = 10.0
KEEPALIVE_S = 30
STOP_TIMEOUT_S = 10.0


class DeliveryFailed(Exception):
    """`deliver` raised: the message stays unacknowledged for the broker to send again."""


class _AckingClient(aiomqtt.Client):
    """An aiomqtt client whose QoS 1 messages are acknowledged by the caller, not on receipt."""

    def acknowledge_manually(self) -> None:
        """Leave every PUBACK to ack(); must be called before connecting."""
        self._client.manual_ack_set(True)

    def ack(self, message: aiomqtt.Message) -> None:
        """Send the PUBACK of a QoS 1 message (QoS 0 messages have none)."""
        if message.qos == 0:
            return
        rc = self._client.ack(message.mid, message.qos)
        if rc != MQTT_ERR_SUCCESS:
            raise aiomqtt.MqttCodeError(rc, "could not acknowledge a message")


class MqttSubscriber:
    """Subscribes to `topics` and hands each message to `deliver`, acknowledging it to the
    broker only after `deliver` returned; reports its connection to health as `feed`."""

    def __init__(
        self,
        url: str,
        topics: Sequence[str],
        deliver: Deliver,
        health: HealthRegistry,
        *,
        feed: str,
        client_id: str,
        backoff_initial_s: float = 1.0,
        backoff_max_s: float = 30.0,
    ) -> None:
        if not topics:
            raise ValueError("an MQTT subscriber needs at least one topic")
        self._address = broker_address(url)
        self._tls = ssl.create_default_context() if self._address.tls else None
        self.topics = list(dict.fromkeys(topics))
        self._deliver = deliver
        self._health = health
        self.feed = feed
        self._client_id = client_id
        self._backoff_initial_s = backoff_initial_s
        self._backoff_max_s = max(backoff_max_s, backoff_initial_s)
        self._random = random.SystemRandom()
        self._stopping = asyncio.Event()
        self._stopped = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._delivering = False

    async def run(self) -> None:
        """Connect, subscribe and deliver until stop(); reconnect with backoff on any loss."""
        self._task = asyncio.current_task()
        self._stopped.clear()
        backoff = self._backoff_initial_s
        try:
            while not self._stopping.is_set():
                subscribed, error = await self._session()
                if self._stopping.is_set():
                    break
                log.warning("%s lost: %s", self.feed, error)
                self._health.feed_connection(self.feed, False, error)
                if subscribed:
                    backoff = self._backoff_initial_s
                await self._pause(self._jittered(backoff))
                backoff = min(backoff * 2, self._backoff_max_s)
        except asyncio.CancelledError:
            if not self._stopping.is_set() or self._task is None:
                raise
            self._task.uncancel()  # stop() cancelled a connect or a delivery that took too long
        finally:
            self._health.feed_connection(self.feed, False, "stopped")
            self._task = None
            self._stopped.set()

    async def stop(self) -> None:
        """End run(): a delivery under way finishes and is acknowledged first."""
        self._stopping.set()
        task = self._task
        if task is None or task is asyncio.current_task():
            return
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stopped.wait(), STOP_TIMEOUT_S)
        if not self._stopped.is_set():
            task.cancel()
            await self._stopped.wait()

    def _jittered(self, delay: float) -> float:
        # Jitter keeps many Watchfloor nodes from reconnecting in lockstep after a broker restart.
        return min(delay * self._random.uniform(0.8, 1.2), self._backoff_max_s)

    async def _pause(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stopping.wait(), seconds)

    def _client(self) -> _AckingClient:
        client = _AckingClient(
            self._address.host,
            self._address.port,
            username=self._address.username,
            password=self._address.password,
            identifier=self._client_id,
            protocol=aiomqtt.ProtocolVersion.V311,
            clean_session=False,
            tls_context=self._tls,
            timeout=CONNECT_TIMEOUT_S,
            keepalive=KEEPALIVE_S,
        )
        client.acknowledge_manually()
        return client

    async def _session(self) -> tuple[bool, str]:
        """One connection's life: whether it got subscribed and why it ended."""
        subscribed = False
        try:
            # A new client each time: messages a lost connection left queued are not ours to ack.
            async with self._client() as client:
                await self._subscribe(client)
                subscribed = True
                self._health.feed_connection(self.feed, True)
                log.info("%s subscribed to %s", self.feed, ", ".join(self.topics))
                await self._receive(client)
        except aiomqtt.MqttError as exc:
            return subscribed, f"broker: {exc}"
        except DeliveryFailed as exc:
            return subscribed, str(exc)
        return subscribed, "stopped"

    async def _subscribe(self, client: _AckingClient) -> None:
        granted: Sequence[int | ReasonCode] = await client.subscribe(
            [(topic, 1) for topic in self.topics]
        )
        refused = [t for t, code in zip(self.topics, granted, strict=False) if _refused(code)]
        if refused:
            raise aiomqtt.MqttError(f"subscription to {', '.join(refused)} refused")

    async def _receive(self, client: _AckingClient) -> None:
        """Deliver messages until the connection ends or stop() is called."""
        consumer = asyncio.create_task(self._consume(client))
        stopping = asyncio.create_task(self._stopping.wait())
        try:
            await asyncio.wait({consumer, stopping}, return_when=asyncio.FIRST_COMPLETED)
            if not consumer.done() and not self._delivering:
                consumer.cancel()
            await asyncio.wait({consumer})
            if not consumer.cancelled():
                consumer.result()
        finally:
            consumer.cancel()
            stopping.cancel()

    async def _consume(self, client: _AckingClient) -> None:
        async for message in client.messages:
            self._delivering = True
            try:
                await self._deliver(message.topic.value, message.payload)
            except Exception as exc:  # the store's failure: leave the message to the broker
                raise DeliveryFailed(f"delivery failed: {type(exc).__name__}") from exc
            finally:
                self._delivering = False
            client.ack(message)
            if self._stopping.is_set():
                return


def _refused(code: int | ReasonCode) -> bool:
    if isinstance(code, ReasonCode):
        return code.is_failure
    return code >= 0x80
