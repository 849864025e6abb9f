"""Duplicates: several sources about one event (two gunshot vendors, a gunshot and a panic button
within a short distance and time) merge into the alert seen first, every source kept."""

from __future__ import annotations

from watchfloor.correlation.actions import Merge
from watchfloor.correlation.rules.base import RuleContext
from watchfloor.correlation.state import AlertState


def _same_event(alert: AlertState, other: AlertState, ctx: RuleContext) -> bool:
    settings = ctx.tuning.settings
    if other.id == alert.id or not other.open or other.merged_into is not None:
        return False
    if abs(other.occurred_at - alert.occurred_at) > settings.duplicate_window_s:
        return False
    if frozenset((alert.kind, other.kind)) not in ctx.tuning.duplicate_pairs:
        return False
    return not set(alert.sources) & set(other.sources)


def evaluate(alert: AlertState, ctx: RuleContext) -> Merge | None:
    """Merge a new alert into the first-seen open alert it repeats, if any."""
    if alert.lat is None or alert.lon is None or not alert.open:
        return None
    radius = ctx.tuning.settings.duplicate_radius_m
    best: tuple[float, float, AlertState] | None = None
    for other, distance in ctx.memory.alert_grid.around(alert.lat, alert.lon, radius):
        if not _same_event(alert, other, ctx):
            continue
        rank = (other.seen_at, distance)
        if best is None or rank < best[:2]:
            best = (*rank, other)
    if best is None:
        return None
    return Merge(into_id=best[2].id, duplicate_id=alert.id, distance_m=round(best[1], 1))
