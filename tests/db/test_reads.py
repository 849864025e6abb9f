"""Read plans: reads now and beside each other, on their own connections, in one hop."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from watchfloor.db.engine import Database
from watchfloor.db.reads import Reads


def _where(meeting: threading.Barrier, session: Session) -> tuple[str, int, int]:
    one = session.execute(text("SELECT 1")).scalar_one()
    meeting.wait()  # both reads hold their connection at once: they run side by side
    return threading.current_thread().name, id(session.connection().connection), one


async def test_reads_beside_run_at_once_on_their_own_thread_and_connection(
    database_url: str,
) -> None:
    db = Database(database_url)
    meeting = threading.Barrier(2, timeout=10)

    def plan(reads: Reads) -> tuple[tuple[str, int, int], tuple[str, int, int]]:
        beside = reads.beside(lambda s: _where(meeting, s))
        return reads.now(lambda s: _where(meeting, s)), beside.result()

    try:
        (here, here_conn, one), (there, there_conn, other) = await db.read_plan(plan)
    finally:
        await db.dispose()
    assert (one, other) == (1, 1)
    assert here.startswith("db-read_")
    assert there.startswith("db-read-beside")
    assert here_conn != there_conn


async def test_the_reads_a_plan_makes_now_share_its_one_session(database_url: str) -> None:
    db = Database(database_url)

    def plan(reads: Reads) -> tuple[Session, Session, Session]:
        beside = reads.beside(lambda s: s)
        return reads.now(lambda s: s), reads.now(lambda s: s), beside.result()

    try:
        first, second, beside = await db.read_plan(plan)
    finally:
        await db.dispose()
    assert first is second
    assert beside is not first


async def test_a_failing_read_beside_fails_the_plan(database_url: str) -> None:
    db = Database(database_url)

    def broken(session: Session) -> int:
        session.execute(text("SELECT no_such_column FROM incident"))
        return 1

    try:
        with pytest.raises(Exception, match="no_such_column"):
            await db.read_plan(lambda reads: reads.beside(broken).result())
        assert await db.read_plan(lambda reads: reads.now(lambda s: 2)) == 2
    finally:
        await db.dispose()


async def test_an_in_memory_store_runs_the_plan_on_its_one_session() -> None:
    db = Database("sqlite:///:memory:")

    def plan(reads: Reads) -> tuple[int, int]:
        beside = reads.beside(lambda s: s.execute(text("SELECT 2")).scalar_one())
        return reads.now(lambda s: s.execute(text("SELECT 1")).scalar_one()), beside.result()

    try:
        assert await db.read_plan(plan) == (1, 2)
        with pytest.raises(ZeroDivisionError):
            await db.read_plan(lambda reads: reads.beside(lambda s: 1 // 0).result())
    finally:
        await db.dispose()


async def test_a_read_apart_runs_on_this_thread_with_a_connection_of_its_own(
    database_url: str,
) -> None:
    db = Database(database_url)

    def plan(reads: Reads) -> tuple[tuple[str, int], tuple[str, int]]:
        def here(s: Session) -> tuple[tuple[str, int], tuple[str, int]]:
            mine = threading.current_thread().name, id(s.connection().connection)
            other = reads.apart(
                lambda a: (threading.current_thread().name, id(a.connection().connection))
            )
            return mine, other

        return reads.now(here)

    try:
        (here_thread, here_conn), (apart_thread, apart_conn) = await db.read_plan(plan)
    finally:
        await db.dispose()
    assert here_thread == apart_thread
    assert here_thread.startswith("db-read_")
    assert here_conn != apart_conn


async def test_reads_in_a_thread_keep_their_connection_until_the_store_is_disposed(
    database_url: str,
) -> None:
    db = Database(database_url)
    try:
        first = await db.read_in_thread(lambda s: s.connection())
        assert not first.closed  # kept for the thread's next read
        assert await db.read_in_thread(lambda s: s.execute(text("SELECT 1")).scalar()) == 1
    finally:
        await db.dispose()
    assert first.closed
