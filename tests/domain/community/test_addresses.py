"""Geocoding a registration's address against address points, whatever way residents write it."""

from __future__ import annotations

from importlib.resources import files
from typing import Any

import pytest

from watchfloor.domain.community.addresses import AddressBook, split_address

ROWS: list[dict[str, Any]] = [
    {"street": "Main Street", "housenumber": "5", "lat": 1.0, "lon": 2.0, "district": "Old"},
    {"street": "Main Street", "housenumber": "5", "lat": 1.2, "lon": 2.2, "district": None},
    {"street": "Main Street", "housenumber": "50", "lat": 1.5, "lon": 2.5, "district": None},
    {"street": "Main Street", "housenumber": "7b", "lat": 1.1, "lon": 2.1},
    {"street": "Mäkelänkatu", "housenumber": "12", "lat": 3.0, "lon": 4.0},
    {"street": "Elm Road", "housenumber": "1", "lat": 5.0, "lon": 6.0},
    {"street": "Elm Road", "housenumber": None, "lat": 5.0, "lon": 6.0},
]


@pytest.fixture
def book() -> AddressBook:
    return AddressBook.from_rows(ROWS)


@pytest.mark.parametrize(
    "written",
    [
        "Main Street 5",
        "5 Main Street",
        "main st. 5",
        "  MAIN   STREET, 5 ",
        "5 main st, Springfield",
    ],
)
def test_an_address_resolves_in_any_order_case_or_punctuation(
    book: AddressBook, written: str
) -> None:
    point = book.resolve(written)
    assert point is not None
    assert point.address == "Main Street 5"
    assert (point.lat, point.lon) == pytest.approx(
        (1.1, 2.1)
    )  # the points of one address, averaged
    assert point.district == "Old"


def test_letters_and_accents_match_as_written_or_not(book: AddressBook) -> None:
    assert split_address("Main St 7 B") == ("MAIN ST", "7B")
    assert book.resolve("main street 7 b") == book.resolve("Main Street 7b")
    point = book.resolve("Makelankatu 12")
    assert point is not None
    assert point.address == "Mäkelänkatu 12"


def test_unknown_or_incomplete_addresses_do_not_resolve(book: AddressBook) -> None:
    assert book.resolve("Main Street 6") is None
    assert book.resolve("Main Street") is None
    assert book.resolve("") is None
    assert len(book) == 5  # the row without a house number is no address


def test_suggestions_start_like_the_query_then_come_close_to_it(book: AddressBook) -> None:
    assert [p.address for p in book.suggest("main street 5")] == ["Main Street 5", "Main Street 50"]
    assert [p.address for p in book.suggest("5 main")] == ["Main Street 5", "Main Street 50"]
    assert [p.address for p in book.suggest("Mian Street 7")] == ["Main Street 7b"]
    assert [p.address for p in book.suggest("elm")] == ["Elm Road 1"]
    assert book.suggest("Zzzz 1") == []
    assert len(book.suggest("main", limit=2)) == 2


def test_the_demo_city_loads_from_package_data() -> None:
    book = AddressBook.from_file(files("watchfloor").joinpath("demo/city/addresses.json"))
    assert len(book) > 500
    point = book.resolve("aleksanterinkatu 5, 00100 Helsinki")
    assert point is not None
    assert point.district == "Kluuvi"
    lat, lon = book.center()
    assert 60.1 < lat < 60.2
    assert 24.9 < lon < 25.0
