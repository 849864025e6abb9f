"""CSV hotlists with a header row. Columns (any order, case-insensitive; unknown ones ignored):
plate, state, plate_type, reason, make, model, colour (or color), year, description,
entered_at, expires_at, nic, ori, oca. Only plate is required; reason falls back to the list's
default reason; times are ISO 8601 (UTC when no offset is given)."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator

from watchfloor.connectors.hotlists.records import (
    REASON_CODES,
    BadField,
    HotlistRecord,
    LineProblem,
    Parsed,
    plate_of,
    state_of,
    text,
    timestamp,
    year_of,
)

ALIASES = {"color": "colour", "lic": "plate", "lis": "state", "vehicle_year": "year"}


def parse_csv(lines: Iterable[str], default_reason: str | None = None) -> Iterator[Parsed]:
    """Records and problems of a CSV list, one per data row (line numbers are physical lines)."""
    reader = csv.reader(iter(lines))
    header = next(reader, None)
    if header is None:
        return
    columns = [ALIASES.get(name.strip().lower(), name.strip().lower()) for name in header]
    if "plate" not in columns:
        yield LineProblem(reader.line_num, "header has no 'plate' column")
        return
    for values in reader:
        number = reader.line_num
        if not any(value.strip() for value in values):
            continue
        if len(values) > len(columns):
            yield LineProblem(number, f"{len(values)} fields but the header names {len(columns)}")
            continue
        row = dict(zip(columns, values, strict=False))
        try:
            yield csv_record(number, row, default_reason)
        except BadField as problem:
            yield LineProblem(number, str(problem))


def csv_record(number: int, row: dict[str, str], default_reason: str | None) -> HotlistRecord:
    """One CSV row (column -> value) as a record; BadField names what is wrong with it."""
    plate, written = plate_of(row.get("plate"))
    return HotlistRecord(
        line=number,
        plate=plate,
        plate_raw=written,
        reason_code=_reason(row.get("reason"), default_reason),
        state=state_of(row.get("state")),
        plate_type=text(row.get("plate_type"), "plate_type"),
        make=text(row.get("make"), "make"),
        model=text(row.get("model"), "model"),
        colour=text(row.get("colour"), "colour"),
        vehicle_year=year_of(row.get("year")),
        description=text(row.get("description"), "description"),
        entered_at=timestamp(row.get("entered_at"), "entered_at"),
        expires_at=timestamp(row.get("expires_at"), "expires_at"),
        nic=text(row.get("nic"), "nic"),
        ori=text(row.get("ori"), "ori"),
        oca=text(row.get("oca"), "oca"),
    )


def _reason(raw: str | None, default_reason: str | None) -> str:
    value = text(raw, "reason")
    if value is None:
        if default_reason is None:
            raise BadField("reason is missing and the list has no default reason")
        return default_reason
    code = value.lower()
    if code not in REASON_CODES:
        raise BadField(f"unknown reason {value!r}")
    return code
