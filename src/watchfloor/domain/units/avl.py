"""AVL from in-vehicle routers: NMEA fixes become unit positions, stored through the roster in
batches (at most `batch_size` per delivery, none waiting longer than `batch_interval_s`).

Each valid fix is mapped to a unit (device id, else the sender's address via the admins'
table); a fix from an unknown sender is counted, logged once per sender and shown in feed
health. Accepted fixes wait in memory only until the next delivery, and stop() stores them.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime, timedelta

from pydantic import ValidationError

from watchfloor.connectors.nmea.listener import ListenerLimits, NmeaListener
from watchfloor.connectors.nmea.parser import NmeaCounts, NmeaFix
from watchfloor.core.clock import Clock
from watchfloor.core.context import RequestContext
from watchfloor.core.health import HealthRegistry
from watchfloor.domain.units.avl_sources import AvlSources
from watchfloor.domain.units.schemas import UnitPosition
from watchfloor.domain.units.service import UnitRoster
from watchfloor.settings_field import AvlSettings

log = logging.getLogger(__name__)

FEED = "avl-nmea"
MAX_SPEED_MPS = 150.0
UNKNOWN_KEPT = 200
_REFUSED_LINES = ("bad_checksum", "garbage", "malformed")


@dataclass
class AvlStats:
    """What became of the fixes the listeners delivered."""

    accepted: int = 0
    stored: int = 0
    no_fix: int = 0
    unknown_sender: int = 0
    no_time: int = 0
    too_old: int = 0
    refused: int = 0
    store_failed: int = 0


class AvlIntake:
    """Listens for NMEA (when ports are set), maps fixes to units and stores them in batches."""

    def __init__(
        self,
        roster: UnitRoster,
        sources: AvlSources,
        health: HealthRegistry,
        clock: Clock,
        settings: AvlSettings,
        system: RequestContext,
    ) -> None:
        self._roster = roster
        self.sources = sources
        self._health = health
        self._clock = clock
        self._settings = settings
        self._system = system
        self.counts = NmeaCounts()
        self.stats = AvlStats()
        self.unknown: OrderedDict[str, datetime] = OrderedDict()
        self.listener: NmeaListener | None = None
        self._pending: list[UnitPosition] = []
        self._due = asyncio.Event()
        self._room = asyncio.Event()
        self._room.set()
        self._lock = asyncio.Lock()
        self._task: asyncio.Task[None] | None = None
        self._refused_seen = 0

    @property
    def enabled(self) -> bool:
        """Whether a listener port is configured."""
        return self._settings.udp_port is not None or self._settings.tcp_port is not None

    async def start(self) -> asyncio.Task[None]:
        """Load the sender table, start the batching task and (when configured) the listeners."""
        await self.sources.load()
        self._task = asyncio.create_task(self.run(), name="avl-batches")
        if self.enabled:
            self._health.feed(FEED, self._settings.feed_stale_after_s)
            self.listener = NmeaListener(
                self.accept,
                host=self._settings.host,
                udp_port=self._settings.udp_port,
                tcp_port=self._settings.tcp_port,
                clock=self._clock,
                limits=_limits(self._settings),
                counts=self.counts,
            )
            await self.listener.start()
        return self._task

    async def stop(self) -> None:
        """Stop listening, then store every fix already accepted."""
        if self.listener is not None:
            await self.listener.stop()
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
        await self.flush()

    async def accept(self, sender: str, fixes: list[NmeaFix]) -> None:
        """The listeners' delivery: valid fixes of known units join the next batch; waits
        while too many positions wait for the store (holding TCP routers back)."""
        positions = [p for p in (self._position(sender, fix) for fix in fixes) if p is not None]
        if positions:
            self._pending.extend(positions)
            self.stats.accepted += len(positions)
            self._health.feed_accepted(FEED, len(positions))
            if len(self._pending) >= self._settings.batch_size:
                self._due.set()
        while len(self._pending) >= self._settings.max_pending:
            self._room.clear()
            self._due.set()
            await self._room.wait()

    async def run(self) -> None:
        """Deliver a batch whenever one is full or the interval has passed, until cancelled."""
        while True:
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(self._settings.batch_interval_s):
                    await self._due.wait()
            self._due.clear()
            self._sync_health()
            await self.flush()

    async def flush(self) -> int:
        """Store every waiting position now, in batches; those a failing store refused wait
        for the next try. Returns the positions the roster applied."""
        applied = 0
        async with self._lock:
            while self._pending:
                batch = self._pending[: self._settings.batch_size]
                try:
                    applied += await self._roster.update_positions(
                        _merged(batch), self._system, source="nmea"
                    )
                except Exception as error:  # the store is down: keep them, retry next interval
                    self._store_failed(error)
                    break
                del self._pending[: len(batch)]
                self.stats.stored += len(batch)
                if len(self._pending) < self._settings.max_pending:
                    self._room.set()
        return applied

    def snapshot(self) -> dict[str, object]:
        """Counters of the sentences, the sockets and the intake, and recent unknown senders."""
        sockets = vars(self.listener.stats) if self.listener is not None else {}
        return {
            "lines": self.counts.as_dict(),
            "sockets": dict(sockets),
            "intake": dict(vars(self.stats)),
            "pending": len(self._pending),
            "unknown_senders": [
                {"sender": sender, "last_seen": seen.isoformat()}
                for sender, seen in reversed(self.unknown.items())
            ],
        }

    def _position(self, sender: str, fix: NmeaFix) -> UnitPosition | None:
        if not fix.valid:
            self.stats.no_fix += 1
            return None
        unit = self.sources.unit_for(sender, fix.device)
        if unit is None:
            self._unknown(sender)
            return None
        if fix.time is None:
            self.stats.no_time += 1
            return None
        at, now = fix.time, self._clock.now()
        if at - now > timedelta(seconds=self._settings.future_tolerance_s):
            at = now
        if now - at > timedelta(seconds=self._settings.max_age_s):
            self.stats.too_old += 1
            return None
        return self._checked(unit, fix, at)

    def _checked(self, unit: str, fix: NmeaFix, at: datetime) -> UnitPosition | None:
        speed = (
            fix.speed_mps if fix.speed_mps is not None and fix.speed_mps <= MAX_SPEED_MPS else None
        )
        try:
            return UnitPosition(
                unit=unit,
                latitude=fix.lat,
                longitude=fix.lon,
                heading=None if fix.course is None else fix.course % 360.0,
                speed_mps=speed,
                at=at,
            )
        except ValidationError:
            self.stats.refused += 1
            return None

    def _unknown(self, sender: str) -> None:
        self.stats.unknown_sender += 1
        if sender not in self.unknown:
            log.warning(
                "avl: fixes from %s dropped: no device id and no AVL source maps it", sender
            )
            if len(self.unknown) >= UNKNOWN_KEPT:
                self.unknown.popitem(last=False)
        self.unknown[sender] = self._clock.now()
        self.unknown.move_to_end(sender)
        self._health.feed_rejected(FEED, f"unknown sender {sender}")

    def _sync_health(self) -> None:
        refused = sum(getattr(self.counts, name) for name in _REFUSED_LINES)
        if refused > self._refused_seen:
            status = self._health.feed(FEED)
            status.rejected += refused - self._refused_seen
            status.error = "bad NMEA lines (checksum, garbage)"
            self._refused_seen = refused

    def _store_failed(self, error: Exception) -> None:
        self.stats.store_failed += 1
        if self.stats.store_failed in (1, 10) or self.stats.store_failed % 100 == 0:
            log.error("avl: could not store %d positions: %r", len(self._pending), error)
        self._health.feed_rejected(FEED, f"store failed: {type(error).__name__}")


def _merged(batch: list[UnitPosition]) -> list[UnitPosition]:
    """One position per unit and time: RMC (with speed and course) over GGA of the same second."""
    best: dict[tuple[str, datetime], UnitPosition] = {}
    for position in batch:
        key = (position.unit, position.at)
        held = best.get(key)
        if held is None or (held.speed_mps is None and position.speed_mps is not None):
            best[key] = position
    return list(best.values())


def _limits(settings: AvlSettings) -> ListenerLimits:
    return ListenerLimits(
        max_line=settings.max_line_bytes,
        udp_queue=settings.udp_queue,
        max_udp_senders=settings.max_udp_senders,
        max_tcp_connections=settings.max_tcp_connections,
        idle_timeout_s=settings.tcp_idle_timeout_s,
    )
