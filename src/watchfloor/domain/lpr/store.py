"""Bulk writes of plate reads: the one hot write path in Watchfloor.

Rows go to the driver directly (SQLite executemany, PostgreSQL COPY) inside the caller's
transaction, so a batch of reads, its new dictionary plates and its alerts commit together and are
durable before the feed is acknowledged."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from watchfloor.db.engine import Database

READ_COLUMNS = (
    "reader_id",
    "captured_ms",
    "received_ms",
    "plate",
    "plate_raw",
    "region",
    "confidence",
    "lat",
    "lon",
    "heading",
    "direction",
    "lane",
    "speed_kmh",
    "plate_image",
    "vehicle_image",
    "make",
    "model",
    "colour",
    "vehicle_kind",
    "hit",
)
PLATE = READ_COLUMNS.index("plate")
ReadRow = tuple[Any, ...]
"""One read in READ_COLUMNS order."""

# Column names are this module's constants, never input.
_SQLITE_INSERT = (
    f"INSERT INTO lpr_read ({', '.join(READ_COLUMNS)}) "  # noqa: S608
    f"VALUES ({', '.join('?' for _ in READ_COLUMNS)})"
)
_PG_COPY = f"COPY lpr_read ({', '.join(READ_COLUMNS)}) FROM STDIN"
_SQLITE_PLATES = "INSERT OR IGNORE INTO lpr_plate (plate) VALUES (?)"
# Sorted input keeps concurrent batches taking dictionary row locks in one order (no deadlock).
_PG_PLATES = (
    "INSERT INTO lpr_plate (plate) SELECT p FROM unnest(%s::text[]) AS p ORDER BY p "
    "ON CONFLICT DO NOTHING"
)


class ReadStore:
    """Writes batches of reads and keeps the plate dictionary that infix search uses."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def write(self, session: AsyncSession, rows: Sequence[ReadRow]) -> None:
        """Add the reads (and any new plates) in the session's transaction."""
        if not rows:
            return
        plates = sorted({row[PLATE] for row in rows})
        connection = await session.connection()
        if self._db.is_postgresql:
            raw = await connection.get_raw_connection()
            driver: Any = raw.driver_connection
            async with driver.cursor() as cursor:
                async with cursor.copy(_PG_COPY) as copy:
                    for row in rows:
                        await copy.write_row(row)
                await cursor.execute(_PG_PLATES, (plates,))
            return
        await connection.exec_driver_sql(_SQLITE_INSERT, list(rows))
        await connection.exec_driver_sql(_SQLITE_PLATES, [(plate,) for plate in plates])
