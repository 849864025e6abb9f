"""The synthetic plate-reader world, seeded: US-style plates, readers around Helsinki centre,
and time-ordered reads of those plates by those readers.

Everything here is pure and deterministic for a given seed, so the cached dataset, the baseline
rows and the load generator's reads all come from one population.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

from watchfloor.domain.lpr.store import READ_COLUMNS

LETTERS = "ABCDEFGHJKLMNPRSTUVWXYZ"  # most US states leave out I, O and Q
DIGITS = "0123456789"
FORMATS = ("LLLDDDD",) * 8 + ("DLLLDDD",) * 5 + ("LLLDDD",) * 3 + ("LLDDDDD",) * 2 + ("DDDLLL",) * 2
REGIONS = ("MN",) * 12 + ("WI",) * 3 + ("IA", "ND", "SD", "IL", "CA", "TX", "FL", "ON")
MAKES = ("Toyota", "Ford", "Honda", "Chevrolet", "Nissan", "Volkswagen", "Hyundai", "Kia")
MODELS = ("Corolla", "F-150", "Civic", "Malibu", "Altima", "Golf", "Elantra", "Sportage")
COLOURS = ("white", "black", "grey", "silver", "blue", "red", "green", "brown", "yellow")
KINDS = ("car", "car", "car", "suv", "suv", "pickup", "van", "truck")
DIRECTIONS = ("northbound", "eastbound", "southbound", "westbound")

CENTRE = (60.17, 24.94)  # Helsinki centre, the demo city
HALF_LAT = 0.29  # ~32 km north and south
HALF_LON = 0.59  # ~33 km east and west at 60 N
M_PER_DEG_LAT = 111_320.0

COLUMNS = READ_COLUMNS
"""The columns of `lpr_read` a generated row fills, in order (the id is the store's)."""

ReadRow = tuple[
    int, int, int, str, str, str, float, float, float, float, str, int,
    float | None, None, None, str, str, str, str, bool,
]  # fmt: skip


@dataclass(frozen=True)
class Reader:
    """A synthetic plate reader (row id = its position + 1)."""

    id: int
    code: str
    kind: str
    lat: float
    lon: float
    heading: float
    direction: str
    lanes: int


@dataclass(frozen=True)
class Population:
    """Plates and readers. `plates[:known]` appear in the preloaded reads; the rest are seen
    only later (new plates in steady state)."""

    plates: tuple[str, ...]
    known: int
    readers: tuple[Reader, ...]


def _plate(rng: random.Random, fmt: str) -> str:
    return "".join(rng.choice(LETTERS if c == "L" else DIGITS) for c in fmt)


def distinct_plates(count: int, seed: int, avoid: frozenset[str] = frozenset()) -> list[str]:
    """count distinct US-style plates, none of them in avoid."""
    rng = random.Random(seed)
    seen: dict[str, None] = {}
    while len(seen) < count:
        plate = _plate(rng, rng.choice(FORMATS))
        if plate not in avoid:
            seen[plate] = None
    return list(seen)


def _readers(count: int, rng: random.Random) -> tuple[Reader, ...]:
    """Fixed readers, denser towards the centre, and a tenth mobile (patrol cars)."""
    readers = []
    for i in range(count):
        if rng.random() < 0.6:
            lat = rng.gauss(CENTRE[0], 0.05)
            lon = rng.gauss(CENTRE[1], 0.1)
        else:
            lat = CENTRE[0] + rng.uniform(-HALF_LAT, HALF_LAT)
            lon = CENTRE[1] + rng.uniform(-HALF_LON, HALF_LON)
        lat = min(max(lat, CENTRE[0] - HALF_LAT), CENTRE[0] + HALF_LAT)
        lon = min(max(lon, CENTRE[1] - HALF_LON), CENTRE[1] + HALF_LON)
        heading = float(rng.choice((0, 90, 180, 270)))
        readers.append(
            Reader(
                id=i + 1,
                code=f"ALPR-{i + 1:04d}",
                kind="mobile" if i % 10 == 9 else "fixed",
                lat=round(lat, 6),
                lon=round(lon, 6),
                heading=heading,
                direction=DIRECTIONS[int(heading) // 90],
                lanes=1 + i % 3,
            )
        )
    return tuple(readers)


def population(known_plates: int, readers: int, seed: int) -> Population:
    """The world of one dataset: known_plates plates read in the preload, a tenth more seen
    only afterwards, and the readers."""
    plates = distinct_plates(known_plates + known_plates // 10, seed)
    return Population(tuple(plates), known_plates, _readers(readers, random.Random(seed + 1)))


def read_rows(
    world: Population,
    count: int,
    start_ms: int,
    end_ms: int,
    seed: int,
    new_share: float = 0.0,
) -> Iterator[ReadRow]:
    """count reads, time-ordered from start_ms to end_ms, of known plates (and new ones with
    probability new_share), each by a random reader near where it stands."""
    rng = random.Random(seed)
    rand = rng.random
    plates, known, readers = world.plates, world.known, world.readers
    n_new, n_readers = len(plates) - known, len(readers)
    step = (end_ms - start_ms) / max(count, 1)
    for i in range(count):
        if new_share and rand() < new_share:
            index = known + int(rand() * n_new)
        else:
            index = int(rand() * known)
        plate = plates[index]
        reader = readers[int(rand() * n_readers)]
        spread = 0.04 if reader.kind == "mobile" else 0.0002  # ~4 km patrol area, ~20 m
        captured = start_ms + int(i * step)
        yield (
            reader.id,
            captured,
            captured + 200 + int(rand() * 2800),
            plate,
            plate if index % 4 else f"{plate[:3]} {plate[3:]}",
            REGIONS[index % len(REGIONS)],
            round(0.7 + 0.3 * rand(), 3),
            round(reader.lat + (rand() - 0.5) * spread, 6),
            round(reader.lon + (rand() - 0.5) * spread * 2, 6),
            reader.heading,
            reader.direction,
            1 + index % reader.lanes,
            round(30 + 60 * rand(), 1) if index % 3 else None,
            None,
            None,
            MAKES[index % len(MAKES)],
            MODELS[index % len(MODELS)],
            COLOURS[(index // 8) % len(COLOURS)],
            KINDS[(index // 3) % len(KINDS)],
            False,
        )


def wire_read(
    row: ReadRow, reader_code: str, captured_at: datetime | None = None
) -> dict[str, object]:
    """A generated row as a reader sends it over HTTP (the intake's JSON wire format)."""
    at = captured_at or datetime.fromtimestamp(row[1] / 1000, UTC)
    return {
        "reader": reader_code,
        "captured_at": at.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        "plate": row[4],
        "region": row[5],
        "confidence": row[6],
        "lat": row[7],
        "lon": row[8],
        "heading": row[9],
        "vehicle": {"make": row[15], "colour": row[17]},
    }


def metres_between(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6_371_008.8 * math.asin(math.sqrt(h))


HotlistEntry = tuple[int, str, str | None]


def hotlist_entries(
    world: Population, count: int, seed: int, known_share: float = 0.01
) -> list[HotlistEntry]:
    """count (entry id, plate, state) entries: known_share of them plates the readers see (with
    the state the readers report, or none), the rest plates never read; so about
    known_share x count / known of reads hit."""
    rng = random.Random(seed)
    from_world = min(int(count * known_share), world.known)
    picked = rng.sample(range(world.known), from_world)
    seen = [
        (world.plates[i], None if rng.random() < 0.1 else REGIONS[i % len(REGIONS)]) for i in picked
    ]
    fresh = distinct_plates(count - len(seen), seed + 1, avoid=frozenset(world.plates))
    unseen: list[tuple[str, str | None]] = [
        (plate, REGIONS[int(rng.random() * len(REGIONS))]) for plate in fresh
    ]
    return [(i + 1, plate, state) for i, (plate, state) in enumerate(seen + unseen)]
