"""Field positions into unit positions: friendly SA (atoms `a-f-*`) from a device mapped to a
unit, or whose callsign is a unit's code, is batched into the roster (source "cot"); devices
that map to no unit are counted and listed for the admin to map."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import Counter, OrderedDict
from datetime import timedelta

from pydantic import ValidationError

from watchfloor.connectors.tak.cot import CotEvent
from watchfloor.core.clock import Clock
from watchfloor.core.context import Actor, RequestContext
from watchfloor.core.errors import NotFound
from watchfloor.core.health import HealthRegistry
from watchfloor.domain.units.schemas import UnitPosition
from watchfloor.domain.units.service import UnitRoster
from watchfloor.fieldlink.clients import FieldClient
from watchfloor.fieldlink.devices import DeviceBook
from watchfloor.fieldlink.schemas import UnmappedDevice
from watchfloor.settings_field import FieldLinkSettings

log = logging.getLogger(__name__)

FEED = "fieldlink-cot"
"""The feed-health name of positions from TAK devices."""
CONTEXT = RequestContext(actor=Actor.system("fieldlink"))
SA_PREFIX = "a-f-"
BACKLOG_BATCHES = 20
"""Batches that may wait for the store before the oldest positions are dropped."""


class FieldBridge:
    """Turns field devices' SA into batched roster updates; never blocks the TAK server."""

    def __init__(
        self,
        devices: DeviceBook,
        roster: UnitRoster,
        clock: Clock,
        health: HealthRegistry,
        settings: FieldLinkSettings,
    ) -> None:
        self._devices = devices
        self._roster = roster
        self._clock = clock
        self._health = health
        self._settings = settings
        self._pending: list[UnitPosition] = []
        self._arrived = asyncio.Event()
        self._full = asyncio.Event()
        self._unmapped: OrderedDict[str, UnmappedDevice] = OrderedDict()
        self.counts: Counter[str] = Counter()

    async def on_event(self, event: CotEvent, client: FieldClient) -> None:
        """Take one event a field client sent (the TAK server's on_event)."""
        self.counts["received"] += 1
        if not event.type.startswith(SA_PREFIX):
            return
        callsign = event.callsign or client.callsign
        code = self._devices.unit_for(event.uid, callsign) or await self._unit_named(callsign)
        if code is None:
            self._note_unmapped(event, client, callsign)
            return
        position = self._position(code, event)
        if position is not None:
            self._queue(position)

    def unmapped(self) -> list[UnmappedDevice]:
        """Recent devices that sent SA but map to no unit, most recent first."""
        return sorted(self._unmapped.values(), key=lambda d: d.last_seen_at, reverse=True)

    async def run(self) -> None:
        """Store queued positions in batches (≤ batch_max, or after batch_window_s) until
        cancelled."""
        while True:
            await self._arrived.wait()
            if len(self._pending) < self._settings.batch_max:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._full.wait(), self._settings.batch_window_s)
            await self.flush()

    async def flush(self) -> int:
        """Store one batch of queued positions now; returns the positions the roster applied."""
        size = self._settings.batch_max
        batch, self._pending = self._pending[:size], self._pending[size:]
        if len(self._pending) < size:
            self._full.clear()
        if not self._pending:
            self._arrived.clear()
        if not batch:
            return 0
        self._health.feed(FEED, self._settings.feed_stale_after_s)  # shown once devices report
        try:
            applied = await self._roster.update_positions(batch, CONTEXT, source="cot")
        except Exception:  # the next SA is seconds away; the feed shows the failure meanwhile
            log.exception("fieldlink: could not store %d field positions", len(batch))
            self.counts["failed"] += len(batch)
            self._health.feed_rejected(FEED, "could not store field positions")
            return 0
        self.counts["stored"] += applied
        self._health.feed_accepted(FEED, len(batch))
        return applied

    async def drain(self) -> None:
        """Store everything queued (at stop)."""
        while self._pending:
            await self.flush()

    def _queue(self, position: UnitPosition) -> None:
        limit = self._settings.batch_max * BACKLOG_BATCHES
        if len(self._pending) >= limit:
            del self._pending[0]
            self.counts["dropped"] += 1
            if self.counts["dropped"] % 1000 == 1:
                log.warning("fieldlink: store behind, %d positions dropped", self.counts["dropped"])
        self._pending.append(position)
        self.counts["queued"] += 1
        self._arrived.set()
        if len(self._pending) >= self._settings.batch_max:
            self._full.set()

    async def _unit_named(self, callsign: str | None) -> str | None:
        if not callsign:
            return None
        try:
            return (await self._roster.get(callsign)).code
        except NotFound:
            return None

    def _position(self, code: str, event: CotEvent) -> UnitPosition | None:
        now = self._clock.now()
        at = event.time
        if at > now + timedelta(seconds=self._settings.future_tolerance_s):
            at = now  # a device clock far ahead would hold back every later position
        speed = event.speed_mps if event.speed_mps is not None and event.speed_mps >= 0 else None
        try:
            return UnitPosition(
                unit=code,
                latitude=event.lat,
                longitude=event.lon,
                heading=event.course % 360.0 if event.course is not None else None,
                speed_mps=speed if speed is None or speed <= 150 else None,
                at=at,
            )
        except ValidationError as error:
            self.counts["invalid"] += 1
            log.info("fieldlink: position of %s refused: %s", code, error.errors()[0]["msg"])
            return None

    def _note_unmapped(self, event: CotEvent, client: FieldClient, callsign: str | None) -> None:
        self.counts["unmapped"] += 1
        seen = self._unmapped.pop(event.uid, None)
        self._unmapped[event.uid] = UnmappedDevice(
            uid=event.uid,
            callsign=callsign,
            group=event.group or client.group,
            type=event.type,
            peer=client.peer,
            events=(seen.events if seen else 0) + 1,
            last_seen_at=self._clock.now(),
            lat=event.lat,
            lon=event.lon,
        )
        if seen is None:
            log.info("fieldlink: device %s (%s) maps to no unit", event.uid, callsign or "-")
        while len(self._unmapped) > self._settings.unmapped_kept:
            self._unmapped.popitem(last=False)
