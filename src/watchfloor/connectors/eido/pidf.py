"""PIDF-LO (RFC 4119 / RFC 5491 geodetic shapes, RFC 5139 civic address) read with defusedxml."""

from __future__ import annotations

import math
from dataclasses import dataclass
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

_STREET_PARTS = ("HNO", "HNS", "PRD", "RD", "STS", "POD")
_UNCERTAINTY = ("radius", "semiMajorAxis")


class PidfError(ValueError):
    """The PIDF-LO text cannot be read (broken XML, bad coordinates text)."""


@dataclass(frozen=True)
class Position:
    """A position as the producer wrote it; not yet checked for plausibility."""

    lat: float
    lon: float
    alt_m: float | None = None
    uncertainty_m: float | None = None


@dataclass(frozen=True)
class PidfLocation:
    """What a PIDF-LO document says: a geodetic position and/or a civic address line."""

    position: Position | None
    address: str | None


def coordinate_problem(lat: float, lon: float) -> str | None:
    """Why the coordinates cannot be a real report, or None when they can."""
    if math.isnan(lat) or math.isnan(lon) or math.isinf(lat) or math.isinf(lon):
        return "coordinates must be finite numbers"
    if abs(lat) > 90:
        return f"latitude {lat:g} out of range -90..90"
    if abs(lon) > 180:
        return f"longitude {lon:g} out of range -180..180"
    if lat == 0 and lon == 0:
        return "coordinates 0,0 (null island) are not a real location"
    return None


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _parse_xml(text: str) -> Element:
    try:
        return fromstring(text.strip())
    except ParseError as exc:
        raise PidfError(f"PIDF-LO is not well-formed XML: {exc}") from exc
    except DefusedXmlException as exc:
        raise PidfError(f"PIDF-LO uses forbidden XML features: {exc}") from exc


def _first(root: Element, names: tuple[str, ...]) -> Element | None:
    for element in root.iter():
        if _local(element.tag) in names:
            return element
    return None


def _numbers(text: str | None, what: str) -> list[float]:
    try:
        return [float(part) for part in (text or "").split()]
    except ValueError as exc:
        raise PidfError(f"{what} must hold numbers, got {text!r}") from exc


def _position(root: Element) -> Position | None:
    pos = _first(root, ("pos",))
    if pos is not None:
        values = _numbers(pos.text, "gml:pos")
        if len(values) not in (2, 3):
            raise PidfError(f"gml:pos needs 'lat lon [alt]', got {pos.text!r}")
        lat, lon = values[0], values[1]
        alt = values[2] if len(values) == 3 else None
    else:
        pos_list = _first(root, ("posList",))
        if pos_list is None:
            return None
        values = _numbers(pos_list.text, "gml:posList")
        pairs = list(zip(values[0::2], values[1::2], strict=False))
        if len(pairs) > 1 and pairs[0] == pairs[-1]:
            pairs = pairs[:-1]
        if not pairs:
            raise PidfError("gml:posList holds no positions")
        lat = sum(p[0] for p in pairs) / len(pairs)
        lon = sum(p[1] for p in pairs) / len(pairs)
        alt = None
    return Position(lat, lon, alt, _uncertainty(root))


def _uncertainty(root: Element) -> float | None:
    element = _first(root, _UNCERTAINTY)
    if element is None:
        return None
    values = _numbers(element.text, _local(element.tag))
    return abs(values[0]) if values and math.isfinite(values[0]) else None


def _civic(root: Element) -> str | None:
    civic = _first(root, ("civicAddress",))
    if civic is None:
        return None
    fields = {_local(child.tag): (child.text or "").strip() for child in civic}
    street = " ".join(fields[name] for name in _STREET_PARTS if fields.get(name))
    parts = [part for part in (street, fields.get("A3"), fields.get("A1")) if part]
    return ", ".join(parts) or None


def parse_pidf(text: str) -> PidfLocation:
    """The position and civic address line ("HNO PRD RD STS, A3, A1") of a PIDF-LO document."""
    root = _parse_xml(text)
    return PidfLocation(_position(root), _civic(root))


def street_text(value: str) -> str:
    """A street given "in PIDF-LO format" as its civic line; plain text is taken as it is."""
    if not value.lstrip().startswith("<"):
        return value.strip()
    root = _parse_xml(value)
    civic = _civic(root)
    if civic:
        return civic
    return " ".join(" ".join(root.itertext()).split())
