"""Database.write_in_thread: a read-write unit of work in one worker-thread hop, committed or
rolled back as a whole, in turn with the async writers on SQLite, and never cut off midway."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest
from sqlalchemy import Column, Integer, MetaData, String, Table, create_engine, select, text
from sqlalchemy.orm import Session

from watchfloor.db.engine import Database, sync_url

NOTES = Table(
    "tmp_write_notes",
    MetaData(),
    Column("id", Integer, primary_key=True),
    Column("text", String(40)),
)


async def _with_notes(db: Database) -> Database:
    async with db.session() as session:
        await session.run_sync(lambda s: NOTES.create(s.connection(), checkfirst=True))
    return db


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[Database]:
    store = await _with_notes(Database(database_url))
    try:
        yield store
    finally:
        async with store.session() as session:
            await session.run_sync(lambda s: NOTES.drop(s.connection()))
        await store.dispose()


@pytest.fixture
async def sqlite_db(tmp_path: Path) -> AsyncIterator[Database]:
    store = await _with_notes(Database(f"sqlite:///{tmp_path / 'w.db'}"))
    try:
        yield store
    finally:
        await store.dispose()


async def _texts(db: Database) -> list[str]:
    async with db.read_session() as session:
        return list((await session.execute(select(NOTES.c.text).order_by(NOTES.c.id))).scalars())


def _insert(text: str) -> Callable[[Session], str]:
    def work(session: Session) -> str:
        session.execute(NOTES.insert().values(text=text))
        return threading.current_thread().name

    return work


async def test_a_write_in_a_thread_commits_its_statements_together(db: Database) -> None:
    def two(session: Session) -> str:
        session.execute(NOTES.insert().values(text="first"))
        session.execute(NOTES.insert().values(text="second"))
        return threading.current_thread().name

    where = await db.write_in_thread(two)
    assert where.startswith("db-write")  # off the event loop's thread
    assert await _texts(db) == ["first", "second"]


async def test_a_failed_write_in_a_thread_leaves_nothing_behind(db: Database) -> None:
    def failing(session: Session) -> None:
        session.execute(NOTES.insert().values(text="half"))
        raise LookupError("no such alert")

    with pytest.raises(LookupError, match="no such alert"):
        await db.write_in_thread(failing)
    assert await _texts(db) == []
    await db.write_in_thread(_insert("after"))
    assert await _texts(db) == ["after"]


async def test_sqlite_writes_in_a_thread_wait_their_turn_first_come_first_served(
    sqlite_db: Database,
) -> None:
    order: list[str] = []
    release = asyncio.Event()

    async def holder() -> None:
        async with sqlite_db.session() as session:
            await session.execute(NOTES.insert().values(text="holder"))
            await release.wait()
        order.append("holder")

    def in_thread(session: Session) -> None:
        session.execute(NOTES.insert().values(text="thread"))
        order.append("thread")

    async def later() -> None:
        async with sqlite_db.session() as session:
            await session.execute(NOTES.insert().values(text="later"))
        order.append("later")

    holding = asyncio.create_task(holder())
    await asyncio.sleep(0.05)
    threaded = asyncio.create_task(sqlite_db.write_in_thread(in_thread))
    await asyncio.sleep(0.05)
    late = asyncio.create_task(later())
    await asyncio.sleep(0.05)
    assert order == []  # both wait behind the open transaction
    release.set()
    await asyncio.gather(holding, threaded, late)
    assert order == ["holder", "thread", "later"]
    assert await _texts(sqlite_db) == ["holder", "thread", "later"]


async def test_a_cancelled_caller_waits_until_its_write_is_over(sqlite_db: Database) -> None:
    started, go = threading.Event(), threading.Event()

    def slow(session: Session) -> None:
        started.set()
        go.wait(5)
        session.execute(NOTES.insert().values(text="finished"))

    task = asyncio.create_task(sqlite_db.write_in_thread(slow))
    assert await asyncio.to_thread(started.wait, 5)
    task.cancel()
    await asyncio.sleep(0.1)
    assert not task.done()  # the turn is still held: the work has not ended
    go.set()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert await _texts(sqlite_db) == ["finished"]  # the work ran to its end and committed
    async with asyncio.timeout(2):  # and the turn was given back
        await sqlite_db.write_in_thread(_insert("next"))
    assert await _texts(sqlite_db) == ["finished", "next"]


def _backend_pid(session: Session) -> object:
    if session.get_bind().dialect.name == "postgresql":
        return session.execute(text("SELECT pg_backend_pid()")).scalar()
    return None


async def test_a_write_in_a_thread_survives_the_store_dropping_its_connection(
    db: Database, database_url: str
) -> None:
    pid = await db.write_in_thread(_backend_pid)
    if pid is not None:  # PostgreSQL: as a restart of the server would, end that backend
        engine = create_engine(sync_url(database_url))
        with engine.connect() as conn:
            conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        engine.dispose()
    await db.write_in_thread(_insert("after the drop"))
    assert await _texts(db) == ["after the drop"]
