"""The JSON plate-read format (HTTP POST bodies and MQTT payloads) decoded into `PlateReadReport`s.

A payload is one read object or a JSON array of them (at most `max_batch`, never empty):

    {"reader": "ALPR-0042", "captured_at": "2026-11-21T14:00:00.123Z", "plate": "ABC 1234",
     "region": "CA", "confidence": 0.93, "lat": 60.1699, "lon": 24.9384, "heading": 270,
     "direction": "westbound", "lane": 2, "speed_kmh": 48.0,
     "plate_image": {"sha256": "<64 lower-case hex>"},
     "vehicle_image": {"data": "<base64>", "media_type": "image/jpeg"},
     "vehicle": {"make": "TOYOTA", "model": "CAMRY", "colour": "SILVER", "kind": "sedan"},
     "vendor_id": "cam-42-000123"}

Required: `captured_at`, RFC 3339 with an offset or `Z` (a time without one is refused: a reader's
local clock zone is unknowable here); `plate`, 1-32 characters as read, kept as sent, that must
still hold 1-16 letters or digits once normalised ("abc-12 3" -> "ABC123"); `reader` (1-64
characters), unless the transport names it (an MQTT topic `watchfloor/lpr/<reader>/reads`); a
`reader` in the payload wins over the topic's. Optional, refused when out of range: `lat` -90..90
and `lon` -180..180 (both or neither, not 0,0), `confidence` 0..1 (a fraction: a percentage is
refused, not scaled, because 0.9 and 90 cannot be told apart from 1), `heading` 0..360 degrees,
`lane` 0..99, `speed_kmh` 0..500, `region` (1-16), `direction` (1-32), `vendor_id` (1-128),
vehicle strings (1-64). An image is exactly one of `sha256` (of an image uploaded before) or
`data` (base64, at most 16 MiB decoded; the intake applies the configured image size limit),
with an optional `media_type` `image/...`. Unknown fields are ignored: vendors add their own.

Speed: a payload in which every read is good is decoded by one typed msgspec pass with the
ranges above as msgspec constraints. Only when that fails is each read decoded on its own, and a
bad read field by field, so every bad read and every bad field in it is named by its JSON pointer
(`/3/plate` in a batch, `/plate` for a single object) while the good reads still go through.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated

import msgspec
from msgspec import Meta, Raw, ValidationError

from watchfloor.core.errors import FieldProblem, InvalidInput, MalformedInput
from watchfloor.events.lpr import ImageRef, PlateReadReport, VehicleSeen, normalize_plate

MAX_PLATE_RAW = 32
MAX_PLATE_NORMALISED = 16
MAX_IMAGE_BYTES = 16 * 1024 * 1024
_HEX_DIGITS = "0123456789abcdef"

Reader = Annotated[str, Meta(min_length=1, max_length=64)]
Plate = Annotated[str, Meta(min_length=1, max_length=MAX_PLATE_RAW)]
Region = Annotated[str, Meta(min_length=1, max_length=16)]
Direction = Annotated[str, Meta(min_length=1, max_length=32)]
VendorId = Annotated[str, Meta(min_length=1, max_length=128)]
Label = Annotated[str, Meta(min_length=1, max_length=64)]
MediaType = Annotated[str, Meta(max_length=64, pattern=r"^image/[A-Za-z0-9.+-]+$")]
# Hex digits are checked after decoding: a msgspec pattern here halves the decode rate.
Sha256 = Annotated[str, Meta(min_length=64, max_length=64)]
Confidence = Annotated[float, Meta(ge=0.0, le=1.0)]
Heading = Annotated[float, Meta(ge=0.0, le=360.0)]
SpeedKmh = Annotated[float, Meta(ge=0.0, le=500.0)]
Lane = Annotated[int, Meta(ge=0, le=99)]
Latitude = Annotated[float, Meta(ge=-90.0, le=90.0)]
Longitude = Annotated[float, Meta(ge=-180.0, le=180.0)]
AwareTime = Annotated[datetime, Meta(tz=True)]


class _Image(msgspec.Struct, gc=False):
    sha256: Sha256 | None = None
    data: Annotated[bytes, Meta(max_length=MAX_IMAGE_BYTES)] | None = None
    media_type: MediaType | None = None


class _Vehicle(msgspec.Struct, gc=False):
    make: Label | None = None
    model: Label | None = None
    colour: Label | None = None
    kind: Label | None = None


class _Read(msgspec.Struct, gc=False):
    captured_at: AwareTime
    plate: Plate
    reader: Reader | None = None
    region: Region | None = None
    confidence: Confidence | None = None
    lat: Latitude | None = None
    lon: Longitude | None = None
    heading: Heading | None = None
    direction: Direction | None = None
    lane: Lane | None = None
    speed_kmh: SpeedKmh | None = None
    plate_image: _Image | None = None
    vehicle_image: _Image | None = None
    vehicle: _Vehicle | None = None
    vendor_id: VendorId | None = None


_PAYLOAD = msgspec.json.Decoder(list[_Read] | _Read)
_READ = msgspec.json.Decoder(_Read)
_ARRAY = msgspec.json.Decoder(list[Raw])
_OBJECT = msgspec.json.Decoder(dict[str, Raw])
_FIELDS = tuple(
    (f.name, msgspec.json.Decoder(f.type), f.required) for f in msgspec.structs.fields(_Read)
)
_AT = re.compile(r"^(?P<reason>.*?)(?: - at `(?P<path>\$[^`]*)`)?$", re.DOTALL)
_MISSING = re.compile(r"^Object missing required field `(?P<field>[^`]+)`$")
_STAND_IN_TIME = datetime(2000, 1, 1, tzinfo=UTC)
_STEP = re.compile(r"\[(\d+)\]|\.([^.\[]+)")


@dataclass
class DecodedReads:
    """The good reads of a payload with their index in it, and every bad read's problems."""

    reads: list[tuple[int, PlateReadReport]]
    problems: dict[int, list[FieldProblem]]
    batch: bool


