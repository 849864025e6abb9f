"""Corroboration: the seen vehicle's make and colour against the entry's NCIC codes."""

from __future__ import annotations

from watchfloor.domain.hotlists.corroboration import Corroboration, corroborate
from watchfloor.domain.hotlists.service import EntryFacts
from watchfloor.events.lpr import VehicleSeen


def _entry(make: str | None = "TOYT", colour: str | None = "BLK") -> EntryFacts:
    return EntryFacts(
        entry_id=1,
        hotlist_id=1,
        hotlist_name="NCIC",
        stale=False,
        reason_code="stolen_vehicle",
        plate="ABC123",
        make=make,
        colour=colour,
    )


def test_ncic_codes_match_the_words_a_reader_reports() -> None:
    result = corroborate(_entry(), VehicleSeen(make="Toyota", colour="black"))

    assert result == Corroboration(1.0, {"make": "match", "colour": "match"})


def test_a_mismatch_names_both_values_and_halves_the_score() -> None:
    result = corroborate(_entry(), VehicleSeen(make="toyota", colour="Silver"))

    assert result.score == 0.5
    assert result.detail["colour"] == "mismatch (read SILVER, entry BLK)"


def test_look_alike_colours_are_close_and_two_tone_entries_match_either() -> None:
    close = corroborate(_entry(colour="GRY"), VehicleSeen(colour="silver"))
    two_tone = corroborate(_entry(colour="BLK/WHI"), VehicleSeen(colour="white"))
    shade = corroborate(_entry(colour="BLU"), VehicleSeen(colour="Dark Blue"))

    assert close.score == 0.5
    assert close.detail["colour"].startswith("close")
    assert two_tone.score == 1.0
    assert shade.score == 1.0


def test_aliases_of_makes_are_one_make() -> None:
    mercedes = corroborate(_entry(make="MERZ", colour=None), VehicleSeen(make="Mercedes-Benz"))
    vw = corroborate(_entry(make="VOLK", colour=None), VehicleSeen(make="VW"))
    other = corroborate(_entry(make="HOND", colour=None), VehicleSeen(make="Ford"))

    assert (mercedes.score, vw.score, other.score) == (1.0, 1.0, 0.0)
    assert mercedes.detail["colour"] == "not compared (neither has one)"
    assert corroborate(_entry(), VehicleSeen(make="Toyota")).detail["colour"] == (
        "not compared (read has none)"
    )


def test_nothing_to_compare_has_no_score() -> None:
    assert corroborate(_entry(), None).score is None
    assert corroborate(_entry(), VehicleSeen(kind="sedan")).score is None
    assert corroborate(_entry(None, None), VehicleSeen(make="Kia")).detail == {
        "make": "not compared (entry has none)",
        "colour": "not compared (neither has one)",
    }
