"""Severity: the priority an alert's kind deserves (gunshot type, panic, CAP severity/urgency)."""

from __future__ import annotations

from watchfloor.correlation.actions import SetPriority
from watchfloor.correlation.rules.base import RuleContext, Tuning
from watchfloor.correlation.state import AlertState


def _text(value: object) -> str:
    return str(value).strip().lower() if value is not None else ""


def _cap_priority(alert: AlertState, tuning: Tuning) -> int | None:
    priorities = tuning.settings.priorities
    severity = _text(alert.details.get("severity")) or "unknown"
    base = priorities.get(f"cap.{severity}", priorities.get("cap"))
    if base is None:
        return None
    shift = tuning.settings.cap_urgency_shift.get(_text(alert.details.get("urgency")), 0)
    return min(5, max(1, base + shift))


def priority_for(alert: AlertState, tuning: Tuning) -> int | None:
    """The priority the settings give this alert; None when they say nothing about it."""
    priorities = tuning.settings.priorities
    if alert.kind == "gunshot":
        shot_type = _text(alert.details.get("type"))
        return priorities.get(f"gunshot.{shot_type}", priorities.get("gunshot"))
    if alert.kind == "cap":
        return _cap_priority(alert, tuning)
    return priorities.get(alert.kind)


def evaluate(alert: AlertState, ctx: RuleContext) -> SetPriority | None:
    """Set the alert's priority when its kind's rule gives another one."""
    if not alert.open:
        return None
    priority = priority_for(alert, ctx.tuning)
    if priority is None or priority == alert.priority:
        return None
    return SetPriority(alert.id, priority)
