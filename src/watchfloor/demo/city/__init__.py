"""The demo city, central Helsinki: basemap, addresses and cameras from OpenStreetMap (ODbL).

Read-only package data made by scripts/city/build_city.py; see LICENSE.md beside this file.
Importing this module reads nothing: each loader reads its file on first use and caches it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files
from typing import Any

ATTRIBUTION = "© OpenStreetMap contributors, ODbL 1.0"


@dataclass(frozen=True)
class Address:
    """A real address point (a building's centroid when OSM tags the building)."""

    osm: str
    street: str | None
    housenumber: str
    lat: float
    lon: float
    postcode: str | None = None
    name: str | None = None
    district: str | None = None

    @property
    def line(self) -> str:
        """The address as written locally: street, then house number."""
        return f"{self.street or ''} {self.housenumber}".strip()


@dataclass(frozen=True)
class Camera:
    """An OSM man_made=surveillance node."""

    id: int
    lat: float
    lon: float
    tags: dict[str, str] = field(default_factory=dict)


def read_json(name: str) -> Any:
    """A data file of this package, decoded (not cached: callers keep what they need)."""
    return json.loads(files(__name__).joinpath(name).read_text(encoding="utf-8"))


@cache
def _basemap_text() -> str:
    return files(__name__).joinpath("basemap.json").read_text(encoding="utf-8")


def basemap_bytes() -> bytes:
    """basemap.json as stored, for serving without re-encoding."""
    return _basemap_text().encode("utf-8")


def load_basemap() -> dict[str, Any]:
    """The basemap GeoJSON FeatureCollection (a fresh copy each call: callers may mutate it)."""
    loaded: dict[str, Any] = json.loads(_basemap_text())
    return loaded


@cache
def _addresses() -> tuple[Address, ...]:
    rows = read_json("addresses.json")["addresses"]
    return tuple(Address(**row) for row in rows)


def load_addresses() -> list[Address]:
    """Every address point of the demo city, sorted by street and house number."""
    return list(_addresses())


@cache
def _cameras() -> tuple[Camera, ...]:
    rows = read_json("cameras.json")["cameras"]
    return tuple(Camera(**row) for row in rows)


def load_cameras() -> list[Camera]:
    """The demo city's surveillance cameras as mapped in OSM, by node id."""
    return list(_cameras())


def find_address(street: str, housenumber: str) -> Address:
    """The address with this street and house number; KeyError when the city has none."""
    for address in _addresses():
        if address.street == street and address.housenumber == housenumber:
            return address
    raise KeyError(f"no address {street} {housenumber} in the demo city")
