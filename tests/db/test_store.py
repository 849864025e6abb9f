"""The store: migrations both ways, SQLite WAL and durability settings, UTC timestamps."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Column, Integer, MetaData, Table, create_engine, inspect, text
from sqlalchemy.orm import Session

from watchfloor.db.base import UTCDateTime
from watchfloor.db.engine import Database, sync_url
from watchfloor.db.migrate import downgrade, upgrade


def _tables(url: str) -> set[str]:
    engine = create_engine(sync_url(url))
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_migrations_go_down_to_base_and_up_again(database_url: str) -> None:
    assert "alembic_version" in _tables(database_url)
    before = _tables(database_url)
    downgrade(database_url, "base")
    assert _tables(database_url) - {"alembic_version", "spatial_ref_sys"} == set()
    upgrade(database_url)
    assert _tables(database_url) == before


async def test_sqlite_runs_in_wal_with_full_sync(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'x.db'}", sqlite_synchronous="FULL", sqlite_cache_mib=48)
    try:
        async with db.session() as session:
            assert (await session.execute(text("PRAGMA cache_size"))).scalar() == -48 * 1024
            assert (await session.execute(text("PRAGMA journal_mode"))).scalar() == "wal"
            assert (await session.execute(text("PRAGMA synchronous"))).scalar() == 2
            assert (await session.execute(text("PRAGMA foreign_keys"))).scalar() == 1
    finally:
        await db.dispose()


async def test_utc_datetime_round_trips_aware_with_microseconds(database_url: str) -> None:
    table = Table(
        "tmp_times", MetaData(), Column("id", Integer, primary_key=True), Column("at", UTCDateTime)
    )
    db = Database(database_url)
    eastern = timezone(timedelta(hours=-5))
    written = datetime(2026, 11, 21, 9, 30, 15, 123456, tzinfo=eastern)
    try:
        async with db.session() as session:
            await session.run_sync(lambda s: table.create(s.connection()))
            await session.execute(table.insert().values(id=1, at=written))
        async with db.read_session() as session:
            read = (await session.execute(table.select())).one().at
        assert read == written
        assert read.tzinfo == UTC
        assert read.microsecond == 123456
        async with db.session() as session:
            await session.run_sync(lambda s: table.drop(s.connection()))
        with pytest.raises(ValueError, match="naive"):
            UTCDateTime().process_bind_param(datetime(2026, 1, 1), db.engine.dialect)  # noqa: DTZ001
    finally:
        await db.dispose()


async def test_postgresql_has_postgis(database_url: str) -> None:
    db = Database(database_url)
    try:
        if not db.is_postgresql:
            assert db.backend == "sqlite"
            return
        async with db.read_session() as session:
            version = (await session.execute(text("SELECT postgis_lib_version()"))).scalar()
        assert str(version).startswith("3.")
    finally:
        await db.dispose()


def _one(session: Session) -> Any:
    return session.execute(text("SELECT 1")).scalar()


def _backend_pid_or_raw(session: Session) -> Any:
    if session.get_bind().dialect.name == "postgresql":
        return session.execute(text("SELECT pg_backend_pid()")).scalar()
    return session.connection().connection.dbapi_connection


async def test_a_read_in_a_thread_survives_the_store_dropping_its_connection(
    database_url: str,
) -> None:
    db = Database(database_url)
    try:
        pooled = await db.read_in_thread(_backend_pid_or_raw)
        if db.is_postgresql:
            # as a restart of the server would: the pooled connection's backend goes away
            engine = create_engine(sync_url(database_url))
            with engine.connect() as conn:
                conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pooled})
            engine.dispose()
        else:
            pooled.close()
        assert await db.read_in_thread(_one) == 1
        assert await db.read_in_thread(_one) == 1
    finally:
        await db.dispose()
