"""Camera inventories as CSV and GeoJSON: parsing (bad rows named, never aborting the file) and
writing (no stream addresses; CSV cells that a spreadsheet would run as formulas are quoted)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from watchfloor.core.errors import MalformedInput
from watchfloor.domain.cameras.schemas import CameraIn, CameraOut, RowProblem

COLUMNS = (
    "code",
    "name",
    "kind",
    "owner",
    "agreement",
    "lat",
    "lon",
    "location_note",
    "mount_height_m",
    "bearing",
    "fov_angle",
    "fov_range_m",
    "ptz",
    "ptz_range_m",
    "recording_source",
    "access_level",
    "status",
    "labels",
    "maintenance_contact",
    "external_ref",
)
"""Columns an inventory sets, in export order (addresses may be imported, never exported)."""

EXPORT_ONLY = (
    "has_stream",
    "stream_count",
    "has_onvif",
    "mobile",
    "last_lat",
    "last_lon",
    "last_position_at",
    "retired_at",
    "updated_at",
)
"""Read-only facts an export adds; an import skips them, so exports import back as they are."""

IGNORED = frozenset({*EXPORT_ONLY, "id", "created_at"})
IMPORTABLE = frozenset({*COLUMNS, "stream_urls", "onvif_url"})
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
TEXT_COLUMNS = frozenset(
    {"code", "name", "owner", "agreement", "location_note", "recording_source", "labels"}
    | {"maintenance_contact", "external_ref", "kind", "access_level", "status"}
)
MAX_PROBLEMS = 500


@dataclass
class Parsed:
    """The good rows of an inventory (with their line or feature index) and the problems."""

    rows: list[tuple[int, CameraIn]] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    rejected: int = 0
    by_line: bool = True

    def problem(self, position: int, name: str, reason: str) -> None:
        """Note one problem at a line (CSV) or feature (GeoJSON)."""
        if len(self.problems) >= MAX_PROBLEMS:
            return
        where = {"line": position} if self.by_line else {"feature": position}
        self.problems.append(RowProblem(**where, field=name, reason=reason))

    def take(self, position: int, values: dict[str, Any]) -> None:
        """Validate one row's values: a good row is kept, a bad one named field by field."""
        try:
            self.rows.append((position, CameraIn.model_validate(values)))
        except ValidationError as error:
            self.rejected += 1
            for item in error.errors():
                name = str(item["loc"][0]) if item["loc"] else "row"
                self.problem(position, name, str(item["msg"]))


def _text(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise MalformedInput(f"the inventory is not UTF-8 (byte {error.start})") from error


def _unquote(value: str) -> str:
    if len(value) > 1 and value[0] == "'" and value[1] in FORMULA_START:
        return value[1:]
    return value


def _cell_value(name: str, raw: str) -> Any:
    value = _unquote(raw.strip())
    if name == "labels":
        return [label for label in value.split(";") if label.strip()]
    if name == "stream_urls":
        return value.split()
    return value


def _csv_rows(reader: Any) -> Iterator[tuple[int, list[str]]]:
    while True:
        start = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        yield start, cells


def parse_csv(data: bytes) -> Parsed:
    """The rows of a CSV inventory with a header line; unknown columns are named and skipped."""
    parsed = Parsed()
    reader = csv.reader(io.StringIO(_text(data), newline=""))
    try:
        header = [name.strip() for name in next(reader)]
    except (StopIteration, csv.Error) as error:
        raise MalformedInput("the inventory has no header line") from error
    for name in header:
        if name not in IMPORTABLE and name not in IGNORED:
            parsed.problem(1, name, "unknown column; ignored")
    try:
        for line, cells in _csv_rows(reader):
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) != len(header):
                parsed.rejected += 1
                parsed.problem(line, "row", f"has {len(cells)} cells, the header {len(header)}")
                continue
            values = {
                name: _cell_value(name, cell)
                for name, cell in zip(header, cells, strict=True)
                if name in IMPORTABLE and cell.strip()
            }
            parsed.take(line, values)
    except csv.Error as error:
        raise MalformedInput(f"the CSV is broken at line {reader.line_num}: {error}") from error
    return parsed


def parse_geojson(data: bytes) -> Parsed:
    """The features of a GeoJSON FeatureCollection of Point cameras (the code in properties)."""
    try:
        document = json.loads(_text(data))
    except json.JSONDecodeError as error:
        raise MalformedInput(f"the GeoJSON is not JSON (line {error.lineno})") from error
    features = document.get("features") if isinstance(document, dict) else None
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
        raise MalformedInput("the GeoJSON is not a FeatureCollection")
    if not isinstance(features, list):
        raise MalformedInput("the FeatureCollection has no features list")
    parsed = Parsed(by_line=False)
    for index, feature in enumerate(features):
        values = _feature_values(parsed, index, feature)
        if values is not None:
            parsed.take(index, values)
    return parsed


def _feature_values(parsed: Parsed, index: int, feature: Any) -> dict[str, Any] | None:
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        parsed.rejected += 1
        parsed.problem(index, "type", "not a Feature")
        return None
    properties = feature.get("properties") or {}
    if not isinstance(properties, dict):
        parsed.rejected += 1
        parsed.problem(index, "properties", "not an object")
        return None
    values = {k: v for k, v in properties.items() if k in IMPORTABLE}
    for name in properties:
        if name not in IMPORTABLE and name not in IGNORED:
            parsed.problem(index, name, "unknown property; ignored")
    geometry = feature.get("geometry")
    if geometry is not None:
        point = _point(geometry)
        if point is None:
            parsed.rejected += 1
            parsed.problem(index, "geometry", "must be a Point [lon, lat] or null")
            return None
        values["lon"], values["lat"] = point
    return values


def _point(geometry: Any) -> tuple[float, float] | None:
    if not isinstance(geometry, dict) or geometry.get("type") != "Point":
        return None
    coordinates = geometry.get("coordinates")
    if not isinstance(coordinates, list) or len(coordinates) not in (2, 3):
        return None
    lon, lat = coordinates[0], coordinates[1]
    numbers = all(isinstance(n, int | float) and not isinstance(n, bool) for n in (lon, lat))
    return (float(lon), float(lat)) if numbers else None


def _safe_cell(name: str, value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        value = ";".join(str(item) for item in value)
    text = value.isoformat() if hasattr(value, "isoformat") else str(value)
    if name in TEXT_COLUMNS and text.startswith(FORMULA_START):
        return "'" + text
    return text


def write_csv(cameras: Sequence[CameraOut]) -> str:
    """The cameras as CSV, header first; formula-like text cells are prefixed with a quote."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    names = (*COLUMNS, *EXPORT_ONLY)
    writer.writerow(names)
    for camera in cameras:
        row: Mapping[str, Any] = camera.model_dump()
        writer.writerow([_safe_cell(name, row[name]) for name in names])
    return out.getvalue()


def write_geojson(cameras: Sequence[CameraOut]) -> dict[str, Any]:
    """The cameras as a GeoJSON FeatureCollection (a null geometry where none is known)."""
    features = []
    for camera in cameras:
        properties = camera.model_dump(mode="json", exclude={"id", "lat", "lon", "created_at"})
        geometry = None
        if camera.lat is not None and camera.lon is not None:
            geometry = {"type": "Point", "coordinates": [camera.lon, camera.lat]}
        features.append(
            {"type": "Feature", "id": camera.code, "geometry": geometry, "properties": properties}
        )
    return {"type": "FeatureCollection", "features": features}
