"""Frigate's MQTT contract on recorded messages: one alert per activity (a review and its
updates; the tracked objects it lists merge into it), one per tracked object without reviews."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from watchfloor.connectors.frigate.activities import FrigateActivities
from watchfloor.connectors.frigate.messages import EventMessage, ReviewMessage, decode
from watchfloor.core.errors import InvalidInput, MalformedInput
from watchfloor.events.alerts import AlertKind, AlertReport

FIXTURES = Path(__file__).parent / "fixtures"
REVIEW = "1763733601.308396-fqk5ka"


def recorded(name: str) -> list[tuple[str, bytes]]:
    """The (topic, payload) messages of a recording, in order."""
    lines = (FIXTURES / name).read_text().splitlines()
    return [(m["topic"], json.dumps(m["payload"]).encode()) for m in map(json.loads, lines)]


def _play(activities: FrigateActivities, name: str) -> list[AlertReport | None]:
    reports: list[AlertReport | None] = []
    for topic, payload in recorded(name):
        message = decode("events" if topic.endswith("/events") else "reviews", payload)
        if isinstance(message, ReviewMessage):
            reports.append(activities.on_review(message))
        else:
            assert isinstance(message, EventMessage)
            reports.append(activities.on_event(message))
    return reports


def test_one_activity_is_one_alert_and_its_end_ends_it() -> None:
    reports = _play(FrigateActivities(), "front_cam_activity.jsonl")
    made = [r for r in reports if r is not None]
    assert reports[0] is None  # the person before any review: the review carries it
    assert {r.source_ref for r in made} == {REVIEW}
    assert {(r.kind, r.source) for r in made} == {(AlertKind.ANALYTICS, "alerts-frigate")}
    assert [r.severity for r in made][:2] == ["detection", "detection"]
    assert made[-1].severity == "alert"
    assert made[-1].ended
    assert not any(r.ended for r in made[:-1])
    last = made[-1]
    assert last.title == "person, car on front_cam in driveway"
    assert last.subject == "front_cam"
    assert last.details["detections"] == ["1763733601.120034-k3v9qa", "1763733603.881210-x72mfd"]
    assert last.occurred_at.timestamp() == pytest.approx(1763733601.308396)


def test_tracked_objects_of_a_review_add_their_label_score_and_zones() -> None:
    reports = _play(FrigateActivities(), "front_cam_activity.jsonl")
    person_update = reports[2]
    assert person_update is not None
    assert person_update.source_ref == REVIEW
    assert person_update.details["event"]["label"] == "person"
    assert person_update.details["event"]["top_score"] == pytest.approx(0.91)
    assert person_update.details["event"]["current_zones"] == ["driveway"]
    assert not person_update.ended  # an object ending does not end the activity


def test_names_from_face_recognition_never_reach_a_report() -> None:
    for report in _play(FrigateActivities(), "front_cam_activity.jsonl"):
        assert report is None or "Bob" not in json.dumps(report.model_dump(mode="json"))


def test_without_reviews_each_tracked_object_is_its_own_alert() -> None:
    reports = _play(FrigateActivities(reviews=False), "frigate_013_events.jsonl")
    assert all(r is not None for r in reports)
    refs = {r.source_ref for r in reports if r is not None}
    assert refs == {"1607123955.475377-mxklsc"}
    assert [r.ended for r in reports if r is not None] == [False, False, False, True]
    first = reports[0]
    assert first is not None
    assert first.title == "person on front_door in yard, driveway"


def test_false_positives_make_no_report() -> None:
    [(_topic, payload)] = recorded("frigate_013_events.jsonl")[:1]
    message = json.loads(payload)
    message["after"]["false_positive"] = True
    decoded = decode("events", json.dumps(message).encode())
    assert isinstance(decoded, EventMessage)
    assert FrigateActivities(reviews=False).on_event(decoded) is None


def test_a_remembered_review_takes_its_objects_back() -> None:
    first = FrigateActivities()
    reports = _play(first, "front_cam_activity.jsonl")
    last = reports[-2]  # the car's end, merged into the review
    assert last is not None
    restarted = FrigateActivities()
    restarted.remember(last.details)
    topic, payload = recorded("front_cam_activity.jsonl")[6]
    assert topic == "frigate/events"
    event = decode("events", payload)
    assert isinstance(event, EventMessage)
    report = restarted.on_event(event)
    assert report is not None
    assert report.source_ref == REVIEW


@pytest.mark.parametrize(
    ("kind", "change", "pointer"),
    [
        ("reviews", {"type": "started"}, "/type"),
        ("reviews", {"after": {"id": "x", "camera": "c", "start_time": 1.0}}, "/after/severity"),
        ("events", {"after": {"id": "x", "camera": "c", "start_time": 1.0}}, "/after/label"),
    ],
)
def test_bad_messages_name_the_field(kind: str, change: dict[str, Any], pointer: str) -> None:
    source = "front_cam_activity.jsonl"
    index = 1 if kind == "reviews" else 0
    message = json.loads(recorded(source)[index][1]) | change
    with pytest.raises(InvalidInput) as caught:
        decode("reviews" if kind == "reviews" else "events", json.dumps(message).encode())
    assert caught.value.problems[0].pointer == pointer
    with pytest.raises(MalformedInput):
        decode("events", b"{not json")
