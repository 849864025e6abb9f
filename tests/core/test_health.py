"""Feed and component health as /healthz reports it."""

from __future__ import annotations

from datetime import timedelta

from watchfloor.core.clock import ManualClock
from watchfloor.core.health import HealthRegistry, HealthReport, HealthState


async def test_feed_goes_ok_then_stale_then_down(clock: ManualClock) -> None:
    registry = HealthRegistry(clock)
    registry.feed("cad-link", stale_after_s=60)
    assert registry.feeds()["cad-link"].state is HealthState.DEGRADED
    registry.feed_accepted("cad-link")
    clock.advance(timedelta(seconds=10))
    report = registry.feeds()["cad-link"]
    assert report.state is HealthState.OK
    assert report.last_event_age_s == 10
    clock.advance(timedelta(seconds=60))
    assert registry.feeds()["cad-link"].detail == "stale"
    registry.feed_connection("cad-link", False, "connection refused")
    assert registry.feeds()["cad-link"].state is HealthState.DOWN


async def test_probe_that_raises_reports_down(clock: ManualClock) -> None:
    registry = HealthRegistry(clock)

    async def broken() -> HealthReport:
        raise ConnectionError("store gone")

    async def fine() -> HealthReport:
        return HealthReport(HealthState.OK)

    registry.add_probe("database", broken)
    registry.add_probe("bus", fine)
    reports = await registry.components()
    assert reports["database"].state is HealthState.DOWN
    assert reports["database"].detail == "ConnectionError"
    assert reports["bus"].state is HealthState.OK
