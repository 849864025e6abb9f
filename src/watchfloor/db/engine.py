"""Engines and sessions: async for the application, sync for migrations and the CLI."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator, Callable
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from contextlib import asynccontextmanager
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import NullPool

from watchfloor.db.kept import KeptReaders
from watchfloor.db.reads import InlineReads, PooledReads, Reads, Runner

T = TypeVar("T")


def async_url(url: str) -> URL:
    """The async-driver form of a database URL (aiosqlite or psycopg)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return parsed.set(drivername="sqlite+aiosqlite")
    if parsed.get_backend_name() == "postgresql":
        return parsed.set(drivername="postgresql+psycopg")
    raise ValueError(
        f"unsupported database {parsed.get_backend_name()!r}: use sqlite or postgresql"
    )


def sync_url(url: str) -> URL:
    """The sync-driver form of a database URL (sqlite3 or psycopg)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return parsed.set(drivername="sqlite")
    if parsed.get_backend_name() == "postgresql":
        return parsed.set(drivername="postgresql+psycopg")
    raise ValueError(
        f"unsupported database {parsed.get_backend_name()!r}: use sqlite or postgresql"
    )


def prepare_sqlite_file(url: str) -> None:
    """Create the directory a SQLite database file lives in."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        Path(str(parsed.database)).parent.mkdir(parents=True, exist_ok=True)


