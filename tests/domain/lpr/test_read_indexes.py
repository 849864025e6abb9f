"""The plate-read indexes the migrations make: the models describe them, and on PostgreSQL the
reads of the few readers near a point are counted from each reader's own index range rather than
by walking every reader's reads in the time window."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import cast

import pytest
from sqlalchemy import Connection, create_engine, insert, inspect
from sqlalchemy.sql import ClauseElement

from tests.support.schema import schema_drift
from watchfloor.db.engine import sync_url
from watchfloor.domain.lpr.models import PlateRead, PlateReader
from watchfloor.domain.lpr.nearby import counts_in_box_read

READER_INDEX = "ix_lpr_read_reader_captured"
NOW = datetime(2026, 11, 21, 14, 0, tzinfo=UTC)
GRID = 20  # readers on a 20 x 20 grid, 500 m apart
READS_EACH = 60  # every reader read this many plates in the last half hour


@pytest.fixture
def store(database_url: str) -> Iterator[Connection]:
    engine = create_engine(sync_url(database_url))
    with engine.connect() as connection:
        yield connection
    engine.dispose()


def test_models_and_migration_agree(database_url: str) -> None:
    drift = schema_drift(database_url, {"lpr_read"})
    if not database_url.startswith("postgresql"):  # the model's index is PostgreSQL's only
        drift = [d for d in drift if d[0] != "add_index" or d[1].name != READER_INDEX]
    assert drift == []


def test_reads_per_reader_have_their_own_index_on_postgresql_only(store: Connection) -> None:
    names = {index["name"] for index in inspect(store).get_indexes("lpr_read")}
    assert "ix_lpr_read_captured" in names
    assert (READER_INDEX in names) == (store.dialect.name == "postgresql")


def test_the_counts_near_a_point_read_only_the_readers_near_it(store: Connection) -> None:
    if store.dialect.name != "postgresql":  # SQLite has no such index by design (0021)
        assert READER_INDEX not in {i["name"] for i in inspect(store).get_indexes("lpr_read")}
        return
    _city(store)
    read = counts_in_box_read(40.44, -80.0, 500.0, NOW - timedelta(minutes=30), NOW)
    compiled = cast("ClauseElement", read.statement).compile(dialect=store.dialect)
    params = {**compiled.params, **read.params}
    plan = store.exec_driver_sql(f"EXPLAIN {compiled}", params).scalars().all()
    assert any(READER_INDEX in line for line in plan), "\n".join(plan)
    counts = {row[0]: row[1] for row in store.exec_driver_sql(str(compiled), params)}
    assert sorted(counts.values()) == [READS_EACH] * len(counts)
    assert 1 <= len(counts) <= 9  # the box's readers, not the city's 400


def _city(store: Connection) -> None:
    """400 readers around the point, each with a window full of reads; statistics taken."""
    readers = [
        {
            "code": f"R{row}-{col}",
            "name": f"Reader {row}-{col}",
            "kind": "fixed",
            "lat": 40.44 + (row - GRID // 2) * 0.0045,
            "lon": -80.0 + (col - GRID // 2) * 0.0059,
            "active": True,
            "created_at": NOW,
            "updated_at": NOW,
        }
        for row in range(GRID)
        for col in range(GRID)
    ]
    ids = store.execute(insert(PlateReader).returning(PlateReader.id), readers).scalars().all()
    end_ms = int(NOW.timestamp() * 1000)
    rows = [
        {
            "reader_id": reader_id,
            "captured_ms": end_ms - 1 - n * 29_000,
            "received_ms": end_ms,
            "plate": f"P{reader_id:04d}{n:03d}",
            "plate_raw": f"P{reader_id:04d}{n:03d}",
            "hit": False,
        }
        for reader_id in ids
        for n in range(READS_EACH)
    ]
    store.execute(insert(PlateRead), rows)
    store.commit()
    store.exec_driver_sql("ANALYZE lpr_read")
    store.exec_driver_sql("ANALYZE lpr_reader")
