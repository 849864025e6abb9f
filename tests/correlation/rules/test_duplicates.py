"""The duplicates rule: several sources about one event merge into the alert seen first."""

from __future__ import annotations

from tests.correlation.support import NOW, alert, context, moved
from watchfloor.correlation.actions import Merge
from watchfloor.correlation.rules import duplicates


def test_a_second_vendor_about_the_same_shot_merges_into_the_first() -> None:
    first = alert("A1", sources=("shotspotter",))
    lat, lon = moved(north_m=60)
    second = alert(
        "A2", sources=("flock-raven",), lat=lat, lon=lon, seen_at=NOW + 2, occurred_at=NOW + 1
    )
    ctx = context(first, second)
    action = duplicates.evaluate(second, ctx)
    assert isinstance(action, Merge)
    assert (action.into_id, action.duplicate_id) == ("A1", "A2")
    assert 55 < action.distance_m < 65


def test_a_panic_near_a_gunshot_merges_but_an_analytics_alert_does_not() -> None:
    shot = alert("A1")
    panic = alert("A2", kind="panic", seen_at=NOW + 5, occurred_at=NOW + 4)
    analytics = alert("A3", kind="analytics", seen_at=NOW + 5)
    ctx = context(shot, panic, analytics)
    assert duplicates.evaluate(panic, ctx) == Merge("A1", "A2", 0.0)
    assert duplicates.evaluate(analytics, ctx) is None


def test_too_far_too_late_or_the_same_source_is_not_a_duplicate() -> None:
    shot = alert("A1", sources=("vendor-a",))
    far_lat, far_lon = moved(east_m=400)
    far = alert("A2", sources=("vendor-b",), lat=far_lat, lon=far_lon, seen_at=NOW + 1)
    late = alert("A3", sources=("vendor-b",), occurred_at=NOW + 300, seen_at=NOW + 300)
    same = alert("A4", sources=("vendor-a",), seen_at=NOW + 1)
    ctx = context(shot, far, late, same)
    assert duplicates.evaluate(far, ctx) is None
    assert duplicates.evaluate(late, ctx) is None
    assert duplicates.evaluate(same, ctx) is None


def test_closed_alerts_and_alerts_without_a_place_are_not_merged() -> None:
    closed = alert("A1", sources=("vendor-a",), status="closed")
    newcomer = alert("A2", sources=("vendor-b",), seen_at=NOW + 1)
    nowhere = alert("A3", sources=("vendor-c",), lat=None, lon=None, seen_at=NOW + 1)
    ctx = context(closed, newcomer, nowhere)
    assert duplicates.evaluate(newcomer, ctx) is None
    assert duplicates.evaluate(nowhere, ctx) is None


def test_the_window_and_radius_come_from_the_settings() -> None:
    shot = alert("A1", sources=("vendor-a",))
    lat, lon = moved(north_m=250)
    other = alert(
        "A2", sources=("vendor-b",), lat=lat, lon=lon, occurred_at=NOW + 90, seen_at=NOW + 90
    )
    assert duplicates.evaluate(other, context(shot, other)) is None
    wide = context(shot, other, duplicate_radius_m=300, duplicate_window_s=120)
    assert duplicates.evaluate(other, wide) is not None