def install_sqlite_pragmas(sync_engine: Any, synchronous: str, cache_mib: int = 64) -> None:
    """WAL, foreign keys, busy timeout; writers BEGIN IMMEDIATE so lock upgrades never deadlock."""

    @event.listens_for(sync_engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA synchronous={synchronous}")
        # SQLite's default page cache is 2 MiB; the plate-read indexes at millions of rows need
        # far more to stay warm (the pages are allocated only as they are used).
        cursor.execute(f"PRAGMA cache_size=-{int(cache_mib) * 1024}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.close()

    @event.listens_for(sync_engine, "begin")
    def _on_begin(conn: Any) -> None:
        mode = conn.get_execution_options().get("sqlite_begin", "IMMEDIATE")
        if mode != "DEFERRED":
            conn.exec_driver_sql(f"BEGIN {mode}")
            return
        # A reader's BEGIN takes no lock, so it cannot wait on one: it goes straight to the
        # driver's cursor, without an execution context (a sixth of a kept read's own cost).
        try:
            cursor = conn.connection.dbapi_connection.cursor()
            cursor.execute("BEGIN DEFERRED")
            cursor.close()
        except Exception:
            # Through SQLAlchemy it fails the same way, named (a dropped connection as one).
            conn.exec_driver_sql("BEGIN DEFERRED")


class Database:
    """The application's store: one async engine and its session factories."""

    def __init__(
        self,
        url: str,
        *,
        sqlite_synchronous: str = "FULL",
        sqlite_cache_mib: int = 64,
        pool_size: int = 10,
    ) -> None:
        self.url = url
        self.backend = make_url(url).get_backend_name()
        prepare_sqlite_file(url)
        kwargs: dict[str, Any] = {}
        if self.backend == "postgresql":
            kwargs.update(pool_size=pool_size, max_overflow=pool_size, pool_pre_ping=True)
        else:
            kwargs.update(poolclass=NullPool) if ":memory:" in url else None
        self.engine: AsyncEngine = create_async_engine(async_url(url), **kwargs)
        if self.backend == "sqlite":
            install_sqlite_pragmas(self.engine.sync_engine, sqlite_synchronous, sqlite_cache_mib)
        self._writer = async_sessionmaker(self.engine, expire_on_commit=False)
        reader_engine = self.engine.execution_options(sqlite_begin="DEFERRED")
        self._reader = async_sessionmaker(reader_engine, expire_on_commit=False)
        # SQLite has one writer at a time and its busy handler is not fair: queue this
        # process's writers here, first come first served, instead of spinning on the lock.
        self._write_turn = asyncio.Lock() if self.backend == "sqlite" else None
        self._synchronous, self._cache_mib, self._pool_size = (
            sqlite_synchronous,
            sqlite_cache_mib,
            pool_size,
        )
        self._thread_engines: list[Engine] = []
        self._thread_reader: KeptReaders | None = None
        self._thread_writer: sessionmaker[Session] | None = None
        self._thread_lock = threading.Lock()
        self._threads: ThreadPoolExecutor | None = None
        self._beside: ThreadPoolExecutor | None = None
        self._writes: ThreadPoolExecutor | None = None

    @property
    def is_postgresql(self) -> bool:
        """True on PostgreSQL (PostGIS available), False on SQLite."""
        return self.backend == "postgresql"

    @asynccontextmanager
    async def session(self) -> AsyncIterator[AsyncSession]:
        """A read-write unit of work: commits on success, rolls back on error."""
        if self._write_turn is None:
            async with self._writer() as session, session.begin():
                yield session
            return
        async with self._write_turn, self._writer() as session, session.begin():
            yield session

    @asynccontextmanager
    async def read_session(self) -> AsyncIterator[AsyncSession]:
        """A read-only unit of work (on SQLite it does not take the write lock)."""
        async with self._reader() as session, session.begin():
            yield session

    async def read_in_thread(self, work: Callable[[Session], T]) -> T:
        """Run a read-only unit of work of several queries in one worker-thread hop.

        For reads that must answer in milliseconds (the incident context packet): each query
        through the async driver costs a thread round trip, which dominates small indexed
        queries; here the whole unit runs on a synchronous connection in one hop. The work
        must only read: when the store has dropped the pooled connection it runs once more."""
        if ":memory:" in self.url:  # a second engine would see another database
            async with self.read_session() as session:
                return await session.run_sync(work)
        hop, _beside = self._read_pools()
        # Our own pool, so dispose() can wait for work whose caller was cancelled mid-hop.
        return await asyncio.wrap_future(hop.submit(self._read_sync, work))

    async def write_in_thread(self, work: Callable[[Session], T]) -> T:
        """Run a read-write unit of work in one worker-thread hop: commits on success, rolls
        back on error.

        For the writes an alert's first seconds wait on: through the async driver each
        statement, fetch and commit is a thread round trip that queues behind whatever the
        event loop is doing (camera answers, other requests), so a transaction of six
        statements took three times its own time under load. On SQLite it takes its turn
        among this process's writers like `session()`. A caller cancelled mid-hop leaves the
        work to finish (or fail) on its own; the turn is held until it has."""
        if ":memory:" in self.url:  # a second engine would see another database
            async with self.session() as session:
                return await session.run_sync(work)
        if self._writes is None:
            workers = 1 if self._write_turn is not None else 4
            self._writes = ThreadPoolExecutor(workers, thread_name_prefix="db-write")
        if self._write_turn is None:
            return await _finished(self._writes.submit(self._write_sync, work))
        async with self._write_turn:
            return await _finished(self._writes.submit(self._write_sync, work))

    def _write_sync(self, work: Callable[[Session], T]) -> T:
        with self._thread_sessions()[1]() as session, session.begin():
            return work(session)

    async def read_plan(self, plan: Callable[[Reads], T]) -> T:
        """Run a plan of several reads in one worker-thread hop (src/watchfloor/db/reads.py):
        what the rest depends on first, then independent reads side by side."""
        if ":memory:" in self.url:
            async with self.read_session() as session:
                return await session.run_sync(lambda s: plan(InlineReads(s)))
        hop, beside = self._read_pools()
        planned = partial(_run_plan, plan, self._read_sync, beside)
        # A dropped connection re-runs the whole plan (reads only): see _read_sync.
        return await asyncio.wrap_future(hop.submit(self._read_sync, planned))

    def _read_pools(self) -> tuple[ThreadPoolExecutor, ThreadPoolExecutor]:
        if self._threads is None:
            self._threads = ThreadPoolExecutor(4, thread_name_prefix="db-read")
        if self._beside is None:
            self._beside = ThreadPoolExecutor(4, thread_name_prefix="db-read-beside")
        return self._threads, self._beside

    def _read_sync(self, work: Callable[[Session], T]) -> T:
        try:
            return self._read_once(work)
        except DBAPIError as exc:
            if not exc.connection_invalidated:
                raise
            # The store dropped a pooled connection (a restart, an idle timeout): the pool has
            # let go of every connection as old as that one, and a read can simply run again.
            return self._read_once(work)

    def _read_once(self, work: Callable[[Session], T]) -> T:
        return self._thread_sessions()[0].read(work)

    def _thread_sessions(self) -> tuple[KeptReaders, sessionmaker[Session]]:
        """The sync engines' kept read connections and write session factory (made on first
        use)."""
        with self._thread_lock:
            if self._thread_reader is None or self._thread_writer is None:
                reader, writer = self._sync_engine(reading=True), self._sync_engine(reading=False)
                self._thread_engines = [reader, writer]
                if self.backend == "sqlite":
                    reader = reader.execution_options(sqlite_begin="DEFERRED")
                self._thread_reader = KeptReaders(reader)
                self._thread_writer = sessionmaker(writer, expire_on_commit=False)
            return self._thread_reader, self._thread_writer

    def _sync_engine(self, *, reading: bool) -> Engine:
        kwargs: dict[str, Any] = {"pool_size": self._pool_size}
        if self.backend == "postgresql":
            kwargs["max_overflow"] = self._pool_size
            if reading:
                # Each statement of a read committed transaction sees its own snapshot, so
                # BEGIN and COMMIT would only add two round trips to every read. No ping on
                # checkout either: a dropped connection is noticed and the read re-run.
                kwargs["isolation_level"] = "AUTOCOMMIT"
            else:
                # A write cannot simply be run again (did its commit get through?): its
                # connection is pinged before use instead.
                kwargs["pool_pre_ping"] = True
        engine = create_engine(sync_url(self.url), **kwargs)
        if self.backend == "sqlite":
            install_sqlite_pragmas(engine, self._synchronous, self._cache_mib)
        return engine

    async def ping(self) -> None:
        """Raise if the store cannot answer a trivial query."""
        async with self.read_session() as session:
            await session.execute(text("SELECT 1"))

    async def dispose(self) -> None:
        """Close every pooled connection."""
        await self.engine.dispose()
        # Plans before the pool beside them: they start reads there.
        for pool in (self._writes, self._threads, self._beside):
            if pool is not None:
                await asyncio.to_thread(pool.shutdown, wait=True)
        self._writes, self._threads, self._beside = None, None, None
        if self._thread_reader is not None:
            self._thread_reader.close_all()  # the threads that kept them are gone
        for engine in self._thread_engines:
            await asyncio.to_thread(engine.dispose)
        self._thread_engines, self._thread_reader, self._thread_writer = [], None, None


async def _finished(work: Future[T]) -> T:
    """The work's result; when the caller is cancelled, first wait until the work is over."""
    waiting = asyncio.wrap_future(work)
    try:
        return await asyncio.shield(waiting)
    except asyncio.CancelledError:
        await asyncio.wait([waiting])
        raise


def _run_plan(plan: Callable[[Reads], T], run: Runner, beside: Executor, session: Session) -> T:
    """A read plan on the session its reads now share, with a pool for those beside."""
    return plan(PooledReads(session, run, beside))
