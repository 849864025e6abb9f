"""The address book registrations are geocoded against: address points read from a JSON file,
matched whatever the word order ("Street 5" or "5 Street"), case, punctuation or accents, with
suggestions for near misses."""

from __future__ import annotations

import difflib
import json
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from watchfloor.domain.premises.address import address_key

MAX_QUERY_CHARS = 200
CLOSE_STREETS = 3
_DIGITS = re.compile(r"^[0-9]")


@dataclass(frozen=True)
class AddressPoint:
    """One address as residents write it, with its position."""

    address: str
    lat: float
    lon: float
    district: str | None
    street_key: str
    number: str

    @property
    def key(self) -> str:
        """The normalised address: street key, then house number."""
        return f"{self.street_key} {self.number}".strip()


def fold(text: str) -> str:
    """Accents dropped ("Mäkelänkatu" → "Makelankatu"), so residents may type either."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def split_address(text: str) -> tuple[str, str]:
    """Normalised (street, house number) of what someone typed: the part before the first comma
    (the one after too when the number is there), with the number first or last ("5 Main St",
    "Main Street 5", "main st. 5 b", "Main Street, 5")."""
    parts = fold(text[:MAX_QUERY_CHARS]).split(",")
    words = (address_key(parts[0]) or "").split()
    if len(parts) > 1 and not any(_DIGITS.match(w) for w in words):
        words += (address_key(parts[1]) or "").split()  # "Main Street, 5"
    if len(words) >= 2 and len(words[-1]) == 1 and words[-1].isalpha() and words[-2].isdigit():
        words[-2:] = [words[-2] + words[-1]]  # "7 B" is house 7B
    if words and _DIGITS.match(words[-1]):
        return " ".join(words[:-1]), words[-1]
    if words and _DIGITS.match(words[0]):
        return " ".join(words[1:]), words[0]
    return " ".join(words), ""


class AddressBook:
    """Address points indexed by normalised street and house number."""

    def __init__(self, points: list[AddressPoint]) -> None:
        self._by_key: dict[str, AddressPoint] = {}
        self._streets: dict[str, list[AddressPoint]] = defaultdict(list)
        for point in points:
            if point.key not in self._by_key:
                self._by_key[point.key] = point
                self._streets[point.street_key].append(point)
        for houses in self._streets.values():
            houses.sort(key=_house_order)
        self._street_keys = sorted(self._streets)

    @classmethod
    def from_file(cls, path: Path | Traversable) -> AddressBook:
        """The address points of a JSON file shaped like demo/city/addresses.json."""
        rows = json.loads(path.read_text(encoding="utf-8"))["addresses"]
        return cls.from_rows(rows)

    @classmethod
    def from_rows(cls, rows: list[dict[str, Any]]) -> AddressBook:
        """Address points from rows with street, housenumber, lat, lon and district."""
        grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for row in rows:
            number = str(row.get("housenumber") or "").split(",", 1)[0]
            line = f"{row.get('street') or ''} {number}".strip()
            if line and row.get("housenumber"):
                grouped[line].append(row)
        return cls([_point(line, same) for line, same in grouped.items()])

    def __len__(self) -> int:
        return len(self._by_key)

    def center(self) -> tuple[float, float]:
        """The middle of the address points (where the public map opens)."""
        if not self._by_key:
            return (0.0, 0.0)
        lats = [p.lat for p in self._by_key.values()]
        lons = [p.lon for p in self._by_key.values()]
        return ((min(lats) + max(lats)) / 2, (min(lons) + max(lons)) / 2)

    def resolve(self, address: str) -> AddressPoint | None:
        """The address point an address names exactly (after normalising), or None."""
        street, number = split_address(address)
        return self._by_key.get(f"{street} {number}".strip()) if street and number else None

    def suggest(self, query: str, limit: int = 8) -> list[AddressPoint]:
        """Addresses that start like the query, or whose street is close to its street."""
        street, number = split_address(query)
        if not street or limit <= 0:
            return []
        exact = self.resolve(query)
        found = [exact] if exact else []
        for street_key in self._streets_like(street):
            for point in self._streets[street_key]:
                if point is not exact and (not number or point.number.startswith(number)):
                    found.append(point)
                    if len(found) >= limit:
                        return found
        return found

    def _streets_like(self, street: str) -> list[str]:
        starting = [k for k in self._street_keys if k.startswith(street)]
        if starting:
            return starting
        containing = [k for k in self._street_keys if street in k]
        if containing:
            return containing
        return difflib.get_close_matches(street, self._street_keys, CLOSE_STREETS, 0.7)


def _point(line: str, rows: list[dict[str, Any]]) -> AddressPoint:
    street, number = split_address(line)
    return AddressPoint(
        address=line,
        lat=sum(float(r["lat"]) for r in rows) / len(rows),
        lon=sum(float(r["lon"]) for r in rows) / len(rows),
        district=next((str(r["district"]) for r in rows if r.get("district")), None),
        street_key=street,
        number=number,
    )


def _house_order(point: AddressPoint) -> tuple[int, str]:
    digits = re.match(r"[0-9]+", point.number)
    return (int(digits.group()) if digits else 0, point.number)
