"""The gunshot incident rule: an unattached gunshot opens a local incident at its location."""

from __future__ import annotations

from tests.correlation.support import LAT, LON, NOW, alert, context
from watchfloor.correlation.actions import OpenIncident
from watchfloor.correlation.rules import gunshot_incident


def test_an_unattached_gunshot_opens_an_incident_with_its_priority_and_place() -> None:
    shot = alert(priority=1, address="Mannerheimintie 1", title="Multiple gunshots (7 rounds)")
    action = gunshot_incident.evaluate(shot, context(now=NOW + 3))
    assert isinstance(action, OpenIncident)
    assert action.pending_id == "pending:A1"
    spec = action.spec
    assert (spec.priority, spec.lat, spec.lon, spec.address) == (1, LAT, LON, "Mannerheimintie 1")
    assert (spec.type_code, spec.type_text) == ("Shots Fired", "Multiple gunshots (7 rounds)")
    assert spec.occurred_at.timestamp() == NOW
    assert spec.reported_at.timestamp() == NOW + 3


def test_attached_placeless_or_other_kinds_open_nothing() -> None:
    ctx = context(gunshot_incident_type="SHOTS")
    assert gunshot_incident.evaluate(alert(incident_id="I1"), ctx) is None
    assert gunshot_incident.evaluate(alert(lat=None, lon=None), ctx) is None
    assert gunshot_incident.evaluate(alert(kind="panic"), ctx) is None
    action = gunshot_incident.evaluate(alert(), ctx)
    assert action is not None
    assert action.spec.type_code == "SHOTS"
