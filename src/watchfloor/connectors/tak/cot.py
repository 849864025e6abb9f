"""Cursor on Target events: hardened XML parsing into a typed `CotEvent` and building the XML back,
keeping the `<detail>` verbatim so a relay loses nothing. TAK protocol v1 lives in proto.py."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from xml.sax.saxutils import escape, quoteattr

from lxml import etree

UNKNOWN = 999999.0
DEFAULT_MAX_EVENT_BYTES = 256 * 1024
_TYPE = re.compile(r"\w+(-\w+)*(;[^;]*)?")
_PARSER = etree.XMLParser(
    resolve_entities=False,
    no_network=True,
    load_dtd=False,
    huge_tree=False,
    remove_comments=True,
    remove_pis=True,
)


class CotError(ValueError):
    """A CoT event that cannot be accepted: names the field and the reason."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


@dataclass(frozen=True)
class CotEvent:
    """One CoT event: who (uid, type), when (time/start/stale), where (point) and the detail."""

    uid: str
    type: str
    how: str
    time: datetime
    start: datetime
    stale: datetime
    lat: float
    lon: float
    hae: float = UNKNOWN
    ce: float = UNKNOWN
    le: float = UNKNOWN
    callsign: str | None = None
    group: str | None = None
    role: str | None = None
    course: float | None = None
    speed_mps: float | None = None
    remarks: str | None = None
    dest_callsigns: tuple[str, ...] = ()
    detail_xml: str = ""
    dest_uids: tuple[str, ...] = ()


@dataclass(frozen=True)
class DetailFacts:
    """What the server and the field link read from a `<detail>`."""

    callsign: str | None = None
    group: str | None = None
    role: str | None = None
    course: float | None = None
    speed_mps: float | None = None
    remarks: str | None = None
    dest_callsigns: tuple[str, ...] = ()
    dest_uids: tuple[str, ...] = ()


def cot_time(value: datetime) -> str:
    """A CoT xs:dateTime in UTC with milliseconds: 2026-11-21T14:00:00.000Z."""
    return (
        value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"
    )


def parse_time(text: str | None, field: str) -> datetime:
    """Parse a CoT xs:dateTime; a time without an offset is UTC."""
    if not text:
        raise CotError(field, "is required")
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise CotError(field, f"{text[:40]!r} is not an xs:dateTime") from None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def reject_dtd(xml: bytes, max_bytes: int) -> None:
    """Refuse oversize input and any DTD or entity declaration before parsing."""
    if len(xml) > max_bytes:
        raise CotError("event", f"is {len(xml)} bytes, more than {max_bytes}")
    if b"<!DOCTYPE" in xml or b"<!ENTITY" in xml:
        raise CotError("event", "DTDs and entity declarations are not allowed")


