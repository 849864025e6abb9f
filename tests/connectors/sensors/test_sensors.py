"""Sensor JSON messages: decoding with named problems, and one alert per activation."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from watchfloor.connectors.sensors.activations import SensorActivations
from watchfloor.connectors.sensors.messages import SensorMessage, decode_sensor_messages
from watchfloor.core.errors import InvalidInput, MalformedInput
from watchfloor.events.alerts import AlertKind

T0 = datetime(2026, 11, 21, 14, 0, tzinfo=UTC)


def message(minute: int = 0, state: str = "active", **extra: Any) -> dict[str, Any]:
    """A flood sensor's message `minute` minutes after T0."""
    return {
        "sensor_id": "FLOOD-0007",
        "kind": "flood",
        "at": (T0 + timedelta(minutes=minute)).isoformat(),
        "latitude": 60.1699,
        "longitude": 24.9384,
        "value": 1.42,
        "unit": "m",
        "severity": "severe",
        "message": "water over the road",
        "state": state,
        "vendor_extra": {"battery": 88},
    } | extra


def decoded(*messages: dict[str, Any]) -> list[SensorMessage]:
    return decode_sensor_messages(json.dumps(list(messages)).encode(), 100)


def test_one_object_or_a_list() -> None:
    [one] = decode_sensor_messages(json.dumps(message()).encode(), 10)
    assert (one.sensor_id, one.kind, one.value, one.state) == (
        "FLOOD-0007",
        "flood",
        1.42,
        "active",
    )
    assert len(decoded(message(), message(1, value="open"))) == 2


@pytest.mark.parametrize(
    ("change", "pointer"),
    [
        ({"latitude": 91}, "/1/latitude"),
        ({"at": "2026-11-21T14:00:00"}, "/1/at"),
        ({"state": "on"}, "/1/state"),
        ({"sensor_id": ""}, "/1/sensor_id"),
        ({"value": [1, 2]}, "/1/value"),
    ],
)
def test_bad_fields_are_named_and_refuse_the_payload(change: dict[str, Any], pointer: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        decoded(message(), message(1, **change))
    assert [p.pointer for p in caught.value.problems] == [pointer]


def test_payload_level_problems() -> None:
    with pytest.raises(MalformedInput):
        decode_sensor_messages(b"{", 10)
    with pytest.raises(InvalidInput):
        decode_sensor_messages(b"[]", 10)
    with pytest.raises(InvalidInput):
        decode_sensor_messages(json.dumps([message()] * 3).encode(), 2)
    with pytest.raises(InvalidInput) as caught:
        decode_sensor_messages(json.dumps({"sensor_id": "X"}).encode(), 2)
    assert "/kind" in {p.pointer for p in caught.value.problems}


def test_one_activation_merges_and_cleared_ends_it() -> None:
    activations = SensorActivations()
    plan = activations.plan(decoded(message(0), message(1), message(2, state="cleared")))
    refs = {r.source_ref for r in plan.reports}
    assert refs == {"FLOOD-0007|flood|2026-11-21T14:00:00+00:00"}
    assert [r.ended for r in plan.reports] == [False, False, True]
    first = plan.reports[0]
    assert (first.kind, first.source, first.subject) == (
        AlertKind.SENSOR,
        "alerts-sensor",
        "FLOOD-0007",
    )
    assert (first.lat, first.lon, first.severity) == (60.1699, 24.9384, "severe")
    assert first.title == "flood at sensor FLOOD-0007: water over the road"
    assert first.details["value"] == 1.42
    activations.commit(plan)
    assert activations.open_count == 0
    again = activations.plan(decoded(message(10)))
    assert again.reports[0].source_ref.endswith("14:10:00+00:00")


def test_nothing_changes_until_the_plan_is_committed() -> None:
    activations = SensorActivations()
    first = activations.plan(decoded(message(0)))
    redelivered = activations.plan(decoded(message(0)))
    assert first.reports[0].source_ref == redelivered.reports[0].source_ref
    assert activations.open_count == 0
    activations.commit(first)
    later = activations.plan(decoded(message(5)))
    assert later.reports[0].source_ref == first.reports[0].source_ref


def test_a_clear_of_nothing_is_ignored_and_a_remembered_activation_ends() -> None:
    activations = SensorActivations()
    plan = activations.plan(decoded(message(0, state="cleared")))
    assert (plan.reports, plan.ignored) == ([], 1)
    activations.remember("FLOOD-0007", "flood", "FLOOD-0007|flood|earlier")
    plan = activations.plan(decoded(message(3, state="cleared")))
    assert [(r.source_ref, r.ended) for r in plan.reports] == [("FLOOD-0007|flood|earlier", True)]


def test_a_new_activation_in_the_same_batch_after_a_clear() -> None:
    activations = SensorActivations()
    plan = activations.plan(decoded(message(0), message(1, state="cleared"), message(2)))
    assert len({r.source_ref for r in plan.reports}) == 2
    activations.commit(plan)
    assert activations.open_count == 1
