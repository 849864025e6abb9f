"""Kept read connections: one per thread, reused read after read, never serving stale rows."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine, inspect, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from watchfloor.db.engine import sync_url
from watchfloor.db.kept import KeptReaders


class _Base(DeclarativeBase):
    pass


class _Note(_Base):
    __tablename__ = "kept_test_note"
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    text: Mapped[str]


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = create_engine(sync_url(database_url))
    _Base.metadata.create_all(engine)
    try:
        yield engine
    finally:
        _Base.metadata.drop_all(engine)
        engine.dispose()


def _raw(session: Session) -> Any:
    return session.connection().connection.dbapi_connection


def _one(session: Session) -> Any:
    return session.execute(text("SELECT 1")).scalar()


def test_reads_on_one_thread_share_its_kept_connection_until_closed(engine: Engine) -> None:
    kept = KeptReaders(engine)
    first = kept.read(_raw)
    assert kept.read(_raw) is first
    assert (kept.kept, engine.pool.checkedout()) == (1, 1)  # type: ignore[attr-defined]
    kept.close_all()
    assert (kept.kept, engine.pool.checkedout()) == (0, 0)  # type: ignore[attr-defined]


def test_each_thread_keeps_a_connection_of_its_own(engine: Engine) -> None:
    kept = KeptReaders(engine)
    meeting = threading.Barrier(2, timeout=10)

    def together(session: Session) -> Any:
        meeting.wait()  # both threads read at once
        return _raw(session)

    with ThreadPoolExecutor(2) as pool:
        reads = [pool.submit(kept.read, together) for _ in range(2)]
        here, there = (r.result() for r in reads)
    assert here is not there
    assert kept.kept == 2
    kept.close_all()


def test_a_read_inside_a_read_keeps_a_second_connection_of_the_thread(engine: Engine) -> None:
    kept = KeptReaders(engine)

    def outer(session: Session) -> tuple[Any, Any]:
        return _raw(session), kept.read(_raw)

    mine, inner = kept.read(outer)
    assert mine is not inner
    assert kept.kept == 2
    assert kept.read(_raw) is mine  # free again once the outer read is over
    assert kept.read(outer) == (mine, inner)
    assert kept.kept == 2
    kept.close_all()


def test_a_kept_session_serves_no_stale_rows_and_detaches_what_it_read(engine: Engine) -> None:
    kept = KeptReaders(engine)
    with Session(engine) as session, session.begin():
        session.add(_Note(id=1, text="first"))
    note = kept.read(lambda s: s.get(_Note, 1))
    assert note is not None
    assert inspect(note).detached
    with Session(engine) as session, session.begin():
        changed = session.get(_Note, 1)
        assert changed is not None
        changed.text = "second"
    again = kept.read(lambda s: s.get(_Note, 1))
    assert again is not None
    assert again.text == "second"
    kept.close_all()


def test_a_failed_read_rolls_back_and_the_connection_stays_kept(engine: Engine) -> None:
    kept = KeptReaders(engine)
    first = kept.read(_raw)
    with pytest.raises(DBAPIError, match="no_such_column"):
        kept.read(lambda s: s.execute(text("SELECT no_such_column FROM kept_test_note")))
    assert kept.read(_one) == 1
    assert kept.read(_raw) is first
    kept.close_all()


def _drop(engine: Engine, kept: KeptReaders) -> None:
    """Drop the kept connection as a store restart would."""
    if engine.dialect.name != "postgresql":
        kept.read(_raw).close()
        return
    pid = kept.read(lambda s: s.execute(text("SELECT pg_backend_pid()")).scalar())
    with engine.connect() as conn:
        conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})


def test_a_connection_the_store_dropped_is_let_go_of(engine: Engine) -> None:
    kept = KeptReaders(engine)
    _drop(engine, kept)
    with pytest.raises(DBAPIError) as dropped:
        kept.read(_one)
    assert dropped.value.connection_invalidated
    assert kept.kept == 0
    assert kept.read(_one) == 1
    assert kept.kept == 1
    kept.close_all()
