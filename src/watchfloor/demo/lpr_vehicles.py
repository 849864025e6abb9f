"""The demo city's traffic: Finnish-style plates, the cars that carry them (as a reader reports
them and as an NCIC entry codes them), OCR misreads, and a tiny plate picture.

Only makes the hotlist corroboration tables know are used, so a listed Toyota ("TOYT") seen as
a "Toyota" corroborates, and a mismatch in the demo is one the simulation meant.
"""

from __future__ import annotations

import random
import struct
import zlib
from dataclasses import dataclass, replace
from functools import cache

from watchfloor.domain.hotlists.matcher import CONFUSION_CLASSES
from watchfloor.events.lpr import normalize_plate

PLATE_LETTERS = "ABCDEFGHIJKLMNOPRSTUVXYZ"  # no Q or W, as on Finnish plates
REGION = "FI"
_LOOK_ALIKES: dict[str, str] = {
    char: group.replace(char, "") for group in CONFUSION_CLASSES for char in group
}


@dataclass(frozen=True)
class CarModel:
    """A model as a reader's analytics name it and as NCIC codes it (VMA, VMO, VST)."""

    make: str
    name: str
    kind: str
    ncic_make: str
    ncic_model: str
    ncic_style: str


@dataclass(frozen=True)
class Colour:
    """A colour as a reader names it and its NCIC VCO code."""

    word: str
    ncic: str


CAR_MODELS = (
    CarModel("Toyota", "Corolla", "sedan", "TOYT", "COR", "4D"),
    CarModel("Toyota", "RAV4", "suv", "TOYT", "RAV", "UT"),
    CarModel("Volkswagen", "Golf", "hatchback", "VOLK", "GOL", "HB"),
    CarModel("Volkswagen", "Passat", "wagon", "VOLK", "PAS", "SW"),
    CarModel("Volvo", "V60", "wagon", "VOLV", "V60", "SW"),
    CarModel("Volvo", "XC60", "suv", "VOLV", "XC6", "UT"),
    CarModel("Ford", "Focus", "hatchback", "FORD", "FOC", "HB"),
    CarModel("Ford", "Transit", "van", "FORD", "TRN", "VN"),
    CarModel("BMW", "320d", "sedan", "BMW", "320", "4D"),
    CarModel("Mercedes-Benz", "C 220", "sedan", "MERZ", "C22", "4D"),
    CarModel("Nissan", "Qashqai", "suv", "NISS", "QAS", "UT"),
    CarModel("Kia", "Ceed", "hatchback", "KIA", "CEE", "HB"),
    CarModel("Hyundai", "i30", "hatchback", "HYUN", "I30", "HB"),
    CarModel("Mazda", "CX-5", "suv", "MAZD", "CX5", "UT"),
    CarModel("Audi", "A4", "wagon", "AUDI", "A4", "SW"),
    CarModel("Tesla", "Model 3", "sedan", "TESL", "MD3", "4D"),
)
COLOURS = (
    Colour("white", "WHI"),
    Colour("grey", "GRY"),
    Colour("black", "BLK"),
    Colour("silver", "SIL"),
    Colour("blue", "BLU"),
    Colour("red", "RED"),
    Colour("green", "GRN"),
    Colour("brown", "BRO"),
)
COLOUR_WEIGHTS = (26, 20, 18, 14, 10, 6, 3, 3)  # roughly the Finnish car fleet


@dataclass(frozen=True)
class Vehicle:
    """One car: model, colour and model year."""

    model: CarModel
    colour: Colour
    year: int

    def as_read(self) -> dict[str, str]:
        """The vehicle as a reader's analytics report it (the `vehicle` object of a read)."""
        return {
            "make": self.model.make,
            "model": self.model.name,
            "colour": self.colour.word,
            "kind": self.model.kind,
        }


def random_vehicle(rng: random.Random) -> Vehicle:
    """A car as seen in Helsinki traffic."""
    colour = rng.choices(COLOURS, COLOUR_WEIGHTS)[0]
    return Vehicle(rng.choice(CAR_MODELS), colour, rng.randint(2005, 2026))


def unlike(vehicle: Vehicle, rng: random.Random, *, make: bool, colour: bool) -> Vehicle:
    """Another car: of a different make and/or colour than this one, as asked."""
    changed = vehicle
    if make:
        models = [m for m in CAR_MODELS if m.make != vehicle.model.make]
        changed = replace(changed, model=rng.choice(models))
    if colour:
        colours = [c for c in COLOURS if c != vehicle.colour]
        changed = replace(changed, colour=rng.choice(colours))
    return changed


def random_plate(rng: random.Random) -> str:
    """A plate in the Finnish style, as written: "ABC-123" (sometimes two letters)."""
    letters = 3 if rng.random() < 0.85 else 2
    prefix = "".join(rng.choice(PLATE_LETTERS) for _ in range(letters))
    return f"{prefix}-{rng.randint(1, 999)}"


def misread(plate: str, rng: random.Random, substitutions: int = 1) -> str | None:
    """The plate as a reader misreads it: this many look-alike characters swapped ("BOB-123" ->
    "8OB-123"); None when the plate has too few characters that can be mistaken."""
    chars = list(plate)
    places = [i for i, char in enumerate(chars) if _LOOK_ALIKES.get(char)]
    if len(places) < substitutions:
        return None
    for i in rng.sample(places, substitutions):
        chars[i] = rng.choice(_LOOK_ALIKES[chars[i]])
    return "".join(chars)


@dataclass(frozen=True)
class ListedVehicle:
    """A plate on a demo hotlist: the entry's description, and the car that really carries the
    plate (another car for a stolen plate; sometimes repainted, or the entry is wrong)."""

    plate: str
    state: str | None
    reason_code: str
    list_name: str
    listed: Vehicle
    actual: Vehicle
    manual: bool = False  # entered by a person on a local list (not from an extract)

    @property
    def normalised(self) -> str:
        """The plate as Watchfloor compares it."""
        return normalize_plate(self.plate)

    @property
    def corroborates(self) -> bool:
        """True when the car a reader sees agrees with the entry in make and colour."""
        seen, listed = self.actual, self.listed
        return seen.model.make == listed.model.make and seen.colour == listed.colour


@cache
def plate_png() -> bytes:
    """A 96x24 picture of a blank plate (white, a blue band, dark marks): a valid PNG of a few
    hundred bytes for hit reads to carry, showing nothing in particular."""
    width, height = 96, 24
    rows = bytearray()
    for y in range(height):
        rows.append(0)  # filter: none
        for x in range(width):
            rows += _plate_pixel(x, y, width, height)
    return b"".join(
        (
            b"\x89PNG\r\n\x1a\n",
            _chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)),
            _chunk(b"IDAT", zlib.compress(bytes(rows), 9)),
            _chunk(b"IEND", b""),
        )
    )


def _plate_pixel(x: int, y: int, width: int, height: int) -> bytes:
    if x in (0, width - 1) or y in (0, height - 1):
        return b"\x20\x20\x20"  # border
    if x < 12:
        return b"\x1f\x3c\x9e"  # the EU band
    if 6 <= y < height - 6 and (x - 16) % 12 < 7 and x < width - 6:
        return b"\x30\x30\x30"  # character-like marks
    return b"\xf2\xf2\xee"


def _chunk(kind: bytes, data: bytes) -> bytes:
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))
