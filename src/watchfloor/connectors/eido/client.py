"""The CAD link: a NENA-STA-024 subscriber that receives EIDOs over a WebSocket and hands them on.

It connects, subscribes to new-incident EIDOs, acknowledges every notification, renews the
subscription before it expires and reconnects with exponential backoff and jitter when the
connection or the subscription is lost. It only conveys: each EIDO goes to the sink as JSON
bytes, and the sink (the incident intake) validates, stores or quarantines it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import ssl
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

import orjson
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import WebSocketException
from websockets.typing import Subprotocol

from watchfloor.connectors.eido.messages import (
    OK,
    SUBPROTOCOL,
    EventResponse,
    Message,
    Notify,
    ProtocolError,
    Subscribe,
    SubscribeResponse,
    Terminate,
    TerminateResponse,
    Unsubscribe,
    UnsubscribeResponse,
    decode,
    encode,
)
from watchfloor.core.clock import Clock
from watchfloor.core.health import HealthRegistry
from watchfloor.settings import CadLinkSettings

log = logging.getLogger(__name__)

FEED = "cad-link"
RESPONSE_TIMEOUT_S = 10.0
UNSUBSCRIBE_TIMEOUT_S = 2.0
STOP_TIMEOUT_S = 5.0
MAX_MESSAGE_BYTES = 16 * 1024 * 1024

Sink = Callable[[bytes, str], Awaitable[None]]


class SubscriptionLost(Exception):
    """The notifier refused, terminated or stopped answering the subscription."""


def tls_context(settings: CadLinkSettings) -> ssl.SSLContext | None:
    """The TLS context for a wss:// link (server verified, client certificate when configured)."""
    url = settings.url or ""
    if not url.startswith("wss://"):
        if settings.client_cert or settings.ca_file:
            raise ValueError("cad_link TLS settings need a wss:// url")
        return None
    context = ssl.create_default_context(cafile=settings.ca_file)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    if settings.client_cert:
        context.load_cert_chain(settings.client_cert, settings.client_key)
    return context


