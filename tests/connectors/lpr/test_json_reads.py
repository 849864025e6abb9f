"""The JSON read format: the fast path, every problem named by its pointer, and the limits."""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import msgspec
import orjson
import pytest

from watchfloor.connectors.lpr.json_reads import (
    DecodedReads,
    decode_reads,
    error_problem,
    json_pointer,
)
from watchfloor.core.errors import FieldProblem, InvalidInput, MalformedInput
from watchfloor.events.lpr import ImageRef, PlateReadReport, VehicleSeen

SHA = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
JPEG = b"\xff\xd8\xff\xe0fake-jpeg-bytes"
FULL: dict[str, Any] = {
    "reader": "ALPR-0042",
    "captured_at": "2026-11-21T14:00:00.123Z",
    "plate": "ABC 1234",
    "region": "CA",
    "confidence": 0.93,
    "lat": 60.1699,
    "lon": 24.9384,
    "heading": 270,
    "direction": "westbound",
    "lane": 2,
    "speed_kmh": 48.0,
    "plate_image": {"sha256": SHA},
    "vehicle_image": {"data": base64.b64encode(JPEG).decode(), "media_type": "image/jpeg"},
    "vehicle": {"make": "TOYOTA", "model": "CAMRY", "colour": "SILVER", "kind": "sedan"},
    "vendor_id": "cam-42-000123",
}
MINIMAL: dict[str, Any] = {
    "reader": "ALPR-0042",
    "captured_at": "2026-11-21T14:00:00Z",
    "plate": "ABC1234",
}


def decode(payload: Any, max_batch: int = 100, default_reader: str | None = None) -> DecodedReads:
    return decode_reads(orjson.dumps(payload), max_batch, default_reader)


def problems_of(payload: Any, **kwargs: Any) -> dict[int, list[FieldProblem]]:
    result = decode(payload, **kwargs)
    return result.problems


def test_a_single_read_maps_every_field() -> None:
    result = decode(FULL)
    assert result.batch is False
    assert result.problems == {}
    assert result.reads == [
        (
            0,
            PlateReadReport(
                reader="ALPR-0042",
                captured_at=datetime(2026, 11, 21, 14, 0, 0, 123000, tzinfo=UTC),
                plate="ABC 1234",
                region="CA",
                confidence=0.93,
                lat=60.1699,
                lon=24.9384,
                heading=270.0,
                direction="westbound",
                lane=2,
                speed_kmh=48.0,
                plate_image=ImageRef(sha256=SHA),
                vehicle_image=ImageRef(data=JPEG, media_type="image/jpeg"),
                vehicle=VehicleSeen(make="TOYOTA", model="CAMRY", colour="SILVER", kind="sedan"),
                vendor_id="cam-42-000123",
            ),
        )
    ]


def test_a_batch_keeps_each_reads_index() -> None:
    result = decode([MINIMAL, {**MINIMAL, "plate": "XYZ9"}, FULL])
    assert result.batch is True
    assert [(i, r.plate) for i, r in result.reads] == [(0, "ABC1234"), (1, "XYZ9"), (2, "ABC 1234")]
    assert result.problems == {}


def test_bad_reads_are_named_by_pointer_and_the_good_ones_survive() -> None:
    batch: list[dict[str, Any]] = [{**MINIMAL, "plate": f"GOOD{i}"} for i in range(1000)]
    batch[3] = {**MINIMAL, "plate": 42}
    batch[998] = {**MINIMAL, "lane": 100}
    result = decode(batch, max_batch=1000)
    assert len(result.reads) == 998
    assert [i for i, _ in result.reads][:4] == [0, 1, 2, 4]
    assert result.problems == {
        3: [FieldProblem("/3/plate", "Expected `str`, got `int`")],
        998: [FieldProblem("/998/lane", "Expected `int` <= 99")],
    }


