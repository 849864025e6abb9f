"""NCIC LPR extract: the fixed-width layout of the standards note, and bad lines reported."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from watchfloor.connectors.hotlists import HotlistRecord, LineProblem, parse
from watchfloor.connectors.hotlists.ncic import LIST_CODES
from watchfloor.events.lpr import ReasonCode

HEADER = "NCIC LPR EXTRACT 20190510\n"
SAMPLE = "V123456789LA057020020190509AB123456  CA2009MC2009YAMACYLMCBLK"


def _parse(*lines: str) -> list[HotlistRecord | LineProblem]:
    return list(parse("ncic_fixed", [HEADER, *(line + "\r\n" for line in lines)]))


def test_the_sample_line_of_the_standards_note() -> None:
    [record] = _parse(SAMPLE)

    assert record == HotlistRecord(
        line=2,
        plate="AB123456",
        plate_raw="AB123456",
        reason_code="stolen_vehicle",
        list_code="V",
        nic="V123456789",
        ori="LA0570200",
        entered_at=datetime(2019, 5, 9, tzinfo=UTC),
        state="CA",
        plate_type="MC",
        vehicle_year=2009,
        make="YAMA",
        model="CYL",
        style="MC",
        colour="BLK",
    )


@pytest.mark.parametrize(
    ("code", "reason"),
    [("A", ReasonCode.AMBER), ("W", ReasonCode.WANTED_PERSON), ("X", ReasonCode.SEX_OFFENDER)],
)
def test_list_codes_become_reason_codes(code: str, reason: ReasonCode) -> None:
    [record] = _parse(code + SAMPLE[1:])

    assert isinstance(record, HotlistRecord)
    assert record.reason_code == reason.value
    assert len(LIST_CODES) == 13


def test_bad_lines_are_reported_with_their_number_and_the_rest_still_parses() -> None:
    short = SAMPLE[:30]
    unknown_code = "Z" + SAMPLE[1:]
    shifted = SAMPLE[:10] + " " + SAMPLE[10:]  # one column off: the date is no longer a date
    no_plate = SAMPLE[:27] + " " * 10 + SAMPLE[37:]
    bad_year = SAMPLE[:45] + "20X9" + SAMPLE[49:]

    parsed = _parse(short, unknown_code, SAMPLE, "", shifted, no_plate, bad_year)

    problems = [p for p in parsed if isinstance(p, LineProblem)]
    assert [p.line for p in problems] == [2, 3, 6, 7, 8]
    assert "at least 39" in problems[0].reason
    assert "'Z'" in problems[1].reason
    assert "entry date" in problems[2].reason
    assert "plate" in problems[3].reason
    assert "vehicle year" in problems[4].reason
    records = [r for r in parsed if isinstance(r, HotlistRecord)]
    assert [r.line for r in records] == [4]


def test_the_header_line_is_not_an_entry_and_blank_optional_fields_are_none() -> None:
    minimal = SAMPLE[:39]  # through the plate state

    [record] = _parse(minimal)

    assert isinstance(record, HotlistRecord)
    assert (record.plate, record.state, record.make, record.colour) == (
        "AB123456",
        "CA",
        None,
        None,
    )


def test_undecodable_plate_text_is_a_problem() -> None:
    garbled = SAMPLE[:27] + "AB\ufffd23456  " + SAMPLE[37:]

    [problem] = _parse(garbled)

    assert isinstance(problem, LineProblem)
    assert "readable" in problem.reason


def test_parsing_streams_one_line_at_a_time() -> None:
    pulled: list[int] = []

    def lines() -> object:
        yield HEADER
        for n in range(1_000_000):
            pulled.append(n)
            yield SAMPLE

    stream = parse("ncic_fixed", lines())  # type: ignore[arg-type]
    first = next(stream)

    assert isinstance(first, HotlistRecord)
    assert len(pulled) == 1
