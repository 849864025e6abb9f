"""Importing an extract into a list: staged in chunks, then swapped in at once.

Rows are inserted in short transactions of CHUNK_LINES lines, marked as staged (removed_at set,
removed_by = "staged:<import id>"), so nothing matches them yet and other writers (the read
intake) are never held up for long; each chunk also updates the import's progress. When the
whole extract is in, one transaction deletes the list's previously imported entries (manual
entries stay), un-stages the new ones and records the refresh: the swap is atomic. A failed
import deletes its staged rows; the previous entries stay in force. Old imported entries are
deleted rather than kept as removed: a twice-daily NCIC extract would otherwise add a million
dead rows a day (alerts keep their own copy of an entry). An imported entry is one without a
manual_reason. For a million entries the swap holds SQLite's write lock for a few seconds.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, BinaryIO, cast

from sqlalchemy import Table, delete, or_, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession

from watchfloor.audit.service import AuditEntry, AuditLog, Outcome
from watchfloor.connectors.hotlists import LineProblem
from watchfloor.core.bus import EventBus
from watchfloor.core.clock import Clock
from watchfloor.core.context import RequestContext
from watchfloor.core.events import Event
from watchfloor.db.engine import Database
from watchfloor.domain.hotlists.lists import count_active, get_hotlist
from watchfloor.domain.hotlists.models import HotlistEntry, HotlistImport
from watchfloor.domain.hotlists.schemas import HotlistRefreshed, ImportStatus, ImportTrigger
from watchfloor.domain.hotlists.sources import (
    ENTRY_COLUMNS,
    ChunkReader,
    Measure,
    Source,
    TimeEncoder,
    measure,
)

log = logging.getLogger(__name__)

ENTRY = cast(Table, HotlistEntry.__table__)
CHUNK_LINES = 25_000  # lines per staging transaction (and per progress update)
INSERT_BATCH = 5_000
BULK_CACHE_KIB = 65_536  # SQLite page cache while staging and swapping (default: 2 MiB)
MAX_PROBLEMS = 200
STAGED = "staged:"


class ImportRefused(Exception):
    """The extract cannot replace the list (nothing accepted, list deactivated meanwhile)."""


@dataclass(frozen=True)
class ImportJob:
    """One import to run: which list, from where, started by what and whom."""

    import_id: str
    hotlist_id: int
    hotlist_name: str
    source_format: str
    default_reason: str | None
    source: Source
    trigger: ImportTrigger
    context: RequestContext

    @property
    def tag(self) -> str:
        """removed_by of this import's staged rows."""
        return f"{STAGED}{self.import_id}"


@dataclass
class Progress:
    """Counts of an import so far."""

    total_lines: int | None = None
    sha256: str | None = None
    processed: int = 0
    accepted: int = 0
    rejected: int = 0
    problems: list[dict[str, Any]] = field(default_factory=list)

    def count(self, rows: int, problems: list[LineProblem], last_line: int) -> None:
        """Take in one chunk's outcome."""
        self.processed = max(self.processed, last_line)
        self.accepted += rows
        self.rejected += len(problems)
        room = MAX_PROBLEMS - len(self.problems)
        self.problems.extend({"line": p.line, "reason": p.reason} for p in problems[:room])

    def write_to(self, row: HotlistImport) -> None:
        """Copy the counts onto the import row."""
        row.total_lines = self.total_lines
        row.source_sha256 = self.sha256
        row.processed = self.processed
        row.accepted = self.accepted
        row.rejected = self.rejected
        row.problems = list(self.problems)

    def details(self) -> dict[str, Any]:
        """The counts as audit details."""
        return {
            "total_lines": self.total_lines,
            "accepted": self.accepted,
            "rejected": self.rejected,
            "sha256": self.sha256,
        }


Reindex = Callable[[int], Awaitable[int]]
"""Rebuilds a list's matcher index from the store; returns the entries indexed."""