def test_every_problem_of_a_bad_read_is_named() -> None:
    bad = {
        "plate": "",
        "lane": -1,
        "confidence": "high",
        "lat": 10.0,
        "plate_image": {"sha256": "abc"},
        "vehicle": {"make": "x" * 65},
    }
    problems = problems_of([MINIMAL, bad])[1]
    assert {p.pointer for p in problems} == {
        "/1/captured_at",
        "/1/plate",
        "/1/lane",
        "/1/confidence",
        "/1/plate_image/sha256",
        "/1/vehicle/make",
        "/1/reader",
        "/1/lon",
    }
    assert FieldProblem("/1/captured_at", "required field is missing") in problems
    assert FieldProblem("/1/lon", "lon is required with lat") in problems


def test_a_single_objects_pointers_have_no_index() -> None:
    assert problems_of({**MINIMAL, "heading": 400}) == {
        0: [FieldProblem("/heading", "Expected `float` <= 360.0")]
    }
    assert problems_of({**MINIMAL, "plate": "---"}) == {
        0: [FieldProblem("/plate", "plate has no letters or digits")]
    }


def test_an_item_that_is_not_an_object_is_named() -> None:
    assert problems_of([MINIMAL, "ABC123"])[1] == [
        FieldProblem("/1", "a read must be a JSON object")
    ]


@pytest.mark.parametrize(
    "raw", [b"{not json", b"[" + orjson.dumps(MINIMAL), b'[{"plate": 1}, ', b"", b"nul"]
)
def test_broken_json_is_malformed(raw: bytes) -> None:
    with pytest.raises(MalformedInput) as caught:
        decode_reads(raw, 10)
    assert caught.value.problems[0].pointer == ""


@pytest.mark.parametrize("payload", ["ABC123", 42, None, True])
def test_a_top_level_that_is_neither_object_nor_array_is_malformed(payload: Any) -> None:
    with pytest.raises(MalformedInput, match="not a read or an array"):
        decode(payload)


def test_an_empty_batch_is_invalid() -> None:
    with pytest.raises(InvalidInput, match="empty batch") as caught:
        decode([])
    assert caught.value.problems == [FieldProblem("", "empty batch: array has no read")]


@pytest.mark.parametrize("bad", [False, True])
def test_a_batch_over_max_batch_is_invalid(bad: bool) -> None:
    batch = [MINIMAL] * 4
    if bad:
        batch = [*batch[:3], {**MINIMAL, "lane": "x"}]
    with pytest.raises(InvalidInput, match="batch too large") as caught:
        decode(batch, max_batch=3)
    assert caught.value.problems == [
        FieldProblem("", "batch of 4 reads is larger than max_batch 3")
    ]


def test_a_naive_time_is_refused_and_an_offset_is_kept() -> None:
    assert problems_of({**MINIMAL, "captured_at": "2026-11-21T14:00:00"}) == {
        0: [FieldProblem("/captured_at", "Expected `datetime` with a timezone component")]
    }
    [(_, read)] = decode({**MINIMAL, "captured_at": "2026-11-21T16:00:00+02:00"}).reads
    assert read.captured_at == datetime(2026, 11, 21, 14, 0, tzinfo=UTC)
    assert read.captured_at.utcoffset() == timedelta(hours=2)
    assert read.captured_at.tzinfo == timezone(timedelta(hours=2))


def test_a_base64_image_is_decoded_to_bytes() -> None:
    payload = {**MINIMAL, "plate_image": {"data": base64.b64encode(JPEG).decode()}}
    [(_, read)] = decode(payload).reads
    assert read.plate_image == ImageRef(data=JPEG)


@pytest.mark.parametrize(
    ("image", "pointer", "reason"),
    [
        ({"data": "not base64!"}, "/plate_image/data", "Invalid base64 encoded string"),
        ({}, "/plate_image", "an image is exactly one of sha256 or data"),
        (
            {"sha256": SHA, "data": "AAAA"},
            "/plate_image",
            "an image is exactly one of sha256 or data",
        ),
        ({"sha256": SHA.upper()}, "/plate_image/sha256", "sha256 must be 64 lower-case hex digits"),
        ({"sha256": SHA[:-1]}, "/plate_image/sha256", "Expected `str` of length >= 64"),
        ({"data": "AAAA", "media_type": "text/html"}, "/plate_image/media_type", None),
    ],
)
def test_image_rules(image: dict[str, str], pointer: str, reason: str | None) -> None:
    [problem] = problems_of({**MINIMAL, "plate_image": image})[0]
    assert problem.pointer == pointer
    if reason:
        assert problem.reason == reason


