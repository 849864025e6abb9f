"""Incident link: an alert near an open incident in space and time joins it."""

from __future__ import annotations

from watchfloor.correlation.actions import Attach
from watchfloor.correlation.rules.base import RuleContext
from watchfloor.correlation.state import AlertState


def evaluate(alert: AlertState, ctx: RuleContext) -> Attach | None:
    """Attach the alert to the nearest open incident received or updated recently."""
    if alert.incident_id is not None or alert.lat is None or alert.lon is None or not alert.open:
        return None
    settings = ctx.tuning.settings
    horizon = ctx.now - settings.link_window_s
    best: tuple[float, str] | None = None
    near = ctx.memory.incident_grid.around(alert.lat, alert.lon, settings.link_radius_m)
    for incident, distance in near:
        if incident.updated_at < horizon:
            continue
        if best is None or distance < best[0]:
            best = (distance, incident.id)
    if best is None:
        return None
    return Attach(alert.id, best[1], distance_m=round(best[0], 1))