def decode_reads(raw: bytes, max_batch: int, default_reader: str | None = None) -> DecodedReads:
    """Decode a read or an array of reads; MalformedInput for broken JSON or a bad top level,
    InvalidInput for an empty array or more than max_batch reads."""
    try:
        payload = _PAYLOAD.decode(raw)
    except ValidationError:
        return _decode_each(raw, max_batch, default_reader)
    except msgspec.DecodeError as exc:
        raise MalformedInput("body is not JSON", [FieldProblem("", str(exc))]) from None
    if isinstance(payload, list):
        _check_size(len(payload), max_batch)
        return _collect(list(enumerate(payload)), {}, True, default_reader)
    return _collect([(0, payload)], {}, False, default_reader)


def plate_problem(plate: str) -> str | None:
    """Why a plate as read cannot be a plate, or None when it can."""
    if not plate or len(plate) > MAX_PLATE_RAW:
        return f"plate must be 1-{MAX_PLATE_RAW} characters"
    normalised = normalize_plate(plate)
    if not normalised:
        return "plate has no letters or digits"
    if len(normalised) > MAX_PLATE_NORMALISED:
        return f"plate has more than {MAX_PLATE_NORMALISED} letters and digits"
    return None


def json_pointer(path: str) -> str:
    """The RFC 6901 pointer of a msgspec error path: `$[3].plate` -> `/3/plate`."""
    parts = []
    for index, name in _STEP.findall(path.removeprefix("$")):
        part = index or name
        parts.append("/" + part.replace("~", "~0").replace("/", "~1"))
    return "".join(parts)


def error_problem(exc: ValidationError, at: str = "") -> FieldProblem:
    """The FieldProblem of a msgspec validation error, its pointer prefixed with `at`."""
    match = _AT.match(str(exc))
    reason, path = (match["reason"], match["path"] or "") if match else (str(exc), "")
    pointer = at + json_pointer(path)
    if missing := _MISSING.match(reason):
        return FieldProblem(f"{pointer}/{missing['field']}", "required field is missing")
    return FieldProblem(pointer, reason)


def _check_size(count: int, max_batch: int) -> None:
    if count == 0:
        raise InvalidInput("empty batch", [FieldProblem("", "empty batch: array has no read")])
    if count > max_batch:
        reason = f"batch of {count} reads is larger than max_batch {max_batch}"
        raise InvalidInput("batch too large", [FieldProblem("", reason)])


def _collect(
    decoded: list[tuple[int, _Read]],
    problems: dict[int, list[FieldProblem]],
    batch: bool,
    default_reader: str | None,
) -> DecodedReads:
    reads: list[tuple[int, PlateReadReport]] = []
    for index, read in decoded:
        found = _read_problems(read, default_reader)
        if found:
            at = f"/{index}" if batch else ""
            problems[index] = [FieldProblem(at + pointer, reason) for pointer, reason in found]
        else:
            reads.append((index, _report(read, default_reader)))
    return DecodedReads(reads, problems, batch)


