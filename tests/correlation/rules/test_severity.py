"""The severity rule: priorities per alert kind from the settings."""

from __future__ import annotations

from tests.correlation.support import alert, context
from watchfloor.correlation.actions import SetPriority
from watchfloor.correlation.rules import severity


def test_multiple_and_automatic_gunshots_are_priority_1_single_shots_2() -> None:
    ctx = context()
    multiple = alert(details={"type": "multiple"}, priority=2)
    assert severity.evaluate(multiple, ctx) == SetPriority("A1", 1)
    automatic = alert(details={"type": "Automatic"}, priority=3)
    assert severity.evaluate(automatic, ctx) == SetPriority("A1", 1)
    single = alert(details={"type": "single"}, priority=1)
    assert severity.evaluate(single, ctx) == SetPriority("A1", 2)


def test_no_action_when_the_priority_already_fits() -> None:
    assert severity.evaluate(alert(details={"type": "single"}, priority=2), context()) is None
    assert severity.evaluate(alert(kind="panic", priority=1), context()) is None


def test_panic_and_analytics_by_kind() -> None:
    ctx = context()
    assert severity.evaluate(alert(kind="panic", priority=3), ctx) == SetPriority("A1", 1)
    assert severity.evaluate(alert(kind="analytics", priority=1), ctx) == SetPriority("A1", 3)


def test_cap_by_severity_moved_by_urgency() -> None:
    ctx = context()
    extreme_now = alert(
        kind="cap", priority=3, details={"severity": "Extreme", "urgency": "Immediate"}
    )
    assert severity.evaluate(extreme_now, ctx) == SetPriority("A1", 1)
    severe_future = alert(
        kind="cap", priority=5, details={"severity": "Severe", "urgency": "Future"}
    )
    assert severity.evaluate(severe_future, ctx) == SetPriority("A1", 3)
    minor_past = alert(kind="cap", priority=3, details={"severity": "Minor", "urgency": "Past"})
    assert severity.evaluate(minor_past, ctx) == SetPriority("A1", 5)
    unknown = alert(kind="cap", priority=3, details={})
    assert severity.evaluate(unknown, ctx) == SetPriority("A1", 4)


def test_settings_change_the_priorities_and_closed_alerts_are_left_alone() -> None:
    ctx = context(priorities={"gunshot.single": 3, "sensor": 2})
    assert severity.evaluate(alert(details={"type": "single"}), ctx) == SetPriority("A1", 3)
    assert severity.evaluate(alert(kind="sensor", priority=3), ctx) == SetPriority("A1", 2)
    assert severity.evaluate(alert(kind="panic", priority=3), ctx) is None  # not configured
    assert severity.evaluate(alert(status="dismissed", details={"type": "single"}), ctx) is None
