"""The event bus interface and its in-process implementation.

Subjects follow NATS conventions so a JetStream implementation can take the same subscriptions:
tokens are dot-separated, `*` matches one token and `>` matches one or more trailing tokens.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from typing import Any, Protocol

from watchfloor.core.events import Event

log = logging.getLogger(__name__)


def subject_matches(pattern: str, kind: str) -> bool:
    """True when the dotted kind matches the NATS-style subject pattern."""
    p_tokens, k_tokens = pattern.split("."), kind.split(".")
    for i, part in enumerate(p_tokens):
        if part == ">":
            return len(k_tokens) > i
        if i >= len(k_tokens) or part not in ("*", k_tokens[i]):
            return False
    return len(p_tokens) == len(k_tokens)


class Subscription(Protocol):
    """A stream of events matching one pattern; iterate it, close it when done."""

    pattern: str

    @property
    def dropped(self) -> int:
        """Events this subscriber lost because it fell behind."""
        ...

    def __aiter__(self) -> AsyncIterator[Event[Any]]: ...

    async def get(self, timeout: float | None = None) -> Event[Any]:
        """The next event; raises TimeoutError after timeout seconds."""
        ...

    def close(self) -> None: ...


class EventBus(Protocol):
    """Publish typed events and subscribe to them by subject pattern."""

    async def publish(self, event: Event[Any]) -> None: ...

    def subscribe(self, pattern: str, *, max_pending: int = 10_000) -> Subscription: ...

    async def close(self) -> None: ...


class _Closed:
    """Sentinel put on a queue to end iteration."""


class _LocalSubscription:
    """A bounded per-subscriber queue; a slow subscriber loses its oldest events, never blocks."""

    def __init__(self, bus: InProcessBus, pattern: str, max_pending: int) -> None:
        self.pattern = pattern
        self._bus = bus
        self._queue: asyncio.Queue[Event[Any] | _Closed] = asyncio.Queue(max_pending)
        self._dropped = 0
        self._closed = False

    @property
    def dropped(self) -> int:
        return self._dropped

    def offer(self, event: Event[Any]) -> None:
        if self._closed:
            return
        if self._queue.full():
            self._queue.get_nowait()
            self._dropped += 1
            if self._dropped == 1 or self._dropped % 1000 == 0:
                log.warning("subscriber %r behind: %d events dropped", self.pattern, self._dropped)
        self._queue.put_nowait(event)

    async def get(self, timeout: float | None = None) -> Event[Any]:
        item = await asyncio.wait_for(self._queue.get(), timeout)
        if isinstance(item, _Closed):
            raise StopAsyncIteration
        return item

    def __aiter__(self) -> AsyncIterator[Event[Any]]:
        return self._iterate()

    async def _iterate(self) -> AsyncIterator[Event[Any]]:
        while True:
            item = await self._queue.get()
            if isinstance(item, _Closed):
                return
            yield item

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self._bus.unsubscribe(self)
        if self._queue.full():
            self._queue.get_nowait()
        self._queue.put_nowait(_Closed())


class InProcessBus:
    """Delivers events to subscribers in the same process, in publish order."""

    def __init__(self) -> None:
        self._subscriptions: list[_LocalSubscription] = []
        self.published = 0

    async def publish(self, event: Event[Any]) -> None:
        self.published += 1
        for subscription in list(self._subscriptions):
            if subject_matches(subscription.pattern, event.kind):
                subscription.offer(event)

    def subscribe(self, pattern: str, *, max_pending: int = 10_000) -> Subscription:
        subscription = _LocalSubscription(self, pattern, max_pending)
        self._subscriptions.append(subscription)
        return subscription

    def unsubscribe(self, subscription: _LocalSubscription) -> None:
        """Forget a subscription (called by Subscription.close)."""
        if subscription in self._subscriptions:
            self._subscriptions.remove(subscription)

    async def close(self) -> None:
        for subscription in list(self._subscriptions):
            subscription.close()
