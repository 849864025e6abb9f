"""Fixtures of the correlation tests: a Watchfloor whose engine runs, and alert helpers."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from typing import Any

import pytest

from tests.correlation.support import LAT, LON, moved
from tests.support.smtp import smtp_server  # noqa: F401
from watchfloor.app import Watchfloor
from watchfloor.core.context import Actor, RequestContext
from watchfloor.correlation.engine import CorrelationEngine
from watchfloor.events.alerts import AlertKind, AlertReport

FEED = RequestContext(actor=Actor(username="feed:test"))


@pytest.fixture
async def engine(wf: Watchfloor) -> AsyncIterator[CorrelationEngine]:
    """The Watchfloor's correlation engine, started (stopped with the Watchfloor)."""
    await wf.cue_store.load()
    wf.correlation.use(units=wf.units)
    await wf.correlation.start()
    yield wf.correlation
    await wf.correlation.stop()


def report(
    wf: Watchfloor,
    kind: AlertKind = AlertKind.GUNSHOT,
    *,
    source: str = "gunshot-http",
    ref: str = "det-1",
    north_m: float = 0.0,
    east_m: float = 0.0,
    after_s: float = 0.0,
    **fields: Any,
) -> AlertReport:
    """A report at the test point (moved by metres), occurring now on the Watchfloor's clock."""
    lat, lon = moved(north_m, east_m) if (north_m or east_m) else (LAT, LON)
    occurred: datetime = wf.clock.now() + timedelta(seconds=after_s)
    values: dict[str, Any] = {
        "kind": kind,
        "source": source,
        "source_ref": ref,
        "occurred_at": occurred,
        "title": f"{kind.value} at the test point",
        "lat": lat,
        "lon": lon,
    }
    return AlertReport(**(values | fields))


async def raise_alert(
    wf: Watchfloor, engine: CorrelationEngine, *reports: AlertReport
) -> list[str]:
    """Deliver reports to the alert desk, let the engine settle; the alert ids."""
    receipts = await wf.alerts.receive(list(reports), FEED)
    await engine.settle()
    return [r.alert_id for r in receipts]
