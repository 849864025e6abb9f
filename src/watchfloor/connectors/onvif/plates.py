"""ONVIF license plate recognition events (`tns1:RuleEngine/Recognition/LicensePlate`, ONVIF
Analytics Service, annex "Recognition rule engines") mapped to `PlateReadReport`s.

The input is any XML holding `wsnt:NotificationMessage` elements: a `wsnt:Notify` (push), a
`PullMessagesResponse` (pull point) or a `tt:MetadataStream` event; messages on other topics are
skipped, as are `PropertyOperation="Deleted"` ones. Mapping, per message:

- `tt:Message/@UtcTime` -> captured_at (UTC by definition: a time without an offset is read as UTC)
- Data `PlateNumber` SimpleItem, or `LicensePlateInfo/PlateNumber` (tt:LicensePlateInfo, the
  Profile M element item) -> plate (required, checked as in the JSON read format)
- `IssuingEntity` (state or province) or else `CountryCode` -> region; `Likelihood` SimpleItem or
  the PlateNumber's `Likelihood` attribute -> confidence (0..1, as ONVIF defines it)
- `VehicleInfo` Type/Brand/Model -> vehicle kind/make/model; `Image` and `VehicleImage` (base64)
  -> plate and vehicle image; `ObjectId` -> vendor_id; `Direction` -> direction
- Not mapped: Source items (the caller names the reader), `PlateType` (a read has no plate type),
  `ImageURI`/`VehicleImageURI` (fetching is not a parser's work), colour (tt:ColorDescriptor is a
  colour-space value, not a name), `Label`, `BoundingBox`.

A message that cannot be mapped is left out and its problems are returned, each with a pointer
`/NotificationMessage/<n>/<item>` (n: the message's 0-based position among all the document's
notification messages); the other messages are still mapped.
"""

from __future__ import annotations

import base64
import binascii
import io
from datetime import UTC, datetime
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse

from watchfloor.connectors.lpr.json_reads import MAX_IMAGE_BYTES, plate_problem
from watchfloor.core.errors import FieldProblem, MalformedInput
from watchfloor.events.lpr import ImageRef, PlateReadReport, VehicleSeen

NS_WSNT = "http://docs.oasis-open.org/wsn/b-2"
NS_TT = "http://www.onvif.org/ver10/schema"
NS_TOPICS = "http://www.onvif.org/ver10/topics"
LICENSE_PLATE_TOPIC = "RuleEngine/Recognition/LicensePlate"

_NOTIFICATION = f"{{{NS_WSNT}}}NotificationMessage"
_MESSAGE = f"{{{NS_WSNT}}}Message/{{{NS_TT}}}Message"
_LIMITS = {"region": 16, "direction": 32, "vendor_id": 128, "vehicle": 64}
_MAGIC = ((b"\xff\xd8\xff", "image/jpeg"), (b"\x89PNG\r\n\x1a\n", "image/png"))

Prefixes = dict[str, set[str]]


def parse_plate_notifications(
    xml: bytes, reader: str
) -> tuple[list[PlateReadReport], list[FieldProblem]]:
    """The plate reads in an ONVIF event notification, and the problems of those that are not;
    MalformedInput when the XML cannot be parsed."""
    root, prefixes = _parse(xml)
    reports: list[PlateReadReport] = []
    problems: list[FieldProblem] = []
    for index, notification in enumerate(root.iter(_NOTIFICATION)):
        if not _is_plate_topic(notification, prefixes):
            continue
        at = f"/NotificationMessage/{index}"
        message = notification.find(_MESSAGE)
        if message is None:
            problems.append(FieldProblem(f"{at}/Message", "no tt:Message in the notification"))
            continue
        if message.get("PropertyOperation") == "Deleted":
            continue
        report, found = _report(message, reader, at)
        if report is not None:
            reports.append(report)
        problems.extend(found)
    return reports, problems


def _parse(xml: bytes) -> tuple[Element, Prefixes]:
    """The document and every namespace each prefix is bound to (topic text uses prefixes)."""
    prefixes: Prefixes = {}
    root: Element | None = None
    try:
        for event, item in iterparse(io.BytesIO(xml), events=("start", "start-ns")):
            if event == "start-ns":
                prefix, uri = item
                prefixes.setdefault(prefix, set()).add(uri)
            elif root is None:
                root = item
    except ParseError as exc:
        raise MalformedInput("not well-formed XML", [FieldProblem("", str(exc))]) from None
    except DefusedXmlException as exc:
        reason = f"forbidden XML feature: {type(exc).__name__}"
        raise MalformedInput("XML uses forbidden features", [FieldProblem("", reason)]) from None
    if root is None:
        raise MalformedInput("no XML document", [FieldProblem("", "empty document")])
    return root, prefixes


def _is_plate_topic(notification: Element, prefixes: Prefixes) -> bool:
    topic = notification.findtext(f"{{{NS_WSNT}}}Topic")
    if topic is None:
        return False
    prefix, _, path = topic.strip().rpartition(":")
    if path.strip("/") != LICENSE_PLATE_TOPIC:
        return False
    bound = prefixes.get(prefix)
    # Devices that forget to declare the customary tns1 prefix still mean ONVIF's topics.
    return NS_TOPICS in bound if bound else prefix == "tns1"


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _data(message: Element) -> tuple[dict[str, str], dict[str, Element]]:
    """The Data section's SimpleItems (name -> value) and ElementItems (name -> element)."""
    data = message.find(f"{{{NS_TT}}}Data")
    if data is None:
        return {}, {}
    simple = {
        name: item.get("Value", "").strip()
        for item in data.findall(f"{{{NS_TT}}}SimpleItem")
        if (name := item.get("Name"))
    }
    elements = {
        name: item for item in data.findall(f"{{{NS_TT}}}ElementItem") if (name := item.get("Name"))
    }
    return simple, elements


