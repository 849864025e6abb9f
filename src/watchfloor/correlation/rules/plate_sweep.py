"""Plate sweep: plate reads within a radius and a time window around the alert."""

from __future__ import annotations

from watchfloor.correlation.actions import SweepPlates
from watchfloor.correlation.rules.base import RuleContext
from watchfloor.correlation.state import AlertState


def evaluate(alert: AlertState, ctx: RuleContext) -> SweepPlates | None:
    """Sweep reads from `sweep_before_s` before the alert until now, for the configured kinds."""
    if alert.kind not in ctx.tuning.sweep_kinds or alert.lat is None or alert.lon is None:
        return None
    settings = ctx.tuning.settings
    start = alert.occurred_at - settings.sweep_before_s
    end = max(ctx.now, alert.occurred_at)
    return SweepPlates(alert.id, alert.lat, alert.lon, start, end, settings.sweep_radius_m)
