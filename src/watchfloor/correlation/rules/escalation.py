"""Escalation: an alert nobody acknowledged within its priority's limit goes to the supervisor."""

from __future__ import annotations

from watchfloor.correlation.actions import Escalate
from watchfloor.correlation.rules.base import RuleContext
from watchfloor.correlation.state import AlertState


def deadline(alert: AlertState, limits: dict[int, float]) -> float | None:
    """When the alert escalates if still unacknowledged; None when its priority never does."""
    if alert.status != "new" or alert.escalated:
        return None
    limit = limits.get(alert.priority)
    return None if limit is None else alert.seen_at + limit


def evaluate(alert: AlertState, ctx: RuleContext) -> Escalate | None:
    """Escalate the alert when its deadline has passed."""
    due = deadline(alert, ctx.tuning.settings.escalate_after_s)
    if due is None or due > ctx.now:
        return None
    return Escalate(alert.id, alert.priority, waited_s=round(ctx.now - alert.seen_at, 1))
