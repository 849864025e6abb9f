"""ONVIF event service in pull mode: a PullPoint subscription (CreatePullPointSubscription,
PullMessages, Renew, Unsubscribe) and `OnvifEventFeed`, the per-camera loop that keeps one alive
and hands each camera event to a `deliver` callback.

The feed renews the subscription at half its lifetime, and when the device stops answering or
refuses the subscription it reconnects with exponential backoff (a fresh subscription; the device
then sends the current state of every property again, as `Initialized` messages). A camera that
answers it has no event service is asked again only after a long recheck wait. Every wait is
jittered, so a city's cameras that failed together do not all come back in the same second."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import time
from collections.abc import Awaitable, Callable, Collection
from datetime import UTC, datetime, timedelta
from typing import Any

from watchfloor.connectors.onvif.device import (
    OnvifAddress,
    OnvifDevice,
    OnvifError,
    OnvifFailure,
)
from watchfloor.connectors.onvif.events import event_from_zeep
from watchfloor.events.cameras import CameraEvent, CameraEventKind

log = logging.getLogger(__name__)

DEFAULT_KINDS = frozenset(CameraEventKind) - {CameraEventKind.OTHER}
Deliver = Callable[[CameraEvent], Awaitable[None]]


def _utc_now() -> datetime:
    return datetime.now(UTC)


def retry_delay(
    failures: int,
    backoff: tuple[float, float],
    *,
    unsupported: bool = False,
    recheck_s: float = 600.0,
    rng: random.Random | None = None,
) -> float:
    """Seconds to wait before subscribing again after `failures` failures in a row: exponential
    from backoff[0] up to backoff[1], or `recheck_s` for a camera without an event service; each
    drawn between half and all of it (jitter), so feeds that failed together come back apart."""
    initial, longest = backoff
    delay = recheck_s if unsupported else min(longest, initial * 2 ** max(0, failures - 1))
    return delay * (rng or random).uniform(0.5, 1.0)


class PullPointSubscription:
    """One PullPoint subscription on a connected device."""

    def __init__(self, device: OnvifDevice, camera: str, lifetime_s: float = 60.0) -> None:
        self.device = device
        self.camera = camera
        self.lifetime_s = lifetime_s
        self._manager: Any = None
        self._pullpoint: Any = None
        self.renewed_at = 0.0

    def _termination(self) -> str:
        return f"PT{max(10, int(self.lifetime_s))}S"

    async def open(self) -> None:
        """Create the subscription and the clients for pulling and for managing it."""
        events = await self.device.service("events")
        request = {"InitialTerminationTime": self._termination()}
        answer = await self.device.call(
            "CreatePullPointSubscription", events.CreatePullPointSubscription(request)
        )
        reference = getattr(answer, "SubscriptionReference", None)
        address = getattr(getattr(reference, "Address", None), "_value_1", None)
        self._manager, self._pullpoint = await self.device.subscription_services(address)
        self.renewed_at = time.monotonic()

    async def pull(self, wait_s: float, limit: int, received_at: datetime) -> list[CameraEvent]:
        """The events the device has for us, waiting up to wait_s for the first."""
        request = {"Timeout": timedelta(seconds=wait_s), "MessageLimit": limit}
        answer = await self.device.call(
            "PullMessages", self._pullpoint.PullMessages(request), wait_s + self.device.timeout_s
        )
        camera_events = []
        for notification in getattr(answer, "NotificationMessage", None) or []:
            event = event_from_zeep(self.camera, notification, received_at)
            if event is not None:
                camera_events.append(event)
        return camera_events

    def renew_due(self) -> bool:
        """True when half the subscription's lifetime has passed since it was made or renewed."""
        return time.monotonic() - self.renewed_at >= self.lifetime_s / 2

    async def renew(self) -> None:
        """Extend the subscription by its lifetime."""
        request = {"TerminationTime": self._termination()}
        await self.device.call("Renew", self._manager.Renew(request))
        self.renewed_at = time.monotonic()

    async def close(self) -> None:
        """Unsubscribe (best effort: the subscription expires on its own anyway)."""
        manager, self._manager = self._manager, None
        if manager is None:
            return
        with contextlib.suppress(OnvifError):
            await self.device.call("Unsubscribe", manager.Unsubscribe())


class OnvifEventFeed:
    """Keeps a PullPoint subscription on one camera and delivers its events, until stopped."""

    def __init__(
        self,
        camera: str,
        address: OnvifAddress,
        deliver: Deliver,
        *,
        timeout_s: float = 5.0,
        wait_s: float = 10.0,
        lifetime_s: float = 60.0,
        backoff_initial_s: float = 1.0,
        backoff_max_s: float = 30.0,
        recheck_unsupported_s: float = 600.0,
        kinds: Collection[CameraEventKind] = DEFAULT_KINDS,
        now: Callable[[], datetime] = _utc_now,
    ) -> None:
        self.camera = camera
        self.address = address
        self.deliver = deliver
        self.timeout_s, self.wait_s, self.lifetime_s = timeout_s, wait_s, lifetime_s
        self.backoff = (backoff_initial_s, backoff_max_s)
        self.recheck_unsupported_s = recheck_unsupported_s
        self.kinds = frozenset(kinds)
        self.now = now
        self.connected = False
        self.connections = 0
        self.delivered = 0
        self.failures = 0
        self.last_error: str | None = None
        self._stopping = asyncio.Event()
        self._tried = asyncio.Event()  # set once the first subscription is up or has failed
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        """Run the feed in a background task."""
        if self._task is None or self._task.done():
            self._stopping.clear()
            self._task = asyncio.create_task(self.run(), name=f"onvif-events-{self.camera}")

    async def tried(self) -> None:
        """Until the first subscription is up or has failed, or the feed was stopped."""
        await self._tried.wait()

    async def stop(self) -> None:
        """Stop the feed, unsubscribing and closing its connection."""
        self._stopping.set()
        self._tried.set()  # a stopped feed tries no more: nobody waits for it
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def run(self) -> None:
        """Subscribe, pull and deliver; on failure wait (backoff) and subscribe again."""
        failures = 0
        while not self._stopping.is_set():
            connections = self.connections
            unsupported = False
            try:
                await self._session()
            except OnvifError as error:
                self.last_error = str(error)
                self.failures += 1
                self._tried.set()
                unsupported = error.failure is OnvifFailure.NOT_SUPPORTED
                log.warning("ONVIF events of camera %s: %s", self.camera, error)
            # A subscription that worked for a while starts the backoff over. A camera that
            # answers it has no event service will not grow one soon: ask again only rarely,
            # rather than costing it and us a connection and a round of SOAP calls each time.
            failures = 1 if self.connections > connections else failures + 1
            delay = retry_delay(
                failures,
                self.backoff,
                unsupported=unsupported,
                recheck_s=self.recheck_unsupported_s,
            )
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), delay)

    async def _session(self) -> None:
        device = OnvifDevice(self.address, timeout_s=self.timeout_s)
        subscription = PullPointSubscription(device, self.camera, self.lifetime_s)
        try:
            await subscription.open()
            self.connected, self.last_error = True, None
            self._tried.set()
            self.connections += 1
            while not self._stopping.is_set():
                if subscription.renew_due():
                    await subscription.renew()
                for event in await subscription.pull(self.wait_s, 100, self.now()):
                    if event.kind in self.kinds:
                        await self.deliver(event)
                        self.delivered += 1
        finally:
            self.connected = False
            await asyncio.shield(_close(subscription, device))


async def _close(subscription: PullPointSubscription, device: OnvifDevice) -> None:
    try:
        await subscription.close()
    finally:
        await device.close()
