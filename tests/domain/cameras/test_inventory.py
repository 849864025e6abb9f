"""Camera inventories: CSV and GeoJSON parsing names bad rows, export is formula-safe, and the
demo city's OSM cameras all map to valid records."""

from __future__ import annotations

import csv
import io
import json

import pytest

from watchfloor.core.errors import MalformedInput
from watchfloor.demo.city import Camera as OsmCamera
from watchfloor.demo.city import load_cameras
from watchfloor.domain.cameras.inventory import (
    parse_csv,
    parse_geojson,
    write_csv,
    write_geojson,
)
from watchfloor.domain.cameras.osm import OSM_OWNER, camera_from_osm, osm_bearing, osm_kind
from watchfloor.domain.cameras.schemas import AccessLevel, CameraKind, CameraOut, CameraStatus

HEADER = "code,name,kind,owner,lat,lon,labels,stream_urls\n"


def _out(**changes: object) -> CameraOut:
    base: dict[str, object] = {
        "id": 1,
        "code": "C-1",
        "name": "Esplanadi E",
        "kind": "city",
        "owner": "City of Helsinki",
        "agreement": None,
        "lat": 60.1675,
        "lon": 24.95,
        "location_note": None,
        "mount_height_m": 6.0,
        "bearing": 90.0,
        "fov_angle": 70.0,
        "fov_range_m": 80.0,
        "ptz": False,
        "ptz_range_m": None,
        "has_stream": True,
        "stream_count": 1,
        "has_onvif": False,
        "recording_source": "VMS-1",
        "access_level": "live",
        "status": "active",
        "labels": ["downtown", "esplanadi"],
        "maintenance_contact": "+358 9 123",
        "external_ref": None,
        "mobile": False,
        "last_lat": None,
        "last_lon": None,
        "last_position_at": None,
        "created_at": "2026-11-21T14:00:00Z",
        "updated_at": "2026-11-21T14:00:00Z",
        "retired_at": None,
    }
    return CameraOut.model_validate(base | changes)


def test_csv_rows_are_kept_and_bad_ones_named_by_line_and_field() -> None:
    data = (
        HEADER
        + "C-1,Esplanadi,city,City,60.1,24.9,a;b,rtsp://u:p@10.0.0.1/s\n"
        + 'C-2,"Two\nlines",tv,City,60.1,24.9,,\n'
        + "C-3,Kauppatori,city,City,91,24.9,,\n"
        + "C-4,Pier,transit,HSL,60.2,24.8,,\n"
    )
    parsed = parse_csv(data.encode())
    assert [(line, body.code) for line, body in parsed.rows] == [(2, "C-1"), (6, "C-4")]
    assert parsed.rows[0][1].labels == ["a", "b"]
    assert parsed.rejected == 2
    named = {(p.line, p.field) for p in parsed.problems}
    assert named == {(3, "kind"), (5, "lat")}


def test_csv_unknown_columns_and_short_rows_are_reported_not_fatal() -> None:
    data = "code,name,kind,owner,lat,lon,colour\nC-1,A,city,O,60,24,red\nC-2,B\n"
    parsed = parse_csv(data.encode())
    assert [body.code for _, body in parsed.rows] == ["C-1"]
    assert {(p.line, p.field) for p in parsed.problems} == {(1, "colour"), (3, "row")}


def test_a_file_that_is_not_utf8_is_malformed() -> None:
    with pytest.raises(MalformedInput):
        parse_csv(b"code,name\n\xff\xfe,x\n")


def test_csv_export_quotes_formulas_and_imports_back_unchanged() -> None:
    evil = _out(name='=HYPERLINK("http://x")', owner="+1 owner", labels=["@sum", "ok"])
    text = write_csv([evil, _out(id=2, code="C-2", lon=-0.5)])
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows[0]["name"].startswith("'=")
    assert rows[0]["owner"] == "'+1 owner"
    assert rows[1]["lon"] == "-0.5"
    assert "stream_urls" not in text
    assert rows[0]["labels"] == "'@sum;ok"
    parsed = parse_csv(text.encode())
    assert parsed.problems == []
    back = parsed.rows[0][1]
    assert (back.name, back.owner, back.labels) == (evil.name, evil.owner, ["@sum", "ok"])
    assert parsed.rows[1][1].lon == -0.5


def test_geojson_round_trips_and_names_bad_features_by_index() -> None:
    document = write_geojson([_out(), _out(id=2, code="C-2", lat=None, lon=None, status="planned")])
    assert document["features"][0]["geometry"] == {"type": "Point", "coordinates": [24.95, 60.1675]}
    assert document["features"][1]["geometry"] is None
    document["features"].append({"type": "Feature", "geometry": {"type": "Line"}, "properties": {}})
    document["features"].append(
        {"type": "Feature", "geometry": None, "properties": {"code": "C-9", "kind": "x"}}
    )
    parsed = parse_geojson(json.dumps(document).encode())
    assert [(index, body.code) for index, body in parsed.rows] == [(0, "C-1"), (1, "C-2")]
    assert parsed.rows[0][1].lat == 60.1675
    assert parsed.rejected == 2
    fields = {(p.feature, p.field) for p in parsed.problems}
    assert (2, "geometry") in fields
    assert {(3, "kind"), (3, "name"), (3, "owner")} <= fields


def test_geojson_that_is_no_feature_collection_is_malformed() -> None:
    with pytest.raises(MalformedInput):
        parse_geojson(b'{"type": "Feature"}')


def test_every_bundled_osm_camera_maps_to_a_valid_record() -> None:
    cameras = load_cameras()
    assert len(cameras) == 221
    records = [camera_from_osm(camera) for camera in cameras]
    assert len({record.code for record in records}) == 221
    assert all(record.owner == OSM_OWNER for record in records)
    assert all(record.status == CameraStatus.UNVERIFIED for record in records)
    assert all(record.fov_angle == 90 and record.fov_range_m == 60 for record in records)
    assert sum(record.ptz for record in records) >= 34  # revolving=yes
    assert all(record.access_level == AccessLevel.RECORDED_ONLY for record in records)


def test_osm_tags_give_kind_bearing_height_and_public_access() -> None:
    node = OsmCamera(
        1,
        60.0,
        24.0,
        {"surveillance": "public", "camera:direction": "NE", "height": "7", "name": "Tori"},
    )
    record = camera_from_osm(node)
    assert (record.kind, record.bearing, record.mount_height_m) == (CameraKind.CITY, 45.0, 7.0)
    assert record.access_level == AccessLevel.LIVE
    assert record.name == "Tori"
    assert osm_kind({"surveillance:type": "ALPR"}) == CameraKind.PLATE_READER
    assert osm_kind({"surveillance:zone": "traffic"}) == CameraKind.TRAFFIC
    assert osm_kind({"surveillance": "indoor"}) == CameraKind.BUSINESS
    assert osm_bearing({"direction": "370"}) == 10.0
    assert osm_bearing({"direction": "forward"}) is None