class Importer:
    """Runs import jobs: staged chunks with progress, then the atomic swap, or a clean failure."""

    def __init__(
        self, db: Database, clock: Clock, audit: AuditLog, bus: EventBus, reindex: Reindex
    ) -> None:
        self._db = db
        self._clock = clock
        self._audit = audit
        self._bus = bus
        self._reindex = reindex
        dialect = db.engine.dialect
        mark = "?" if dialect.paramstyle == "qmark" else "%s"
        # Built from constant column names only, never from input.
        self._insert_sql = (
            f"INSERT INTO hotlist_entry ({', '.join(ENTRY_COLUMNS)}) "  # noqa: S608
            f"VALUES ({', '.join(mark for _ in ENTRY_COLUMNS)})"
        )
        encode = ENTRY.c.entered_at.type.bind_processor(dialect)
        self._encode_time: TimeEncoder = encode if encode is not None else _as_is

    async def run(self, job: ImportJob) -> None:
        """Import the extract; the outcome is on the import row, never raised."""
        progress = Progress()
        try:
            await self._stage(job, progress)
            if progress.accepted == 0:
                raise ImportRefused("no entries accepted; the previous entries stay in force")
            entry_count = await self._swap(job, progress)
        except asyncio.CancelledError:
            raise
        except Exception as error:
            await self._fail(job, progress, _message(error))
            return
        await self._reindex(job.hotlist_id)
        await self._publish(job, progress, entry_count)

    async def _stage(self, job: ImportJob, progress: Progress) -> None:
        stream: BinaryIO = await asyncio.to_thread(job.source.open)
        try:
            measured: Measure = await asyncio.to_thread(measure, stream)
            progress.total_lines, progress.sha256 = measured.lines, measured.sha256
            staged = (job.hotlist_id, self._clock.now(), job.tag)
            reader = ChunkReader(
                stream, job.source_format, job.default_reason, staged, self._encode_time
            )
        except BaseException:
            stream.close()
            raise
        # The next chunk is parsed while the current one is written (sqlite and psycopg leave
        # the GIL while they work).
        parsing = asyncio.ensure_future(asyncio.to_thread(reader.next_chunk, CHUNK_LINES))
        try:
            while (chunk := await parsing) is not None:
                parsing = asyncio.ensure_future(asyncio.to_thread(reader.next_chunk, CHUNK_LINES))
                progress.count(len(chunk.rows), chunk.problems, chunk.last_line)
                await self._store_chunk(job, chunk.rows, progress)
        finally:
            with suppress(Exception):
                await parsing  # the worker thread must be done with the file before it closes
            reader.close()
        progress.processed = progress.total_lines or progress.processed

    async def _store_chunk(
        self, job: ImportJob, rows: list[tuple[Any, ...]], progress: Progress
    ) -> None:
        # Straight to the driver (COPY on PostgreSQL, executemany on SQLite): the ORM's per-row
        # work would triple the time, and PostgreSQL takes COPY several times faster.
        async with self._bulk_session() as session:
            connection = await session.connection()
            if self._db.is_postgresql:
                raw = await connection.get_raw_connection()
                await _copy_rows(raw.driver_connection, rows)
            else:
                for start in range(0, len(rows), INSERT_BATCH):
                    await connection.exec_driver_sql(
                        self._insert_sql, rows[start : start + INSERT_BATCH]
                    )
            row = await session.get(HotlistImport, job.import_id)
            if row is not None:
                progress.write_to(row)

    async def _swap(self, job: ImportJob, progress: Progress) -> int:
        now = self._clock.now()
        async with self._bulk_session() as session:
            hotlist = await get_hotlist(session, job.hotlist_id, for_update=True)
            if not hotlist.active:
                raise ImportRefused("the list was deactivated during the import")
            await session.execute(
                delete(ENTRY).where(
                    ENTRY.c.hotlist_id == job.hotlist_id,
                    ENTRY.c.manual_reason.is_(None),
                    or_(ENTRY.c.removed_by.is_(None), ENTRY.c.removed_by != job.tag),
                )
            )
            await session.execute(
                update(ENTRY)
                .where(ENTRY.c.hotlist_id == job.hotlist_id, ENTRY.c.removed_by == job.tag)
                .values(removed_at=None, removed_by=None)
            )
            hotlist.entry_count = await count_active(session, job.hotlist_id, now)
            hotlist.last_refreshed_at = now
            await self._finish(session, job, progress, ImportStatus.SUCCEEDED, None)
            return hotlist.entry_count

    @asynccontextmanager
    async def _bulk_session(self) -> AsyncIterator[AsyncSession]:
        """A write session; on SQLite with a large page cache for its duration. With the 2 MiB
        default, a transaction that touches a million rows spills to the WAL again and again
        (measured: a swap of 1M rows took 5x longer)."""
        async with self._db.session() as session:
            if self._db.is_postgresql:
                yield session
                return
            connection = await session.connection()
            await connection.exec_driver_sql(f"PRAGMA cache_size=-{BULK_CACHE_KIB}")
            try:
                yield session
            finally:
                with suppress(SQLAlchemyError):  # a broken connection is discarded anyway
                    await connection.exec_driver_sql("PRAGMA cache_size=-2000")

    async def _fail(self, job: ImportJob, progress: Progress, message: str) -> None:
        try:
            async with self._db.session() as session:
                await session.execute(
                    delete(ENTRY).where(
                        ENTRY.c.hotlist_id == job.hotlist_id, ENTRY.c.removed_by == job.tag
                    )
                )
                await self._finish(session, job, progress, ImportStatus.FAILED, message)
        except Exception:
            # The import row stays "running"; load() marks it failed and clears its rows.
            log.exception("could not record the failure of hotlist import %s", job.import_id)

    async def _finish(
        self,
        session: AsyncSession,
        job: ImportJob,
        progress: Progress,
        status: ImportStatus,
        message: str | None,
    ) -> None:
        row = await session.get(HotlistImport, job.import_id)
        if row is None:
            raise ImportRefused("the import's row is gone")
        progress.write_to(row)
        row.status = status.value
        row.finished_at = self._clock.now()
        row.message = message
        entry = AuditEntry(
            "hotlist.refreshed",
            outcome=Outcome.SUCCESS if status == ImportStatus.SUCCEEDED else Outcome.ERROR,
            object_type="hotlist",
            object_id=str(job.hotlist_id),
            details={
                "import_id": job.import_id,
                "trigger": job.trigger.value,
                "source": job.source.label,
                **progress.details(),
                **({"message": message} if message else {}),
            },
        )
        await self._audit.record(session, job.context, entry)

    async def _publish(self, job: ImportJob, progress: Progress, entry_count: int) -> None:
        now = self._clock.now()
        payload = HotlistRefreshed(
            hotlist_id=job.hotlist_id,
            name=job.hotlist_name,
            import_id=job.import_id,
            trigger=job.trigger.value,
            accepted=progress.accepted,
            rejected=progress.rejected,
            entry_count=entry_count,
        )
        await self._bus.publish(
            Event[HotlistRefreshed](
                kind="hotlist.refreshed",
                source="hotlists",
                occurred_at=now,
                received_at=now,
                payload=payload,
                context=job.context,
            )
        )


async def _copy_rows(driver_connection: Any, rows: list[tuple[Any, ...]]) -> None:
    """COPY rows into hotlist_entry over psycopg, inside the session's transaction."""
    columns = ", ".join(ENTRY_COLUMNS)
    async with (
        driver_connection.cursor() as cursor,
        cursor.copy(f"COPY hotlist_entry ({columns}) FROM STDIN") as copy,
    ):
        for row in rows:
            await copy.write_row(row)


def _as_is(value: datetime) -> datetime:
    return value


def _message(error: Exception) -> str:
    if isinstance(error, ImportRefused):
        return str(error)
    if isinstance(error, OSError):
        return f"cannot read the source: {error.strerror or error}"
    log.error("hotlist import failed", exc_info=error)
    return f"import failed: {type(error).__name__}: {error}"[:1000]


def new_import_row(job: ImportJob, started_at: datetime) -> HotlistImport:
    """The import's row, as it starts."""
    return HotlistImport(
        id=job.import_id,
        hotlist_id=job.hotlist_id,
        started_at=started_at,
        status=ImportStatus.RUNNING.value,
        trigger=job.trigger.value,
        triggered_by=job.context.actor.username,
        processed=0,
        accepted=0,
        rejected=0,
        problems=[],
    )
