"""The escalation rule: unacknowledged past the limit of its priority."""

from __future__ import annotations

from tests.correlation.support import NOW, alert, context
from watchfloor.correlation.actions import Escalate
from watchfloor.correlation.rules import escalation


def test_a_priority_1_alert_escalates_after_60_seconds() -> None:
    fresh = alert(priority=1)
    assert escalation.deadline(fresh, {1: 60.0}) == NOW + 60
    assert escalation.evaluate(fresh, context(now=NOW + 59)) is None
    assert escalation.evaluate(fresh, context(now=NOW + 61)) == Escalate("A1", 1, 61.0)


def test_acknowledged_escalated_or_unlimited_alerts_never_escalate() -> None:
    late = context(now=NOW + 3600)
    assert escalation.evaluate(alert(priority=1, status="acknowledged"), late) is None
    assert escalation.evaluate(alert(priority=1, escalated=True), late) is None
    assert escalation.evaluate(alert(priority=5), late) is None


def test_limits_come_from_the_settings() -> None:
    ctx = context(now=NOW + 20, escalate_after_s={2: 15.0})
    assert escalation.evaluate(alert(priority=2), ctx) == Escalate("A1", 2, 20.0)
    assert escalation.evaluate(alert(priority=1), ctx) is None
