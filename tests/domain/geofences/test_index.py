"""The in-memory index answers which active zones contain a point; hours say when rules apply."""

from __future__ import annotations

from datetime import UTC, datetime, time
from typing import Any

from tests.domain.geofences.support import OUTSIDE, SPOT, body, square
from watchfloor.domain.geofences.index import GeofenceIndex, applies_at
from watchfloor.domain.geofences.schemas import ActiveHours, GeofenceOut

NOW = datetime(2026, 11, 21, 14, 0, tzinfo=UTC)  # a Saturday


def zone(zone_id: str, **fields: Any) -> GeofenceOut:
    document = body(**fields)
    document.setdefault("active", True)
    document.setdefault("hours", None)
    return GeofenceOut.model_validate(
        {
            **document,
            "id": zone_id,
            "created_at": NOW,
            "created_by": "test",
            "updated_at": NOW,
            "updated_by": "test",
        }
    )


def test_a_point_inside_two_overlapping_zones_finds_both_and_outside_none() -> None:
    small = zone("small", polygon=square(half_lat=0.0005, half_lon=0.001))
    large = zone("large", polygon=square(half_lat=0.003, half_lon=0.006))
    elsewhere = zone("elsewhere", polygon=square(center=(60.20, 24.90)))
    index = GeofenceIndex([small, large, elsewhere])

    assert {g.id for g in index.containing(*SPOT)} == {"small", "large"}
    assert [g.id for g in index.containing(SPOT[0] + 0.002, SPOT[1])] == ["large"]
    assert index.containing(*OUTSIDE) == []
    assert index.contains("small", *SPOT)
    assert not index.contains("small", *OUTSIDE)
    assert not index.contains("no-such-zone", *SPOT)


def test_the_edge_counts_as_inside_and_a_concave_notch_as_outside() -> None:
    lat, lon = SPOT
    # a U shape: the notch between its arms is outside although inside the bounding box
    u_shape = [
        [lat - 0.001, lon - 0.002],
        [lat - 0.001, lon + 0.002],
        [lat + 0.001, lon + 0.002],
        [lat + 0.001, lon + 0.001],
        [lat - 0.0005, lon + 0.001],
        [lat - 0.0005, lon - 0.001],
        [lat + 0.001, lon - 0.001],
        [lat + 0.001, lon - 0.002],
        [lat - 0.001, lon - 0.002],
    ]
    index = GeofenceIndex([zone("u", polygon=u_shape)])

    assert index.containing(lat + 0.0005, lon) == []  # in the notch
    assert [g.id for g in index.containing(lat - 0.0008, lon)] == ["u"]  # in the base
    assert [g.id for g in index.containing(lat - 0.001, lon)] == ["u"]  # on the edge


def test_an_inactive_zone_is_not_indexed() -> None:
    index = GeofenceIndex([zone("off", active=False), zone("on", name="On")])

    assert [g.id for g in index.containing(*SPOT)] == ["on"]


def test_monitoring_rules_watch_their_subjects_or_everyone() -> None:
    named = zone("named", rules=[{"rule": "monitored_person_enters", "subjects": ["EM-1", "EM-2"]}])
    anyone = zone("anyone", rules=[{"rule": "monitored_person_leaves"}])
    hotlist = zone("hotlist")
    index = GeofenceIndex([named, anyone, hotlist])

    assert [g.id for g in index.watching("EM-1")] == ["named", "anyone"]
    assert [g.id for g in index.watching("EM-9")] == ["anyone"]


def test_hours_apply_on_their_days_and_may_run_past_midnight() -> None:
    school = zone("s").model_copy(
        update={"hours": ActiveHours(start=time(7), end=time(17), days=["mon", "tue"])}
    )
    night = zone("n").model_copy(
        update={
            "hours": ActiveHours(
                start=time(22), end=time(6), days=["fri"], timezone="Europe/Helsinki"
            )
        }
    )
    monday_noon = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)

    assert applies_at(school, monday_noon, "UTC")
    assert not applies_at(school, NOW, "UTC")  # Saturday
    assert not applies_at(school, monday_noon.replace(hour=17), "UTC")
    # 12:00 UTC is 14:00 in Helsinki, still inside; 15:30 UTC is 17:30 there
    assert applies_at(school, monday_noon, "Europe/Helsinki")
    assert not applies_at(school, monday_noon.replace(hour=15, minute=30), "Europe/Helsinki")
    friday_late = datetime(2026, 11, 20, 21, 0, tzinfo=UTC)  # 23:00 Friday in Helsinki
    saturday_early = datetime(2026, 11, 21, 3, 0, tzinfo=UTC)  # 05:00 Saturday in Helsinki
    assert applies_at(night, friday_late, "UTC")
    assert applies_at(night, saturday_early, "UTC")  # the Friday night's window
    assert not applies_at(night, saturday_early.replace(hour=20), "UTC")  # Saturday 22:00
    assert applies_at(zone("always"), NOW, "UTC")
