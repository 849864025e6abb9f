"""Gunshot incident: a gunshot that joined no incident opens a local one at its location."""

from __future__ import annotations

from datetime import UTC, datetime

from watchfloor.correlation.actions import OpenIncident
from watchfloor.correlation.rules.base import RuleContext
from watchfloor.correlation.state import AlertState
from watchfloor.domain.incidents.local import LocalIncident


def evaluate(alert: AlertState, ctx: RuleContext) -> OpenIncident | None:
    """Open a local incident for an unattached gunshot with a location."""
    if alert.kind != "gunshot" or alert.incident_id is not None or not alert.open:
        return None
    if alert.lat is None or alert.lon is None:
        return None
    spec = LocalIncident(
        type_code=ctx.tuning.settings.gunshot_incident_type,
        type_text=alert.title,
        priority=alert.priority,
        lat=alert.lat,
        lon=alert.lon,
        address=alert.address,
        occurred_at=datetime.fromtimestamp(alert.occurred_at, UTC),
        reported_at=datetime.fromtimestamp(ctx.now, UTC),
    )
    return OpenIncident(alert.id, spec)
