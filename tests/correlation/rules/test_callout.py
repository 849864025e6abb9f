"""The callout rule: outside operating hours a significant incident calls the on-call out."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from tests.correlation.support import alert, context, incident
from watchfloor.correlation.rules import callout
from watchfloor.correlation.rules.base import Tuning
from watchfloor.settings import CorrelationSettings

ON_CALL = [{"name": "Sgt. Virtanen", "email": "virtanen@example.test"}]
HELSINKI = ZoneInfo("Europe/Helsinki")


def _at(text: str) -> float:
    return datetime.fromisoformat(text).replace(tzinfo=HELSINKI).timestamp()


def _tuning(**settings: object) -> Tuning:
    return Tuning.of(CorrelationSettings(timezone="Europe/Helsinki", **settings))


def test_staffed_hours_per_weekday_in_the_centres_time_zone() -> None:
    tuning = _tuning(hours={"mon": "07:00-19:00", "fri": "22:00-06:00"})
    assert callout.staffed(_at("2026-11-23T07:00"), tuning)  # Monday
    assert not callout.staffed(_at("2026-11-23T06:59"), tuning)
    assert not callout.staffed(_at("2026-11-23T19:00"), tuning)
    assert not callout.staffed(_at("2026-11-24T12:00"), tuning)  # Tuesday: not staffed
    assert callout.staffed(_at("2026-11-27T23:30"), tuning)  # Friday night
    assert callout.staffed(_at("2026-11-28T05:59"), tuning)  # ... into Saturday morning
    assert not callout.staffed(_at("2026-11-28T06:00"), tuning)


def test_a_gunshot_after_hours_calls_out_once_per_incident() -> None:
    saturday = _at("2026-11-21T16:00")
    ctx = context(now=saturday, on_call=ON_CALL, timezone="Europe/Helsinki")
    shot = alert(incident_id="pending:A1", address="Mannerheimintie 1", priority=1)
    action = callout.evaluate(shot, ctx)
    assert action is not None
    assert action.subject_key == "incident:pending:A1"
    assert action.summary == "P1 gunshot: gunshot alert"
    ctx.memory.called_out.add(action.subject_key)
    assert callout.evaluate(alert("A2", incident_id="pending:A1"), ctx) is None


def test_no_callout_in_hours_for_minor_alerts_or_without_an_on_call_list() -> None:
    monday_noon = _at("2026-11-23T12:00")
    saturday = _at("2026-11-21T16:00")
    assert callout.evaluate(alert(), context(now=monday_noon, on_call=ON_CALL)) is None
    minor = alert(kind="analytics", priority=3)
    assert callout.evaluate(minor, context(now=saturday, on_call=ON_CALL)) is None
    urgent = alert(kind="sensor", priority=1)
    assert callout.evaluate(urgent, context(now=saturday, on_call=ON_CALL)) is not None
    assert callout.evaluate(alert(), context(now=saturday)) is None


def test_a_priority_1_cad_incident_after_hours_calls_out() -> None:
    saturday = _at("2026-11-21T16:00")
    ctx = context(now=saturday, on_call=ON_CALL)
    action = callout.evaluate_incident(incident(priority=1), "Aleksanterinkatu 5", ctx)
    assert action is not None
    assert (action.subject_key, action.incident_id) == ("incident:I1", "I1")
    assert "Aleksanterinkatu 5" in action.summary
    assert callout.evaluate_incident(incident(priority=2), None, ctx) is None
