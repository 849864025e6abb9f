"""ONVIF rule-engine analytics topics mapped to camera events (face recognition dropped)."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.connectors.onvif.recorded_camera import FIXTURES
from watchfloor.connectors.onvif.events import classify, parse_notifications
from watchfloor.events.cameras import CameraEventKind

NOW = datetime(2026, 11, 21, 14, 0, tzinfo=UTC)
K = CameraEventKind


def test_analytics_topics_are_classified() -> None:
    assert classify("tns1:RuleEngine/LineDetector/Crossed")[0] is K.LINE_CROSSED
    assert classify("tns1:RuleEngine/FieldDetector/ObjectsInside") == (K.OBJECTS_INSIDE, "IsInside")
    assert classify("tns1:RuleEngine/LoiteringDetector/ObjectIsLoitering")[0] is K.LOITERING
    assert classify("tns1:RuleEngine/ObjectDetection/Object")[0] is K.OBJECT_DETECTED


def test_the_recorded_hikvision_field_detector_state_carries_its_rule_and_object() -> None:
    events = parse_notifications((FIXTURES / "hikvision_pull_messages.xml").read_bytes(), "C", NOW)
    [field] = [e for e in events if e.kind is K.OBJECTS_INSIDE]
    assert (field.active, field.operation) == (False, "Initialized")
    assert field.source["Rule"] == "MyFieldDetector1"
    assert field.source["ObjectId"] == "0"  # from tt:Key


def test_vendor_analytics_map_to_camera_events() -> None:
    events = parse_notifications((FIXTURES / "derived_analytics.xml").read_bytes(), "CAM-3", NOW)
    assert [(e.kind, e.active) for e in events] == [
        (K.OBJECTS_INSIDE, False),
        (K.OBJECTS_INSIDE, True),
        (K.OBJECTS_INSIDE, True),
        (K.OBJECTS_INSIDE, False),
        (K.OBJECTS_INSIDE, False),
        (K.LINE_CROSSED, True),
        (K.LINE_CROSSED, True),  # ObjectId "0" is an object, not a false state
        (K.LINE_CROSSED, True),
        (K.LOITERING, True),
        (K.LOITERING, False),
        (K.OBJECT_DETECTED, True),
    ]
    assert events[1].bus_kind == "camera.objects_inside.started"
    assert events[5].source["Rule"] == "MyLineDetector1"
    assert events[5].data == {"ObjectId": "1"}
    assert events[10].data["ClassTypes"] == "Human"


def test_face_recognition_is_dropped_not_passed_on() -> None:
    events = parse_notifications((FIXTURES / "derived_analytics.xml").read_bytes(), "CAM-3", NOW)
    assert all("Face" not in e.topic for e in events)
    assert all("Jane Doe" not in e.data.values() for e in events)