def parse_cot(xml: bytes, *, max_bytes: int = DEFAULT_MAX_EVENT_BYTES) -> CotEvent:
    """One `<event>` (an XML declaration before it is allowed) into a CotEvent."""
    reject_dtd(xml, max_bytes)
    try:
        root = etree.fromstring(xml, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise CotError("event", f"is not well-formed XML ({exc.msg})") from None
    if root.tag != "event":
        raise CotError("event", f"root element is <{root.tag!s:.40}>, not <event>")
    return event_from_element(root)


def event_from_element(root: etree._Element) -> CotEvent:
    """Read an already parsed `<event>` element."""
    uid = _required(root, "uid")
    kind = _required(root, "type")
    if _TYPE.fullmatch(kind) is None:
        raise CotError("type", f"{kind[:40]!r} is not a CoT type")
    point = root.find("point")
    if point is None:
        raise CotError("point", "is required")
    detail = root.find("detail")
    facts = detail_facts(detail) if detail is not None else DetailFacts()
    return CotEvent(
        uid=uid,
        type=kind,
        how=root.get("how") or "",
        time=parse_time(root.get("time"), "time"),
        start=parse_time(root.get("start") or root.get("time"), "start"),
        stale=parse_time(root.get("stale"), "stale"),
        lat=_number(point, "lat", -90.0, 90.0),
        lon=_number(point, "lon", -180.0, 180.0),
        hae=_number(point, "hae", default=UNKNOWN),
        ce=_number(point, "ce", default=UNKNOWN),
        le=_number(point, "le", default=UNKNOWN),
        callsign=facts.callsign,
        group=facts.group,
        role=facts.role,
        course=facts.course,
        speed_mps=facts.speed_mps,
        remarks=facts.remarks,
        dest_callsigns=facts.dest_callsigns,
        dest_uids=facts.dest_uids,
        detail_xml=inner_xml(detail) if detail is not None else "",
    )


def _required(element: etree._Element, name: str) -> str:
    value = element.get(name)
    if not value:
        raise CotError(name, "is required")
    if len(value) > 512:
        raise CotError(name, "is longer than 512 characters")
    return value


def _number(
    element: etree._Element,
    name: str,
    low: float = -math.inf,
    high: float = math.inf,
    default: float | None = None,
) -> float:
    text = element.get(name)
    if text is None and default is not None:
        return default
    try:
        value = float(text or "")
    except ValueError:
        raise CotError(f"point.{name}", f"{(text or '')[:40]!r} is not a number") from None
    if math.isnan(value) or not low <= value <= high:
        raise CotError(f"point.{name}", f"{value} is outside {low}..{high}")
    return value


def _optional_float(element: etree._Element | None, name: str, field: str) -> float | None:
    text = None if element is None else element.get(name)
    if text is None or text == "":
        return None
    try:
        value = float(text)
    except ValueError:
        raise CotError(field, f"{text[:40]!r} is not a number") from None
    return None if math.isnan(value) else value


def detail_facts(detail: etree._Element) -> DetailFacts:
    """The contact, group, track, remarks and marti destinations of a `<detail>`."""
    contact = detail.find("contact")
    group = detail.find("__group")
    track = detail.find("track")
    remarks = detail.find("remarks")
    callsigns: list[str] = []
    uids: list[str] = []
    for dest in detail.iterfind("marti/dest"):
        if callsign := dest.get("callsign"):
            callsigns.append(callsign)
        if uid := dest.get("uid"):
            uids.append(uid)
    return DetailFacts(
        callsign=contact.get("callsign") if contact is not None else None,
        group=group.get("name") if group is not None else None,
        role=group.get("role") if group is not None else None,
        course=_optional_float(track, "course", "detail.track.course"),
        speed_mps=_optional_float(track, "speed", "detail.track.speed"),
        remarks=(remarks.text or "") if remarks is not None else None,
        dest_callsigns=tuple(callsigns),
        dest_uids=tuple(uids),
    )


def inner_xml(element: etree._Element) -> str:
    """The children of an element serialised verbatim (without the element's own tags)."""
    return "".join(etree.tostring(child, encoding="unicode") for child in element)


def built_detail(event: CotEvent) -> str:
    """The detail inner XML made from the typed fields (for events Watchfloor creates)."""
    parts: list[str] = []
    if event.callsign is not None:
        parts.append(f"<contact callsign={quoteattr(event.callsign)}/>")
    if event.group is not None:
        role = quoteattr(event.role or "Team Member")
        parts.append(f"<__group name={quoteattr(event.group)} role={role}/>")
    if event.course is not None or event.speed_mps is not None:
        parts.append(f'<track course="{event.course or 0.0}" speed="{event.speed_mps or 0.0}"/>')
    if event.remarks is not None:
        parts.append(f"<remarks>{escape(event.remarks)}</remarks>")
    if event.dest_callsigns or event.dest_uids:
        dests = [f"<dest callsign={quoteattr(c)}/>" for c in event.dest_callsigns]
        dests += [f"<dest uid={quoteattr(u)}/>" for u in event.dest_uids]
        parts.append("<marti>" + "".join(dests) + "</marti>")
    return "".join(parts)


def cot_xml(event: CotEvent) -> bytes:
    """A complete `<event>` (no XML declaration); the detail is `detail_xml` when set, else it is
    built from the typed fields."""
    how = f" how={quoteattr(event.how)}" if event.how else ""
    detail = event.detail_xml or built_detail(event)
    text = (
        f'<event version="2.0" uid={quoteattr(event.uid)} type={quoteattr(event.type)}{how}'
        f' time="{cot_time(event.time)}" start="{cot_time(event.start)}"'
        f' stale="{cot_time(event.stale)}">'
        f'<point lat="{event.lat}" lon="{event.lon}" hae="{event.hae}" ce="{event.ce}"'
        f' le="{event.le}"/><detail>{detail}</detail></event>'
    )
    return text.encode()


from watchfloor.connectors.tak.proto import from_proto, to_proto  # noqa: E402

__all__ = [
    "CotError",
    "CotEvent",
    "DetailFacts",
    "cot_time",
    "cot_xml",
    "from_proto",
    "parse_cot",
    "to_proto",
]
