"""The hotlisted-read rule: every plate-reader alert on the bus (a hotlist hit, raised or joined
by a repeat read somewhere else) is looked up in the geofence index; a hit inside a zone with
the rule fires once per zone and plate alert."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

from watchfloor.core.bus import EventBus, Subscription
from watchfloor.core.events import Event
from watchfloor.db.engine import Database
from watchfloor.domain.geofences.firings import FiringOutbox
from watchfloor.domain.geofences.rules import hotlist_firings
from watchfloor.domain.geofences.service import GeofenceBook
from watchfloor.events.lpr import PlateAlertRaised

log = logging.getLogger(__name__)

PATTERN = "lpr.alert.*"
KINDS = frozenset({"lpr.alert.raised", "lpr.alert.updated"})
CLOSED = "closed"


class HotlistWatch:
    """Follows plate-reader alerts and fires the geofences' hotlisted-read rule."""

    def __init__(
        self, db: Database, bus: EventBus, book: GeofenceBook, outbox: FiringOutbox
    ) -> None:
        self._db = db
        self._bus = bus
        self._book = book
        self._outbox = outbox
        self._subscription: Subscription | None = None

    def start(self) -> asyncio.Task[None]:
        """Subscribe now (no alert published from here on is missed) and follow in a task."""
        self._subscription = self._bus.subscribe(PATTERN)
        return asyncio.create_task(self._follow(self._subscription), name="geofence-hotlist")

    async def stop(self) -> None:
        """Stop following (the task ends once it has handled what it holds)."""
        if self._subscription is not None:
            self._subscription.close()
            self._subscription = None

    async def _follow(self, subscription: Subscription) -> None:
        with contextlib.suppress(StopAsyncIteration):
            async for event in subscription:
                try:
                    await self.handle(event)
                except Exception:  # one bad event must not end the rule
                    log.exception("plate alert %s not checked against geofences", event.id)

    async def handle(self, event: Event[Any]) -> int:
        """Check one plate-reader alert event; returns how many rules fired."""
        hit = event.payload
        if event.kind not in KINDS or not isinstance(hit, PlateAlertRaised):
            return 0
        if hit.lat is None or hit.lon is None or hit.status == CLOSED:
            return 0
        zones = self._book.containing(hit.lat, hit.lon)
        settings = self._book.settings
        firings = hotlist_firings(
            hit, event.occurred_at, zones, settings.hotlist_priority, settings.timezone
        )
        if not firings:
            return 0
        async with self._db.session() as session:
            stored = await self._outbox.add(session, firings)
        await self._outbox.deliver_pending()
        await self._outbox.announce(stored)
        return len(stored)
