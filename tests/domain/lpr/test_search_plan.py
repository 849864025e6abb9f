"""Plate patterns: normalisation, which plan each takes, the prefix range."""

from __future__ import annotations

import pytest

from watchfloor.core.errors import InvalidInput
from watchfloor.domain.lpr.search_plan import (
    PlateMatch,
    dictionary_statement,
    parse_pattern,
    prefix_range,
)


@pytest.mark.parametrize(
    ("raw", "text", "match"),
    [
        ("abc-123", "ABC123", PlateMatch.EXACT),
        (" abc 1* ", "ABC1*", PlateMatch.PREFIX),
        ("ABC**", "ABC*", PlateMatch.PREFIX),
        ("*c12*", "*C12*", PlateMatch.WILDCARD),
        ("a?c123", "A?C123", PlateMatch.WILDCARD),
        ("*123", "*123", PlateMatch.WILDCARD),
        ("AB*12", "AB*12", PlateMatch.WILDCARD),
        ("ABC?*", "ABC?*", PlateMatch.WILDCARD),
    ],
)
def test_patterns_are_normalised_and_classified(raw: str, text: str, match: PlateMatch) -> None:
    pattern = parse_pattern(raw)
    assert pattern is not None
    assert (pattern.text, pattern.match) == (text, match)


def test_a_lone_star_means_any_plate_and_junk_is_refused() -> None:
    assert parse_pattern("**") is None
    with pytest.raises(InvalidInput) as refused:
        parse_pattern("-- %")
    assert refused.value.problems[0].pointer == "/plate"
    with pytest.raises(InvalidInput):
        parse_pattern("A" * 33)


@pytest.mark.parametrize(
    ("prefix", "low", "high"),
    [
        ("ABC", "ABC", "ABD"),
        ("AB9", "AB9", "ABA"),
        ("ABZ", "ABZ", "AC"),
        ("A9Z", "A9Z", "AA"),
        ("ZZ", "ZZ", None),
    ],
)
def test_prefix_ranges_stay_inside_letters_and_digits(
    prefix: str, low: str, high: str | None
) -> None:
    assert prefix_range(prefix) == (low, high)


def test_short_literal_runs_scan_the_dictionary_on_sqlite() -> None:
    with_trigram = parse_pattern("*C12*")
    without = parse_pattern("*12*")
    assert with_trigram is not None
    assert without is not None
    assert "lpr_plate_fts" in str(dictionary_statement(False, with_trigram)[0])
    assert "lpr_plate_fts" not in str(dictionary_statement(False, without)[0])
    statement, params = dictionary_statement(True, without)
    assert "LIKE" in str(statement)
    assert params["pattern"] == "%12%"
