"""The incident link rule: an alert near an open incident in space and time joins it."""

from __future__ import annotations

from tests.correlation.support import NOW, alert, context, incident, moved
from watchfloor.correlation.actions import Attach
from watchfloor.correlation.rules import incident_link


def test_an_alert_near_an_open_incident_attaches_to_the_nearest() -> None:
    near_lat, near_lon = moved(north_m=100)
    far_lat, far_lon = moved(north_m=250)
    ctx = context(
        incidents=(
            incident("I-near", lat=near_lat, lon=near_lon),
            incident("I-far", lat=far_lat, lon=far_lon),
        )
    )
    action = incident_link.evaluate(alert(kind="analytics"), ctx)
    assert isinstance(action, Attach)
    assert action.incident_id == "I-near"
    assert 95 < action.distance_m < 105


def test_no_link_when_too_far_too_old_closed_or_already_attached() -> None:
    far_lat, far_lon = moved(east_m=1000)
    assert (
        incident_link.evaluate(alert(), context(incidents=(incident(lat=far_lat, lon=far_lon),)))
        is None
    )
    old = incident(updated_at=NOW - 3600)
    assert incident_link.evaluate(alert(), context(incidents=(old,))) is None
    closed = incident(status="closed")
    assert incident_link.evaluate(alert(), context(incidents=(closed,))) is None
    attached = alert(incident_id="I-other")
    assert incident_link.evaluate(attached, context(incidents=(incident(),))) is None


def test_a_pending_incident_counts() -> None:
    pending = incident("pending:A0", pending=True)
    action = incident_link.evaluate(alert("A9", kind="panic"), context(incidents=(pending,)))
    assert action == Attach("A9", "pending:A0", 0.0)
