"""Health of components and feeds, as /healthz reports it: state and last-event age, no records."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from watchfloor.core.clock import Clock


class HealthState(StrEnum):
    """ok: working; degraded: working with a problem; down: not working."""

    OK = "ok"
    DEGRADED = "degraded"
    DOWN = "down"


@dataclass(frozen=True)
class HealthReport:
    """One component's or feed's state and an optional short, record-free detail."""

    state: HealthState
    detail: str | None = None
    last_event_age_s: float | None = None


Probe = Callable[[], Awaitable[HealthReport]]


@dataclass
class FeedStatus:
    """What is known about one inbound feed."""

    name: str
    stale_after_s: float
    last_event_at: datetime | None = None
    connected: bool | None = None
    error: str | None = None
    accepted: int = 0
    rejected: int = 0


class HealthRegistry:
    """Components register probes; feeds report events and connection state here."""

    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self._probes: dict[str, Probe] = {}
        self._feeds: dict[str, FeedStatus] = {}

    def add_probe(self, name: str, probe: Probe) -> None:
        """Register an async check for a component (database, bus, audit)."""
        self._probes[name] = probe

    def feed(self, name: str, stale_after_s: float = 900.0) -> FeedStatus:
        """The status record of a feed, created on first use."""
        if name not in self._feeds:
            self._feeds[name] = FeedStatus(name, stale_after_s)
        return self._feeds[name]

    def feed_accepted(self, name: str, count: int = 1) -> None:
        """A feed delivered data that was accepted."""
        status = self.feed(name)
        status.last_event_at = self._clock.now()
        status.accepted += count
        status.error = None

    def feed_rejected(self, name: str, reason: str) -> None:
        """A feed delivered data that was rejected (to quarantine)."""
        status = self.feed(name)
        status.rejected += 1
        status.error = reason[:200]

    def feed_connection(self, name: str, connected: bool, error: str | None = None) -> None:
        """A feed that holds a connection reports its state."""
        status = self.feed(name)
        status.connected = connected
        status.error = error[:200] if error else None

    async def components(self) -> dict[str, HealthReport]:
        """Run every probe; a probe that raises reports the component as down."""
        reports: dict[str, HealthReport] = {}
        for name, probe in self._probes.items():
            try:
                reports[name] = await probe()
            except Exception as exc:  # a failing probe is the answer, not a crash
                reports[name] = HealthReport(HealthState.DOWN, type(exc).__name__)
        return reports

    def feeds(self) -> dict[str, HealthReport]:
        """Each feed's state from its connection and the age of its last accepted event."""
        now = self._clock.now()
        return {name: self._feed_report(status, now) for name, status in self._feeds.items()}

    @staticmethod
    def _feed_report(status: FeedStatus, now: datetime) -> HealthReport:
        age = (now - status.last_event_at).total_seconds() if status.last_event_at else None
        if status.connected is False:
            return HealthReport(HealthState.DOWN, status.error or "disconnected", age)
        if age is None:
            return HealthReport(HealthState.DEGRADED, "no events yet", None)
        if age > status.stale_after_s:
            return HealthReport(HealthState.DEGRADED, "stale", age)
        if status.error:
            return HealthReport(HealthState.DEGRADED, status.error, age)
        return HealthReport(HealthState.OK, None, age)