def _read_problems(read: _Read, default_reader: str | None) -> list[tuple[str, str]]:
    """What msgspec constraints cannot say: rules across fields and the normalised plate."""
    found: list[tuple[str, str]] = []
    if read.reader is None and not default_reader:
        found.append(("/reader", "required field is missing"))
    if reason := plate_problem(read.plate):
        found.append(("/plate", reason))
    if read.lat is None and read.lon is not None:
        found.append(("/lat", "lat is required with lon"))
    elif read.lon is None and read.lat is not None:
        found.append(("/lon", "lon is required with lat"))
    elif read.lat == 0 and read.lon == 0:
        found.append(("/lat", "coordinates 0,0 (null island) are not a real location"))
    for name, image in (("plate_image", read.plate_image), ("vehicle_image", read.vehicle_image)):
        if image is None:
            continue
        if (image.sha256 is None) == (image.data is None):
            found.append((f"/{name}", "an image is exactly one of sha256 or data"))
        elif image.sha256 is not None and image.sha256.strip(_HEX_DIGITS):
            found.append((f"/{name}/sha256", "sha256 must be 64 lower-case hex digits"))
    return found


def _report(read: _Read, default_reader: str | None) -> PlateReadReport:
    vehicle = read.vehicle
    return PlateReadReport(
        reader=read.reader or default_reader or "",
        captured_at=read.captured_at,
        plate=read.plate,
        region=read.region,
        confidence=read.confidence,
        lat=read.lat,
        lon=read.lon,
        heading=read.heading,
        direction=read.direction,
        lane=read.lane,
        speed_kmh=read.speed_kmh,
        plate_image=_image(read.plate_image),
        vehicle_image=_image(read.vehicle_image),
        vehicle=None
        if vehicle is None
        else VehicleSeen(
            make=vehicle.make, model=vehicle.model, colour=vehicle.colour, kind=vehicle.kind
        ),
        vendor_id=read.vendor_id,
    )


def _image(image: _Image | None) -> ImageRef | None:
    if image is None:
        return None
    return ImageRef(sha256=image.sha256, data=image.data, media_type=image.media_type)


def _decode_each(raw: bytes, max_batch: int, default_reader: str | None) -> DecodedReads:
    """The slow path: each read on its own, so one bad read costs only itself."""
    items, batch = _split(raw)
    _check_size(len(items), max_batch)
    decoded: list[tuple[int, _Read]] = []
    problems: dict[int, list[FieldProblem]] = {}
    for index, item in enumerate(items):
        try:
            decoded.append((index, _READ.decode(item)))
        except ValidationError as exc:
            at = f"/{index}" if batch else ""
            problems[index] = _field_problems(item, at, default_reader) or [error_problem(exc, at)]
    result = _collect(decoded, problems, batch, default_reader)
    result.problems = dict(sorted(result.problems.items()))
    return result


def _split(raw: bytes) -> tuple[list[Raw], bool]:
    try:
        return _ARRAY.decode(raw), True
    except ValidationError:
        pass
    except msgspec.DecodeError as exc:
        raise MalformedInput("body is not JSON", [FieldProblem("", str(exc))]) from None
    try:
        _OBJECT.decode(raw)
    except ValidationError:
        reason = "top level must be a read object or an array of reads"
        problems = [FieldProblem("", reason)]
        raise MalformedInput("body is not a read or an array of reads", problems) from None
    except msgspec.DecodeError as exc:
        raise MalformedInput("body is not JSON", [FieldProblem("", str(exc))]) from None
    return [Raw(raw)], False


def _field_problems(item: Raw, at: str, default_reader: str | None) -> list[FieldProblem]:
    """Every problem of a bad read, field by field (msgspec stops at a read's first)."""
    try:
        fields = _OBJECT.decode(item)
    except ValidationError:
        return [FieldProblem(at, "a read must be a JSON object")]
    problems: list[FieldProblem] = []
    good: dict[str, object] = {}
    for name, decoder, required in _FIELDS:
        value = fields.get(name)
        if value is None:
            if required:
                problems.append(FieldProblem(f"{at}/{name}", "required field is missing"))
            continue
        try:
            good[name] = decoder.decode(value)
        except ValidationError as exc:
            problems.append(error_problem(exc, f"{at}/{name}"))
    # The rules across fields run on what did decode; stand-ins fill the fields that did not.
    stand_in = {"captured_at": _STAND_IN_TIME, "plate": "X"} | good
    named = {p.pointer for p in problems}
    for pointer, reason in _read_problems(_Read(**stand_in), default_reader):  # type: ignore[arg-type]
        if at + pointer not in named:
            problems.append(FieldProblem(at + pointer, reason))
    return problems