@pytest.mark.parametrize(
    ("position", "pointer", "reason"),
    [
        ({"lat": 60.1}, "/lon", "lon is required with lat"),
        ({"lon": 24.9}, "/lat", "lat is required with lon"),
        ({"lat": 0, "lon": 0}, "/lat", "coordinates 0,0 (null island) are not a real location"),
        ({"lat": 90.5, "lon": 1}, "/lat", "Expected `float` <= 90.0"),
        ({"lat": 1, "lon": -180.5}, "/lon", "Expected `float` >= -180.0"),
    ],
)
def test_position_rules(position: dict[str, float], pointer: str, reason: str) -> None:
    assert problems_of({**MINIMAL, **position}) == {0: [FieldProblem(pointer, reason)]}


@pytest.mark.parametrize(
    ("field", "value", "reason"),
    [
        ("confidence", 93, "Expected `float` <= 1.0"),
        ("confidence", -0.1, "Expected `float` >= 0.0"),
        ("heading", 360.5, "Expected `float` <= 360.0"),
        ("lane", 100, "Expected `int` <= 99"),
        ("lane", 1.5, "Expected `int | null`, got `float`"),
        ("speed_kmh", 501, "Expected `float` <= 500.0"),
        ("region", "", "Expected `str` of length >= 1"),
        ("direction", "x" * 33, "Expected `str` of length <= 32"),
        ("vendor_id", "x" * 129, "Expected `str` of length <= 128"),
        ("reader", "x" * 65, "Expected `str` of length <= 64"),
    ],
)
def test_range_rules(field: str, value: Any, reason: str) -> None:
    assert problems_of({**MINIMAL, field: value}) == {0: [FieldProblem(f"/{field}", reason)]}


@pytest.mark.parametrize(
    ("plate", "reason"),
    [
        (" - ", "plate has no letters or digits"),
        ("A" * 17, "plate has more than 16 letters and digits"),
        ("A-" * 16 + "A", "Expected `str` of length <= 32"),
        ("", "Expected `str` of length >= 1"),
    ],
)
def test_plate_rules(plate: str, reason: str) -> None:
    assert problems_of({**MINIMAL, "plate": plate}) == {0: [FieldProblem("/plate", reason)]}


def test_the_plate_is_kept_as_read() -> None:
    [(_, read)] = decode({**MINIMAL, "plate": "abc-12 3"}).reads
    assert read.plate == "abc-12 3"


def test_the_reader_comes_from_the_payload_or_the_transport() -> None:
    without = {k: v for k, v in MINIMAL.items() if k != "reader"}
    assert problems_of(without) == {0: [FieldProblem("/reader", "required field is missing")]}
    [(_, read)] = decode(without, default_reader="ALPR-7").reads
    assert read.reader == "ALPR-7"
    [(_, read)] = decode(MINIMAL, default_reader="ALPR-7").reads
    assert read.reader == "ALPR-0042"


def test_unknown_fields_are_ignored() -> None:
    result = decode({**MINIMAL, "vendor_extra": {"any": [1, 2]}, "vehicle": {"doors": 4}})
    assert result.problems == {}
    assert result.reads[0][1].vehicle == VehicleSeen()


@pytest.mark.parametrize(
    ("path", "pointer"),
    [
        ("$", ""),
        ("$[3]", "/3"),
        ("$[3].plate", "/3/plate"),
        ("$.plate_image.sha256", "/plate_image/sha256"),
        ("$[0].a~b/c", "/0/a~0b~1c"),
    ],
)
def test_json_pointer_of_a_msgspec_path(path: str, pointer: str) -> None:
    assert json_pointer(path) == pointer


def test_error_problem_names_a_missing_field() -> None:
    class Needs(msgspec.Struct):
        plate: str

    with pytest.raises(msgspec.ValidationError) as caught:
        msgspec.json.decode(b"[{}]", type=list[Needs])
    assert error_problem(caught.value, "/x") == FieldProblem(
        "/x/0/plate", "required field is missing"
    )
