"""Callout: outside operating hours, a significant incident calls the on-call supervisor(s) out.

Significant: an alert of a callout kind (gunshot, panic) or a priority at or above
`callout_max_priority`, or a CAD incident of such a priority. One callout per incident."""

from __future__ import annotations

from datetime import datetime

from watchfloor.correlation.actions import CallOut
from watchfloor.correlation.rules.base import RuleContext, Tuning
from watchfloor.correlation.state import AlertState, IncidentState


def staffed(now: float, tuning: Tuning) -> bool:
    """Whether the center is staffed at this moment (its time zone, its hours per weekday)."""
    local = datetime.fromtimestamp(now, tuning.zone)
    span = tuning.hours.get(local.weekday())
    minute = local.hour * 60 + local.minute
    if span is not None:
        start, end = span
        if start <= end and start <= minute < end:
            return True
        if start > end and minute >= start:
            return True
    previous = tuning.hours.get((local.weekday() - 1) % 7)
    # a span past midnight ("22:00-06:00") staffs the small hours of the next day
    return previous is not None and previous[0] > previous[1] and minute < previous[1]


def _key(alert: AlertState) -> str:
    if alert.incident_id is None:
        return f"alert:{alert.id}"
    return f"incident:{alert.incident_id}"  # a pending id is re-keyed once the incident exists


def evaluate(alert: AlertState, ctx: RuleContext) -> CallOut | None:
    """Call out for a significant alert after hours, once per incident (or alert)."""
    tuning = ctx.tuning
    significant = (
        alert.kind in tuning.callout_kinds or alert.priority <= tuning.settings.callout_max_priority
    )
    if not significant or not alert.open or not tuning.settings.on_call:
        return None
    key = _key(alert)
    if key in ctx.memory.called_out or staffed(ctx.now, tuning):
        return None
    summary = f"P{alert.priority} {alert.kind}: {alert.title}"
    details = {
        "alert_kind": alert.kind,
        "address": alert.address,
        "lat": alert.lat,
        "lon": alert.lon,
    }
    return CallOut(key, alert.id, alert.incident_id, summary, details)


def evaluate_incident(
    incident: IncidentState, address: str | None, ctx: RuleContext
) -> CallOut | None:
    """Call out for a CAD incident of a callout priority after hours, once."""
    tuning = ctx.tuning
    if incident.priority is None or incident.priority > tuning.settings.callout_max_priority:
        return None
    key = f"incident:{incident.id}"
    if not tuning.settings.on_call or key in ctx.memory.called_out or staffed(ctx.now, tuning):
        return None
    summary = f"P{incident.priority} incident {incident.type_code}" + (
        f" at {address}" if address else ""
    )
    details = {"type_code": incident.type_code, "address": address}
    return CallOut(key, None, incident.id, summary, details)
