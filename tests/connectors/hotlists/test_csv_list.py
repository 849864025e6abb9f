"""CSV hotlists: header-named columns, the list's default reason, bad rows reported."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from watchfloor.connectors.hotlists import HotlistRecord, LineProblem, parse, parser_for
from watchfloor.connectors.hotlists.registry import register_parser


def _parse(text: str, default: str | None = "bolo") -> list[HotlistRecord | LineProblem]:
    return list(parse("csv", text.splitlines(keepends=True), default))


def test_columns_by_header_in_any_order_with_unknown_ones_ignored() -> None:
    text = (
        "State,Plate,Colour,make,year,expires_at,reason,unit\n"
        "ca,abc-123,SIL,TOYT,2015,2026-12-01,stolen_plate,7\n"
        "NV,XYZ 9,,,,,,\n"
    )

    first, second = _parse(text)

    assert isinstance(first, HotlistRecord)
    assert (first.line, first.plate, first.plate_raw, first.state) == (2, "ABC123", "abc-123", "CA")
    assert (first.colour, first.make, first.vehicle_year) == ("SIL", "TOYT", 2015)
    assert first.expires_at == datetime(2026, 12, 1, tzinfo=UTC)
    assert first.reason_code == "stolen_plate"
    assert isinstance(second, HotlistRecord)
    assert (second.plate, second.reason_code, second.colour) == ("XYZ9", "bolo", None)


def test_bad_rows_are_reported_and_do_not_stop_the_file() -> None:
    text = (
        "plate,state,reason,year,entered_at\n"
        ",CA,,,\n"
        "AAA111,CALIFORNIA,,,\n"
        "BBB222,CA,parking,,\n"
        "CCC333,CA,,19x5,\n"
        "DDD444,CA,,,yesterday\n"
        "EEE555,CA,,,,extra\n"
        "FFF666,CA,,,2026-11-20T10:00:00\n"
    )

    parsed = _parse(text)

    problems = {p.line: p.reason for p in parsed if isinstance(p, LineProblem)}
    assert sorted(problems) == [2, 3, 4, 5, 6, 7]
    assert "plate" in problems[2]
    assert "state" in problems[3]
    assert "unknown reason" in problems[4]
    assert "year" in problems[5]
    assert "entered_at" in problems[6]
    assert "fields" in problems[7]
    [record] = [r for r in parsed if isinstance(r, HotlistRecord)]
    assert record.entered_at == datetime(2026, 11, 20, 10, tzinfo=UTC)


def test_no_reason_and_no_default_is_a_problem() -> None:
    [problem] = _parse("plate\nABC123\n", default=None)

    assert isinstance(problem, LineProblem)
    assert "default reason" in problem.reason


def test_a_header_without_a_plate_column_is_one_problem() -> None:
    assert _parse("tag,state\nABC123,CA\n") == [LineProblem(1, "header has no 'plate' column")]


def test_quoted_fields_spanning_lines_count_physical_lines() -> None:
    text = 'plate,description\nABC123,"blue van,\nroof rack"\n---,x\n'

    first, second = _parse(text)

    assert isinstance(first, HotlistRecord)
    assert first.description == "blue van,\nroof rack"
    assert second == LineProblem(4, "plate '---' has no letters or digits")


def test_the_registry_names_formats_and_refuses_duplicates() -> None:
    with pytest.raises(KeyError, match="clew"):
        parser_for("clew")
    with pytest.raises(ValueError, match="already"):
        register_parser("csv", parser_for("csv"))
