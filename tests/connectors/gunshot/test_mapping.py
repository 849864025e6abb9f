"""Vendor-style gunshot webhooks become normalised gunshot reports; every bad field is named."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import orjson
import pytest

from watchfloor.connectors.gunshot.mapping import decode_gunshots, title_of
from watchfloor.core.errors import InvalidInput, MalformedInput
from watchfloor.events.alerts import AlertKind

# As a vendor's notification engine sends a reviewed detection (local time with its offset).
VENDOR_ALERT: dict[str, Any] = {
    "id": "SST-MPLS-2026-11-21-000123",
    "time": "2026-11-21T07:59:40.250-06:00",
    "latitude": 44.97781,
    "longitude": -93.26502,
    "location_error_m": 25,
    "rounds": 4,
    "type": "Multiple_Gunshots",
    "confidence": 0.93,
    "address": "500 NICOLLET MALL",
    "beat": "B3",
    "district": "1st Precinct",
    "review_status": "reviewed",
    "audio_uri": "https://notify.vendor.example/incidents/000123/audio.wav",
    "multiple_shooters": False,
    "sensor_count": 7,  # vendors add their own fields: ignored
}


def _decode(body: Any) -> Any:
    return decode_gunshots(orjson.dumps(body))


def test_a_vendor_alert_maps_to_one_normalised_gunshot() -> None:
    [report] = _decode(VENDOR_ALERT)
    assert report.kind == AlertKind.GUNSHOT
    assert report.source == "alerts-gunshot"
    assert report.source_ref == "SST-MPLS-2026-11-21-000123"
    assert report.occurred_at == datetime(2026, 11, 21, 13, 59, 40, 250000, tzinfo=UTC)
    assert report.title == "Multiple gunshots, 4 rounds"
    assert (report.lat, report.lon, report.location_error_m) == (44.97781, -93.26502, 25.0)
    assert (report.address, report.beat) == ("500 NICOLLET MALL", "B3")
    assert report.priority is None  # the desk's default for gunshots applies
    assert report.details == {
        "rounds": 4,
        "type": "multiple",
        "confidence": 0.93,
        "review_status": "reviewed",
        "district": "1st Precinct",
        "audio_uri": "https://notify.vendor.example/incidents/000123/audio.wav",
        "multiple_shooters": False,
        "location_error_m": 25.0,
        "original_type": "Multiple_Gunshots",
    }


@pytest.mark.parametrize(
    ("body", "count"),
    [
        (VENDOR_ALERT, 1),
        ([VENDOR_ALERT, {**VENDOR_ALERT, "id": "other"}], 2),
        ({"alerts": [VENDOR_ALERT, VENDOR_ALERT, VENDOR_ALERT]}, 3),
    ],
)
def test_one_object_a_list_or_a_wrapped_list(body: Any, count: int) -> None:
    assert len(_decode(body)) == count


def test_minimal_alert_infers_its_type_from_the_rounds() -> None:
    minimal = {"id": "7", "time": "2026-11-21T14:00:00Z", "latitude": 1.5, "longitude": 2.5}
    [none] = _decode(minimal)
    assert none.details["type"] == "other"
    assert none.details["review_status"] == "machine"
    assert none.title == "Possible gunshot"
    [one] = _decode({**minimal, "rounds": 1})
    assert one.title == "Single gunshot, 1 round"
    [auto] = _decode({**minimal, "rounds": 30, "type": "full_auto"})
    assert auto.title == "Automatic gunfire, 30 rounds"


def test_a_dismissed_review_is_shown_in_the_title() -> None:
    assert (
        title_of("probable", 2, "dismissed") == "Probable gunshot, 2 rounds (dismissed on review)"
    )


def test_every_bad_field_is_named_by_its_pointer() -> None:
    bad = {
        "id": "",
        "time": "2026-11-21T14:00:00",  # no offset: the sensor's zone is unknowable
        "latitude": 91,
        "longitude": "east",
        "rounds": 2.5,
        "type": "firework",
        "confidence": 93,
        "review_status": "pending",
        "location_error_m": -1,
        "audio_uri": "file:///etc/passwd",
        "multiple_shooters": "no",
    }
    with pytest.raises(InvalidInput) as refused:
        _decode({"alerts": [VENDOR_ALERT, bad]})
    assert {p.pointer for p in refused.value.problems} == {f"/alerts/1/{name}" for name in bad}
    time = next(p for p in refused.value.problems if p.pointer.endswith("/time"))
    assert "offset" in time.reason


def test_missing_required_fields_and_null_island() -> None:
    with pytest.raises(InvalidInput) as refused:
        _decode([{"latitude": 0, "longitude": 0, "time": "2026-11-21T14:00:00Z"}])
    assert [(p.pointer, p.reason) for p in refused.value.problems] == [
        ("/0/id", "required"),
        ("/0/latitude", "0,0 is not a location (a device without a fix)"),
    ]


@pytest.mark.parametrize(
    ("raw", "pointer"),
    [(b"[]", ""), (b'{"alerts": []}', "/alerts"), (b"[1, {}]", "/0"), (b'"x"', "")],
)
def test_bad_shapes(raw: bytes, pointer: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        decode_gunshots(raw)
    assert refused.value.problems[0].pointer == pointer


def test_broken_json_is_malformed() -> None:
    with pytest.raises(MalformedInput):
        decode_gunshots(b'{"id": "1",')
