"""Demo plates, the cars carrying them, misreads, and the plate picture."""

from __future__ import annotations

import random
import re
import struct
import zlib

from watchfloor.demo.lpr_vehicles import (
    CAR_MODELS,
    COLOURS,
    Vehicle,
    misread,
    plate_png,
    random_plate,
    random_vehicle,
    unlike,
)
from watchfloor.domain.hotlists.corroboration import corroborate
from watchfloor.domain.hotlists.matcher import skeleton
from watchfloor.domain.hotlists.service import EntryFacts
from watchfloor.domain.lpr.images import sniff_media_type
from watchfloor.events.lpr import VehicleSeen, normalize_plate


def test_plates_are_in_the_finnish_style() -> None:
    rng = random.Random(1)
    plates = [random_plate(rng) for _ in range(200)]

    assert all(re.fullmatch(r"[A-Z]{2,3}-[1-9][0-9]{0,2}", plate) for plate in plates)
    assert len(set(plates)) > 190


def test_a_misread_swaps_only_look_alike_characters() -> None:
    rng = random.Random(2)
    reads = {misread("BOB-123", rng) for _ in range(50)}

    assert "8OB-123" in reads
    for read in reads:
        assert read is not None
        assert read != "BOB-123"
        assert skeleton(normalize_plate(read)) == skeleton("BOB123")
        assert sum(a != b for a, b in zip(read, "BOB-123", strict=True)) == 1
    assert misread("XY-3", rng) is None  # nothing on it a reader mistakes
    two = misread("BOB-123", rng, 2)
    assert two is not None
    assert sum(a != b for a, b in zip(two, "BOB-123", strict=True)) == 2


def test_a_car_as_read_corroborates_its_ncic_codes_fully() -> None:
    for model, colour in zip(CAR_MODELS, COLOURS * 2, strict=True):
        car = Vehicle(model, colour, 2020)
        entry = EntryFacts(
            1, 1, "NCIC", stale=False, reason_code="stolen_vehicle", plate="ABC123",
            make=model.ncic_make, colour=colour.ncic,
        )  # fmt: skip

        found = corroborate(entry, VehicleSeen(**car.as_read()))

        assert found.score == 1.0, (car, found.detail)


def test_another_car_differs_where_asked() -> None:
    rng = random.Random(4)
    car = random_vehicle(rng)

    repainted = unlike(car, rng, make=False, colour=True)
    other = unlike(car, rng, make=True, colour=True)

    assert repainted.model == car.model
    assert repainted.colour != car.colour
    assert other.model.make != car.model.make
    assert other.colour != car.colour


def test_the_plate_picture_is_a_small_valid_png() -> None:
    data = plate_png()

    assert sniff_media_type(data) == "image/png"
    assert len(data) < 5 * 1024
    width, height = struct.unpack(">II", data[16:24])
    idat = data.index(b"IDAT")
    length = struct.unpack(">I", data[idat - 4 : idat])[0]
    pixels = zlib.decompress(data[idat + 4 : idat + 4 + length])
    assert (width, height) == (96, 24)
    assert len(pixels) == height * (1 + 3 * width)
