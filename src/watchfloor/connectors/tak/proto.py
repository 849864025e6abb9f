"""TAK protocol version 1: a `TakMessage` protobuf (takproto's generated classes) to and from a
`CotEvent`. The detail's known elements map to the typed fields, everything else to xmlDetail."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from xml.sax.saxutils import quoteattr

from google.protobuf.message import DecodeError
from lxml import etree
from takproto.proto import TakMessage  # type: ignore[import-untyped]

from watchfloor.connectors.tak.cot import (
    _PARSER,
    DEFAULT_MAX_EVENT_BYTES,
    CotError,
    CotEvent,
    built_detail,
    detail_facts,
    reject_dtd,
)

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MS = timedelta(milliseconds=1)
# typed Detail fields: element name -> (protobuf field, attributes it can carry)
_TYPED: dict[str, tuple[str, tuple[str, ...]]] = {
    "contact": ("contact", ("endpoint", "callsign")),
    "__group": ("group", ("name", "role")),
    "precisionlocation": ("precisionLocation", ("geopointsrc", "altsrc")),
    "status": ("status", ("battery",)),
    "takv": ("takv", ("device", "platform", "os", "version")),
    "track": ("track", ("speed", "course")),
}


def epoch_ms(value: datetime) -> int:
    """Milliseconds since 1970-01-01 UTC, as TAK protocol v1 carries times."""
    return (value - _EPOCH) // _MS


def from_epoch_ms(value: int) -> datetime:
    """The aware UTC datetime of a TAK protocol v1 time."""
    return _EPOCH + timedelta(milliseconds=value)


def from_proto(payload: bytes, *, max_bytes: int = DEFAULT_MAX_EVENT_BYTES) -> CotEvent:
    """A TakMessage payload (no 0xBF framing) into a CotEvent."""
    if len(payload) > max_bytes:
        raise CotError("takMessage", f"is {len(payload)} bytes, more than {max_bytes}")
    message = TakMessage()
    try:
        message.ParseFromString(payload)
    except DecodeError:
        raise CotError("takMessage", "is not a TAK protocol v1 protobuf") from None
    if not message.HasField("cotEvent"):
        raise CotError("cotEvent", "is missing")
    cot = message.cotEvent
    for name in ("uid", "type"):
        if not getattr(cot, name):
            raise CotError(name, "is required")
    detail_xml = proto_detail_xml(cot.detail) if cot.HasField("detail") else ""
    facts = detail_facts(_detail_element(detail_xml, max_bytes))
    if not (-90 <= cot.lat <= 90 and -180 <= cot.lon <= 180):
        raise CotError("point", f"{cot.lat},{cot.lon} is outside -90..90 / -180..180")
    return CotEvent(
        uid=cot.uid,
        type=cot.type,
        how=cot.how,
        time=from_epoch_ms(cot.sendTime),
        start=from_epoch_ms(cot.startTime or cot.sendTime),
        stale=from_epoch_ms(cot.staleTime),
        lat=cot.lat,
        lon=cot.lon,
        hae=cot.hae,
        ce=cot.ce,
        le=cot.le,
        callsign=facts.callsign,
        group=facts.group,
        role=facts.role,
        course=facts.course,
        speed_mps=facts.speed_mps,
        remarks=facts.remarks,
        dest_callsigns=facts.dest_callsigns,
        dest_uids=facts.dest_uids,
        detail_xml=detail_xml,
    )


def _detail_element(detail_xml: str, max_bytes: int) -> etree._Element:
    data = f"<detail>{detail_xml}</detail>".encode()
    try:
        reject_dtd(data, max_bytes)
        return etree.fromstring(data, _PARSER)
    except CotError as exc:
        raise CotError("detail.xmlDetail", exc.reason) from None
    except etree.XMLSyntaxError as exc:
        raise CotError("detail.xmlDetail", f"is not well-formed XML ({exc.msg})") from None


def proto_detail_xml(detail: Any) -> str:
    """The CoT `<detail>` inner XML of a protobuf Detail: typed fields first, then xmlDetail."""
    parts: list[str] = []
    for tag, (field, names) in _TYPED.items():
        if not detail.HasField(field):
            continue
        sub = getattr(detail, field)
        attrs = "".join(f" {name}={quoteattr(str(getattr(sub, name)))}" for name in names)
        parts.append(f"<{tag}{attrs}/>")
    parts.append(detail.xmlDetail)
    return "".join(parts)


def to_proto(event: CotEvent) -> bytes:
    """A CotEvent as a serialised TakMessage (no 0xBF framing)."""
    message = TakMessage()
    cot = message.cotEvent
    cot.type = event.type
    cot.uid = event.uid
    cot.how = event.how
    cot.sendTime = epoch_ms(event.time)
    cot.startTime = epoch_ms(event.start)
    cot.staleTime = epoch_ms(event.stale)
    cot.lat, cot.lon, cot.hae, cot.ce, cot.le = (
        event.lat,
        event.lon,
        event.hae,
        event.ce,
        event.le,
    )
    detail_xml = event.detail_xml or built_detail(event)
    if detail_xml:
        fill_detail(cot.detail, _detail_element(detail_xml, len(detail_xml) * 4 + 64))
    payload: bytes = message.SerializeToString()
    return payload


def fill_detail(detail: Any, element: etree._Element) -> None:
    """Move known detail elements into the typed fields, the rest verbatim into xmlDetail."""
    rest: list[str] = []
    for child in element:
        tag = child.tag if isinstance(child.tag, str) else ""
        typed = _TYPED.get(tag)
        if typed is None or detail.HasField(typed[0]) or not _fits(child, typed[1]):
            rest.append(etree.tostring(child, encoding="unicode", with_tail=False))
            continue
        sub = getattr(detail, typed[0])
        sub.SetInParent()
        for name, value in child.attrib.items():
            _set(sub, str(name), str(value))
    detail.xmlDetail = "".join(rest)


def _fits(child: etree._Element, names: tuple[str, ...]) -> bool:
    if len(child) or (child.text or "").strip():
        return False
    return all(name in names for name in child.attrib)


def _set(sub: Any, name: str, value: str) -> None:
    if name == "battery":
        sub.battery = int(float(value)) if value else 0
    elif name in ("speed", "course"):
        setattr(sub, name, float(value) if value else 0.0)
    else:
        setattr(sub, name, value)
