"""Put plate reads straight into the store for search and retention tests: reads into lpr_read,
their plates into the lpr_plate dictionary, readers into lpr_reader (as the read store does)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any

from sqlalchemy import text

from watchfloor.app import Watchfloor

SPOT = (60.1699, 24.9384)
"""Where reads happen unless a test says otherwise (lat, lon)."""


@dataclass(frozen=True)
class Read:
    """One read to store; only plate and time are required."""

    plate: str
    captured_at: datetime
    reader: str = "ALPR-1"
    lat: float | None = SPOT[0]
    lon: float | None = SPOT[1]
    hit: bool = False
    make: str | None = None
    model: str | None = None
    colour: str | None = None
    plate_image: str | None = None
    vehicle_image: str | None = None


_READ_SQL = text(
    "INSERT INTO lpr_read (reader_id, captured_ms, received_ms, plate, plate_raw, region, "
    "confidence, lat, lon, heading, direction, lane, speed_kmh, plate_image, vehicle_image, "
    "make, model, colour, vehicle_kind, hit) VALUES (:reader_id, :captured_ms, :captured_ms, "
    ":plate, :plate, 'CA', 0.9, :lat, :lon, 90.0, 'NB', 1, 50.0, :plate_image, :vehicle_image, "
    ":make, :model, :colour, 'car', :hit) RETURNING id"
)
_READER_SQL = text(
    "INSERT INTO lpr_reader (code, name, kind, lat, lon, active, created_at, updated_at) "
    "VALUES (:code, :name, 'fixed', :lat, :lon, :active, :at, :at) RETURNING id"
)


def ms(moment: datetime) -> int:
    """Epoch milliseconds, as lpr_read stores times."""
    return int(moment.timestamp() * 1000)


async def add_reader(wf: Watchfloor, code: str) -> int:
    """Store a reader (unless it exists); returns its id."""
    async with wf.db.session() as session:
        found = await session.scalar(text("SELECT id FROM lpr_reader WHERE code = :c"), {"c": code})
        if found is not None:
            return int(found)
        values = {"code": code, "name": f"Reader {code}", "lat": SPOT[0], "lon": SPOT[1]}
        new = await session.scalar(_READER_SQL, {**values, "active": True, "at": wf.clock.now()})
        return int(new)


async def add_reads(wf: Watchfloor, reads: Sequence[Read]) -> list[int]:
    """Store the reads (and their readers and plates); returns their ids in order."""
    readers = {code: await add_reader(wf, code) for code in sorted({r.reader for r in reads})}
    ignore = "ON CONFLICT DO NOTHING" if wf.db.is_postgresql else ""
    verb = "INSERT" if wf.db.is_postgresql else "INSERT OR IGNORE"
    plate_sql = text(f"{verb} INTO lpr_plate (plate) VALUES (:plate) {ignore}")
    ids = []
    async with wf.db.session() as session:
        for read in reads:
            values = _values(read)
            values["reader_id"] = readers[read.reader]
            ids.append(int(await session.scalar(_READ_SQL, values)))
        for plate in sorted({r.plate for r in reads}):
            await session.execute(plate_sql, {"plate": plate})
    return ids


def _values(read: Read) -> dict[str, Any]:
    values = {f.name: getattr(read, f.name) for f in fields(read)}
    values["captured_ms"] = ms(read.captured_at)
    return values


async def stored_ids(wf: Watchfloor) -> set[int]:
    """The ids of every stored read."""
    async with wf.db.read_session() as session:
        return set((await session.scalars(text("SELECT id FROM lpr_read"))).all())


async def dictionary(wf: Watchfloor) -> set[str]:
    """Every plate in the plate dictionary."""
    async with wf.db.read_session() as session:
        return set((await session.scalars(text("SELECT plate FROM lpr_plate"))).all())