class CadLinkClient:
    """Subscribes to a CAD's EIDO notifier and hands each EIDO (JSON bytes) to the sink."""

    def __init__(
        self,
        settings: CadLinkSettings,
        sink: Sink,
        health: HealthRegistry,
        clock: Clock,
    ) -> None:
        if not settings.url:
            raise ValueError("cad_link.url is not set")
        self._settings = settings
        self._url = settings.url
        self._sink = sink
        self._health = health
        self._clock = clock
        self._tls = tls_context(settings)
        self._random = random.SystemRandom()
        self._stopping = asyncio.Event()
        self._stopped = asyncio.Event()
        self._running = False
        self.subscription_id: str | None = None
        self.last_notify_at: datetime | None = None

    async def run(self) -> None:
        """Connect, subscribe and receive until stop(); reconnect with backoff on any loss."""
        self._running = True
        self._stopped.clear()
        backoff = self._settings.backoff_initial_s
        try:
            while not self._stopping.is_set():
                subscribed, error = await self._connection()
                self.subscription_id = None
                if self._stopping.is_set():
                    break
                log.warning("cad-link lost: %s", error)
                self._health.feed_connection(FEED, False, error)
                if subscribed:
                    backoff = self._settings.backoff_initial_s
                await self._pause(self._jittered(backoff))
                backoff = min(backoff * 2, self._settings.backoff_max_s)
        finally:
            self._health.feed_connection(FEED, False, "stopped")
            self._running = False
            self._stopped.set()

    async def stop(self) -> None:
        """Unsubscribe, close the connection and end run()."""
        self._stopping.set()
        if self._running:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopped.wait(), STOP_TIMEOUT_S)

    def _jittered(self, delay: float) -> float:
        # Jitter keeps many subscribers from reconnecting in lockstep after a notifier restart.
        jittered = min(delay, self._settings.backoff_max_s) * self._random.uniform(0.8, 1.2)
        return min(jittered, self._settings.backoff_max_s)

    async def _pause(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stopping.wait(), seconds)

    async def _connection(self) -> tuple[bool, str]:
        """One connection's life; returns whether it got subscribed and why it ended."""
        subscribed = False
        try:
            async with connect(
                self._url,
                subprotocols=[Subprotocol(SUBPROTOCOL)],
                ssl=self._tls,
                proxy=None,
                open_timeout=RESPONSE_TIMEOUT_S,
                max_size=MAX_MESSAGE_BYTES,
            ) as ws:
                expires = await self._subscribe(ws)
                subscribed = True
                self._health.feed_connection(FEED, True)
                log.info("cad-link subscribed: %s, expires %d s", self.subscription_id, expires)
                await self._receive(ws, expires)
        except (OSError, TimeoutError, WebSocketException, SubscriptionLost, ProtocolError) as exc:
            return subscribed, f"{type(exc).__name__}: {exc}"
        return subscribed, "connection closed"

    async def _subscribe(self, ws: ClientConnection) -> int:
        request = Subscribe(expires=self._settings.expires_s, min_rate=self._settings.min_rate_s)
        await ws.send(encode(request))
        async with asyncio.timeout(RESPONSE_TIMEOUT_S):
            while True:
                message = await self._next(ws)
                if (
                    isinstance(message, SubscribeResponse)
                    and message.request_id == request.request_id
                ):
                    return self._accepted(message)
                if message is not None:
                    await self._handle(ws, message)

    def _accepted(self, response: SubscribeResponse) -> int:
        if response.status_code != OK or not response.subscription_id:
            raise SubscriptionLost(
                f"subscription refused: {response.status_code} {response.status_text}".strip()
            )
        self.subscription_id = response.subscription_id
        return response.expires or self._settings.expires_s

    def _renew_after(self, expires: int) -> float:
        return max(expires - self._settings.renew_margin_s, expires / 2)

    async def _receive(self, ws: ClientConnection, expires: int) -> None:
        loop = asyncio.get_running_loop()
        expires_at = loop.time() + expires
        renew_at = loop.time() + self._renew_after(expires)
        pending: str | None = None
        stop = asyncio.ensure_future(self._stopping.wait())
        try:
            while True:
                recv = asyncio.ensure_future(ws.recv())
                timeout = max(0.0, renew_at - loop.time())
                await asyncio.wait({recv, stop}, timeout=timeout, return_when="FIRST_COMPLETED")
                if not recv.done():
                    await _cancel(recv)
                    if stop.done():
                        await self._unsubscribe(ws)
                        return
                    if pending is not None:
                        raise SubscriptionLost("renewal not answered before expiry")
                    pending = await self._renew(ws)
                    renew_at = max(expires_at, loop.time() + 0.1)
                    continue
                message = _decoded(recv.result())
                if isinstance(message, SubscribeResponse) and message.request_id == pending:
                    expires = self._accepted(message)
                    expires_at = loop.time() + expires
                    renew_at = loop.time() + self._renew_after(expires)
                    pending = None
                elif message is not None:
                    await self._handle(ws, message)
        finally:
            await _cancel(stop)

    async def _renew(self, ws: ClientConnection) -> str:
        # A renewal names the subscription and MUST NOT carry min/max rate (STA-024 §2.1.5.1).
        request = Subscribe(subscription_id=self.subscription_id, expires=self._settings.expires_s)
        await ws.send(encode(request))
        return request.request_id

    async def _unsubscribe(self, ws: ClientConnection) -> None:
        if not self.subscription_id:
            return
        request = Unsubscribe(subscription_id=self.subscription_id)
        with contextlib.suppress(WebSocketException, TimeoutError):
            await ws.send(encode(request))
            async with asyncio.timeout(UNSUBSCRIBE_TIMEOUT_S):
                while not isinstance(message := await self._next(ws), UnsubscribeResponse):
                    if isinstance(message, Notify):
                        await ws.send(encode(await self._deliver(message)))
        self.subscription_id = None

    async def _next(self, ws: ClientConnection) -> Message | None:
        return _decoded(await ws.recv())

    async def _handle(self, ws: ClientConnection, message: Message) -> None:
        if isinstance(message, Notify):
            await ws.send(encode(await self._deliver(message)))
        elif isinstance(message, Terminate):
            reply = TerminateResponse(
                request_id=message.request_id, subscription_id=message.subscription_id
            )
            await ws.send(encode(reply))
            raise SubscriptionLost(f"terminated by the notifier: {message.reason or 'no reason'}")
        else:
            log.debug("cad-link ignores %s", type(message).__name__)

    async def _deliver(self, notify: Notify) -> EventResponse:
        """Hand each EIDO to the sink in order; a failing sink is logged and reported, and the
        notifier is told in the acknowledgement's status."""
        self.last_notify_at = self._clock.now()
        failed = 0
        for eido in notify.notification:
            try:
                await self._sink(orjson.dumps(eido), FEED)
            except Exception:  # the sink's own failure: report it, keep conveying the rest
                failed += 1
                log.exception(
                    "cad-link: sink failed for EIDO %s (transaction %s)",
                    _eido_id(eido),
                    notify.transaction_id,
                )
                self._health.feed_rejected(FEED, "sink failed for a notified EIDO")
        if failed:
            text = f"{failed} of {len(notify.notification)} EIDOs not accepted"
            return EventResponse(
                transaction_id=notify.transaction_id, status_code=500, status_text=text
            )
        return EventResponse(transaction_id=notify.transaction_id)


def _decoded(raw: str | bytes) -> Message | None:
    try:
        return decode(raw)
    except ProtocolError as exc:
        log.warning("cad-link: unreadable message ignored: %s", exc)
        return None


def _eido_id(eido: Any) -> str:
    return str(eido.get("$id")) if isinstance(eido, dict) else "(not an object)"


async def _cancel(task: asyncio.Future[Any]) -> None:
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
