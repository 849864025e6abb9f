"""A valid CAP 1.2 alert as the alert report the desk stores.

One report per CAP message (its `info` blocks are the same event in several languages or for
several audiences; all of them are kept in the details). The report's source_ref is the
original message's "sender,identifier": an Update or Cancel names its predecessors in
`references` ("sender,identifier,sent" triples) and takes the earliest one's, so every message
about one event merges into one alert; a Cancel ends it. Ack and Error messages carry no alert.
The alert is placed at the first area's first circle centre or polygon centroid.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar

from watchfloor.connectors.cap.areas import (
    AreaError,
    Pair,
    centroid,
    parse_circle,
    parse_polygon,
    reach_m,
)
from watchfloor.connectors.cap.parse import CAP_NS
from watchfloor.core.errors import FieldProblem, InvalidInput
from watchfloor.events.alerts import AlertKind, AlertReport

T = TypeVar("T")
SOURCE = "alerts-cap"
NO_ALERT = frozenset({"Ack", "Error"})
_HEADER = ("identifier", "sender", "sent", "status", "msgType", "scope", "source", "note")
_INFO = (
    "language", "event", "urgency", "severity", "certainty", "audience", "effective", "onset",
    "expires", "senderName", "headline", "description", "instruction", "web", "contact",
)  # fmt: skip


@dataclass(frozen=True)
class Placement:
    """Where the alert goes on the map."""

    lat: float
    lon: float
    error_m: float
    area: str | None


def cap_reports(root: Any) -> list[AlertReport]:
    """The alert reports of a validated `cap:alert` element (none for Ack and Error)."""
    header = {name: _text(root, name) for name in _HEADER}
    if header["msgType"] in NO_ALERT:
        return []
    references = _references(_text(root, "references"))
    infos = [_info(info, path) for path, info in _steps("/alert", _all(root, "info"), "info")]
    details: dict[str, Any] = {k: v for k, v in header.items() if v is not None}
    details.update(references=[list(r) for r in references], infos=infos)
    details["codes"] = [code.text for code in _all(root, "code")]
    first = infos[0] if infos else {}
    return [
        AlertReport(
            kind=AlertKind.CAP,
            source=SOURCE,
            source_ref=_source_ref(header, references),
            occurred_at=_when(first, header["sent"] or ""),
            title=_title(first, header)[:300],
            severity=(first.get("severity") or None),
            subject=(header["sender"] or "")[:200] or None,
            ended=header["msgType"] == "Cancel",
            details=details,
            **_placed(infos),
        )
    ]


def _text(element: Any, name: str) -> str | None:
    found = element.find(f"{{{CAP_NS}}}{name}")
    return found.text.strip() if found is not None and found.text is not None else None


def _all(element: Any, name: str) -> list[Any]:
    return list(element.iterfind(f"{{{CAP_NS}}}{name}"))


def _pairs(element: Any, name: str) -> list[dict[str, str | None]]:
    return [
        {"valueName": _text(item, "valueName"), "value": _text(item, "value")}
        for item in _all(element, name)
    ]


def _steps(parent: str, elements: list[Any], name: str) -> list[tuple[str, Any]]:
    """Each element with its path, indexed only where the name repeats (as the schema's
    problems are named)."""
    if len(elements) == 1:
        return [(f"{parent}/{name}", elements[0])]
    return [(f"{parent}/{name}[{n}]", e) for n, e in enumerate(elements, 1)]


def _info(info: Any, path: str) -> dict[str, Any]:
    block: dict[str, Any] = {name: _text(info, name) for name in _INFO}
    block["category"] = [c.text for c in _all(info, "category")]
    block["responseType"] = [r.text for r in _all(info, "responseType")]
    block["eventCodes"] = _pairs(info, "eventCode")
    block["parameters"] = _pairs(info, "parameter")
    block["areas"] = [_area(area, at) for at, area in _steps(path, _all(info, "area"), "area")]
    return block


def _area(area: Any, path: str) -> dict[str, Any]:
    polygons = [
        _shape(parse_polygon, p.text, at)
        for at, p in _steps(path, _all(area, "polygon"), "polygon")
    ]
    circles = [
        _shape(parse_circle, c.text, at) for at, c in _steps(path, _all(area, "circle"), "circle")
    ]
    return {
        "areaDesc": _text(area, "areaDesc"),
        "polygons": [[list(pair) for pair in polygon] for polygon in polygons],
        "circles": [{"lat": c.lat, "lon": c.lon, "radius_km": c.radius_km} for c in circles],
        "geocodes": _pairs(area, "geocode"),
        "altitude": _text(area, "altitude"),
        "ceiling": _text(area, "ceiling"),
    }


def _shape(parse: Callable[[str], T], text: str | None, path: str) -> T:
    try:
        return parse(text or "")
    except AreaError as exc:
        raise InvalidInput(f"bad CAP area: {exc}", [FieldProblem(path, str(exc))]) from None


def _references(text: str | None) -> list[tuple[str, str, str]]:
    triples = []
    for token in (text or "").split():
        parts = token.split(",")
        if len(parts) != 3 or not all(parts):
            reason = f"{token[:80]!r} is not a 'sender,identifier,sent' triple"
            raise InvalidInput("bad CAP references", [FieldProblem("/alert/references", reason)])
        triples.append((parts[0], parts[1], parts[2]))
    return triples


def _source_ref(header: dict[str, str | None], refs: list[tuple[str, str, str]]) -> str:
    sender, identifier = header["sender"] or "", header["identifier"] or ""
    if header["msgType"] in ("Update", "Cancel") and refs:
        sender, identifier, _sent = min(refs, key=lambda ref: _sort_time(ref[2]))
    ref = f"{sender},{identifier}"
    return ref if len(ref) <= 200 else "sha256:" + hashlib.sha256(ref.encode()).hexdigest()


def _sort_time(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return datetime.max.replace(tzinfo=UTC)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _when(info: dict[str, Any], sent: str) -> datetime:
    for text in (info.get("onset"), info.get("effective"), sent):
        if text:
            try:
                moment = datetime.fromisoformat(text)
            except ValueError:
                continue
            if moment.tzinfo is not None:
                return moment
    return datetime.fromisoformat(sent)  # the schema guarantees sent's form and offset


def _title(info: dict[str, Any], header: dict[str, str | None]) -> str:
    title = info.get("headline") or info.get("event")
    if not title:
        title = f"CAP {header['msgType']} from {header['sender']}"
    prefix = {"Exercise": "EXERCISE: ", "Test": "TEST: ", "Draft": "DRAFT: "}
    prefix_text = prefix.get(header["status"] or "", "")
    cancelled = "Cancelled: " if header["msgType"] == "Cancel" else ""
    return f"{prefix_text}{cancelled}{title}"


def _placed(infos: list[dict[str, Any]]) -> dict[str, Any]:
    place = _placement(infos)
    if place is None:
        first_area = next((a for i in infos for a in i["areas"]), None)
        desc = first_area["areaDesc"] if first_area else None
        return {"address": desc[:500] if desc else None}
    return {
        "lat": place.lat,
        "lon": place.lon,
        "location_error_m": place.error_m,
        "address": place.area[:500] if place.area else None,
    }


def _placement(infos: list[dict[str, Any]]) -> Placement | None:
    """The first area (in document order) with a circle or a polygon."""
    for info in infos:
        for area in info["areas"]:
            if area["circles"]:
                c = area["circles"][0]
                return Placement(c["lat"], c["lon"], c["radius_km"] * 1000, area["areaDesc"])
            if area["polygons"]:
                pairs: list[Pair] = [(p[0], p[1]) for p in area["polygons"][0]]
                lat, lon = centroid(pairs)
                return Placement(lat, lon, reach_m((lat, lon), pairs), area["areaDesc"])
    return None
