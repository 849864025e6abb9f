"""Nearest units: the units closest to the alert, for its incident's timeline."""

from __future__ import annotations

from watchfloor.correlation.actions import ListUnits
from watchfloor.correlation.rules.base import RuleContext
from watchfloor.correlation.state import AlertState


def evaluate(alert: AlertState, ctx: RuleContext) -> ListUnits | None:
    """List the nearest units for alerts of the configured kinds that have a location."""
    if alert.kind not in ctx.tuning.units_kinds or alert.lat is None or alert.lon is None:
        return None
    return ListUnits(alert.id, alert.lat, alert.lon, ctx.tuning.settings.units_limit)