def _descendant(element: Element | None, name: str) -> Element | None:
    """The first element of that local name inside an ElementItem (vendors vary the wrapper)."""
    if element is None:
        return None
    return next((e for e in element.iter() if e is not element and _local(e.tag) == name), None)


def _text(element: Element | None, name: str) -> str | None:
    found = _descendant(element, name)
    text = (found.text or "").strip() if found is not None else ""
    return text or None


def _report(
    message: Element, reader: str, at: str
) -> tuple[PlateReadReport | None, list[FieldProblem]]:
    problems: list[FieldProblem] = []
    captured_at = _utc_time(message.get("UtcTime"), f"{at}/UtcTime", problems)
    simple, elements = _data(message)
    info = elements.get("LicensePlateInfo")
    plate = simple.get("PlateNumber") or _text(info, "PlateNumber")
    if not plate:
        problems.append(FieldProblem(f"{at}/Data/PlateNumber", "required field is missing"))
    elif reason := plate_problem(plate):
        problems.append(FieldProblem(f"{at}/Data/PlateNumber", reason))
    confidence = _confidence(simple, info, at, problems)
    region = _region(simple, info, at, problems)
    plate_image = _image(elements.get("Image"), f"{at}/Data/Image", problems)
    vehicle_image = _image(elements.get("VehicleImage"), f"{at}/Data/VehicleImage", problems)
    vehicle = _vehicle(elements.get("VehicleInfo"), at, problems)
    direction = _limited(simple, "Direction", _LIMITS["direction"], at, problems)
    vendor_id = _limited(simple, "ObjectId", _LIMITS["vendor_id"], at, problems)
    if problems or captured_at is None or plate is None:
        return None, problems
    report = PlateReadReport(
        reader=reader,
        captured_at=captured_at,
        plate=plate,
        region=region,
        confidence=confidence,
        direction=direction,
        plate_image=plate_image,
        vehicle_image=vehicle_image,
        vehicle=vehicle,
        vendor_id=vendor_id,
    )
    return report, []


def _limited(
    simple: dict[str, str], name: str, limit: int, at: str, problems: list[FieldProblem]
) -> str | None:
    value = simple.get(name) or None
    if value is not None and len(value) > limit:
        problems.append(FieldProblem(f"{at}/Data/{name}", f"longer than {limit} characters"))
        return None
    return value


def _region(
    simple: dict[str, str], info: Element | None, at: str, problems: list[FieldProblem]
) -> str | None:
    """The plate's state or province where the device says it, else its country."""
    for name in ("IssuingEntity", "CountryCode"):
        value = simple.get(name) or _text(info, name)
        if value:
            if len(value) > _LIMITS["region"]:
                reason = f"longer than {_LIMITS['region']} characters"
                problems.append(FieldProblem(f"{at}/Data/{name}", reason))
                return None
            return value
    return None


def _utc_time(value: str | None, pointer: str, problems: list[FieldProblem]) -> datetime | None:
    if not value:
        problems.append(FieldProblem(pointer, "required field is missing"))
        return None
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        problems.append(FieldProblem(pointer, f"not an xs:dateTime: {value[:40]!r}"))
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _confidence(
    simple: dict[str, str], info: Element | None, at: str, problems: list[FieldProblem]
) -> float | None:
    plate_number = _descendant(info, "PlateNumber")
    value = simple.get("Likelihood") or (
        plate_number.get("Likelihood") if plate_number is not None else None
    )
    if not value:
        return None
    try:
        likelihood = float(value)
    except ValueError:
        likelihood = -1.0
    if not 0.0 <= likelihood <= 1.0:  # also refuses NaN
        problems.append(FieldProblem(f"{at}/Data/Likelihood", "must be a number 0..1"))
        return None
    return likelihood


def _image(item: Element | None, pointer: str, problems: list[FieldProblem]) -> ImageRef | None:
    if item is None:
        return None
    text = (item.text or "").strip()
    if not text and len(item):
        text = (item[0].text or "").strip()
    try:
        data = base64.b64decode("".join(text.split()), validate=True)
    except (binascii.Error, ValueError):
        problems.append(FieldProblem(pointer, "not base64"))
        return None
    if not data or len(data) > MAX_IMAGE_BYTES:
        problems.append(FieldProblem(pointer, f"image must be 1..{MAX_IMAGE_BYTES} bytes"))
        return None
    media_type = next((kind for magic, kind in _MAGIC if data.startswith(magic)), None)
    return ImageRef(data=data, media_type=media_type)


def _vehicle(item: Element | None, at: str, problems: list[FieldProblem]) -> VehicleSeen | None:
    if item is None:
        return None
    fields = {"kind": "Type", "make": "Brand", "model": "Model"}
    values = {key: _text(item, name) for key, name in fields.items()}
    for key, value in values.items():
        if value is not None and len(value) > _LIMITS["vehicle"]:
            reason = f"longer than {_LIMITS['vehicle']} characters"
            problems.append(FieldProblem(f"{at}/Data/VehicleInfo/{fields[key]}", reason))
    if not any(values.values()):
        return None
    return VehicleSeen(kind=values["kind"], make=values["make"], model=values["model"])
