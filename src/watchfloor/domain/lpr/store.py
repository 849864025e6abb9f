"""Bulk writes of plate reads: the one hot write path in Watchfloor.

Rows go to the driver directly (SQLite executemany, PostgreSQL COPY) inside the caller's
transaction, so a batch of reads and its alerts commit together and are durable, and findable by
exact plate, prefix, time and place, before the feed is acknowledged.

The plate dictionary behind infix and wildcard search (`lpr_plate` and its trigram index) is kept
by `PlateIndexer`, off the acknowledgement path: new plates are gathered and written once every
half second in one sorted batch, because a trigram index costs several times more per row in small
batches than in large ones. Infix search therefore sees a read within about a second; a crash loses
only that pending set, and `reconcile` at start re-derives it from the newest reads."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from watchfloor.db.engine import Database

log = logging.getLogger(__name__)

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
_PG_PLATES = "INSERT INTO lpr_plate (plate) SELECT unnest(%s::text[]) ON CONFLICT DO NOTHING"


class ReadStore:
    """Writes batches of reads."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def write(self, session: AsyncSession, rows: Sequence[ReadRow]) -> None:
        """Add the reads in the session's transaction."""
        if not rows:
            return
        connection = await session.connection()
        if self._db.is_postgresql:
            raw = await connection.get_raw_connection()
            driver: Any = raw.driver_connection
            async with driver.cursor() as cursor, cursor.copy(_PG_COPY) as copy:
                for row in rows:
                    await copy.write_row(row)
            return
        await connection.exec_driver_sql(_SQLITE_INSERT, list(rows))


class PlateIndexer:
    """Keeps `lpr_plate` (the distinct-plate dictionary infix search runs on) in step with the
    reads, in large sorted batches."""

    def __init__(
        self, db: Database, *, flush_every_s: float = 0.5, max_pending: int = 200_000
    ) -> None:
        self._db = db
        self._flush_every_s = flush_every_s
        self._max_pending = max_pending
        self._pending: set[str] = set()
        self._lock = asyncio.Lock()
        self.running = False

    @property
    def pending(self) -> int:
        """Plates noted but not yet written."""
        return len(self._pending)

    async def note(self, plates: Iterable[str]) -> None:
        """Remember plates just stored; written now when no background flusher runs, or when
        too many wait (back-pressure on the intake)."""
        self._pending.update(plates)
        if not self.running or len(self._pending) >= self._max_pending:
            await self.flush()

    async def flush(self) -> int:
        """Write the pending plates in one transaction; returns how many were pending."""
        async with self._lock:
            plates, self._pending = sorted(self._pending), set()
            if plates:
                await self._insert(plates)
            return len(plates)

    async def run(self) -> None:
        """Flush every half second until cancelled (then flush what is left)."""
        self.running = True
        try:
            while True:
                await asyncio.sleep(self._flush_every_s)
                try:
                    await self.flush()
                except Exception:  # the next round retries; reconcile covers a crash
                    log.exception("plate dictionary flush failed")
        finally:
            self.running = False
            await asyncio.shield(self.flush())

    async def reconcile(self, newest_reads: int = 1_000_000) -> None:
        """Re-derive the dictionary from the newest reads (after a crash lost a pending set)."""
        query = (
            "SELECT DISTINCT plate FROM lpr_read WHERE id > "
            "(SELECT coalesce(max(id), 0) FROM lpr_read) - :n"
        )
        async with self._db.read_session() as session:
            rows = await session.execute(text(query), {"n": newest_reads})
            plates = sorted(rows.scalars())
        for start in range(0, len(plates), 50_000):
            await self._insert(plates[start : start + 50_000])

    async def _insert(self, plates: list[str]) -> None:
        async with self._db.session() as session:
            connection = await session.connection()
            if self._db.is_postgresql:
                await connection.exec_driver_sql(_PG_PLATES, (plates,))
            else:
                await connection.exec_driver_sql(_SQLITE_PLATES, [(p,) for p in plates])
