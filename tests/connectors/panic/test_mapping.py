"""Panic-button presses become Priority 1 panic reports with the owner and the device."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import orjson
import pytest

from watchfloor.connectors.panic.mapping import decode_panic
from watchfloor.core.errors import InvalidInput
from watchfloor.events.alerts import AlertKind

PRESS: dict[str, Any] = {
    "device_id": "PB-0042",
    "owner": "Jane Roe",
    "pressed_at": "2026-11-21T16:00:05+02:00",
    "latitude": 44.9801,
    "longitude": -93.2702,
    "accuracy_m": 12.5,
    "address": "12 Hennepin Ave",
    "phone": "+1 612 555 0100",
    "note": "silent alarm",
    "battery": 0.81,
}


def test_a_press_is_a_priority_1_panic_alert() -> None:
    [report] = decode_panic(orjson.dumps(PRESS))
    assert report.kind == AlertKind.PANIC
    assert report.priority == 1
    assert report.source == "alerts-panic"
    assert report.source_ref == "PB-0042@2026-11-21T14:00:05Z"
    assert report.occurred_at == datetime(2026, 11, 21, 14, 0, 5, tzinfo=UTC)
    assert report.title == "Panic button: Jane Roe"
    assert report.subject == "PB-0042"
    assert (report.lat, report.lon, report.location_error_m) == (44.9801, -93.2702, 12.5)
    assert report.address == "12 Hennepin Ave"
    assert report.details == {
        "owner": "Jane Roe",
        "device_id": "PB-0042",
        "phone": "+1 612 555 0100",
        "accuracy_m": 12.5,
        "note": "silent alarm",
    }


def test_the_same_press_in_another_offset_is_the_same_alert() -> None:
    again = {**PRESS, "pressed_at": "2026-11-21T14:00:05Z"}
    [first], [second] = decode_panic(orjson.dumps(PRESS)), decode_panic(orjson.dumps(again))
    assert first.source_ref == second.source_ref


def test_bad_presses_name_each_field() -> None:
    bad = {
        "device_id": 42.5,
        "owner": None,
        "pressed_at": "yesterday",
        "latitude": -95,
        "longitude": 10,
        "accuracy_m": "far",
    }
    with pytest.raises(InvalidInput) as refused:
        decode_panic(orjson.dumps({"presses": [PRESS, bad]}))
    assert [(p.pointer, p.reason) for p in refused.value.problems] == [
        ("/presses/1/device_id", "must be a string"),
        ("/presses/1/owner", "required"),
        ("/presses/1/pressed_at", "must be an ISO 8601 time"),
        ("/presses/1/latitude", "must be between -90 and 90"),
        ("/presses/1/accuracy_m", "must be a number"),
    ]


def test_a_press_without_a_fix_is_still_a_priority_1_alert() -> None:
    no_fix = {k: v for k, v in PRESS.items() if k not in ("latitude", "longitude", "address")}
    [report] = decode_panic(orjson.dumps(no_fix))
    assert (report.priority, report.lat, report.lon) == (1, None, None)
    assert report.title == "Panic button: Jane Roe (location unknown)"


def test_half_a_position_is_refused() -> None:
    with pytest.raises(InvalidInput) as refused:
        decode_panic(orjson.dumps({**PRESS, "longitude": None}))
    assert [p.pointer for p in refused.value.problems] == ["/longitude"]
