"""Shared bits of the correlation tests: alerts and incidents in memory, a rule context."""

from __future__ import annotations

import math
from datetime import UTC, datetime
from typing import Any

from watchfloor.correlation.rules.base import RuleContext, Tuning
from watchfloor.correlation.state import AlertState, IncidentState, Memory
from watchfloor.settings import CorrelationSettings

NOW = datetime(2026, 11, 21, 14, 0, tzinfo=UTC).timestamp()  # a Saturday, 14:00 UTC
LAT, LON = 60.1699, 24.9384
METRES_PER_DEGREE = 6_371_008.8 * math.pi / 180.0


def moved(north_m: float = 0.0, east_m: float = 0.0) -> tuple[float, float]:
    """The test point moved by metres north and east."""
    lat = LAT + north_m / METRES_PER_DEGREE
    lon = LON + east_m / (METRES_PER_DEGREE * math.cos(math.radians(LAT)))
    return lat, lon


def alert(alert_id: str = "A1", kind: str = "gunshot", **fields: Any) -> AlertState:
    """An open alert at the test point, seen and occurred now."""
    values: dict[str, Any] = {
        "id": alert_id,
        "kind": kind,
        "status": "new",
        "priority": 2,
        "title": f"{kind} alert",
        "occurred_at": NOW,
        "seen_at": NOW,
        "lat": LAT,
        "lon": LON,
        "sources": (f"{kind}-http",),
    }
    return AlertState(**(values | fields))


def incident(incident_id: str = "I1", **fields: Any) -> IncidentState:
    """An open incident at the test point, updated now."""
    values: dict[str, Any] = {
        "id": incident_id,
        "lat": LAT,
        "lon": LON,
        "priority": 2,
        "status": "received",
        "type_code": "Shots Fired",
        "updated_at": NOW,
    }
    return IncidentState(**(values | fields))


def context(
    *alerts: AlertState,
    incidents: tuple[IncidentState, ...] = (),
    now: float = NOW,
    **settings: Any,
) -> RuleContext:
    """A rule context whose memory holds the alerts and incidents given."""
    memory = Memory(3600)
    for one in alerts:
        memory.remember_alert(one)
    for other in incidents:
        memory.remember_incident(other)
    return RuleContext(memory, Tuning.of(CorrelationSettings(**settings)), now)
