"""The context packet's same-run baseline: the reads an engine sent are recorded, and replayed as
bare SQL on the store under test."""

from __future__ import annotations

import pytest
from bench.context_baseline import BareReplay, StatementLog
from sqlalchemy import create_engine, text

from watchfloor.db.engine import sync_url


def test_the_log_keeps_the_reads_an_engine_sent_with_their_parameters(database_url: str) -> None:
    engine = create_engine(sync_url(database_url))
    try:
        with StatementLog() as log, engine.connect() as conn:
            conn.execute(text("SELECT count(*) FROM incident WHERE id = :id"), {"id": "x"})
            conn.execute(text("UPDATE incident SET status = 'closed' WHERE id = :id"), {"id": "x"})
            conn.execute(text("WITH n AS (SELECT 1 AS one) SELECT one FROM n"))
            taken = log.take()
            conn.execute(text("SELECT 2"))
        after = log.take()
        conn_after = engine.connect()
        conn_after.execute(text("SELECT 3"))
        conn_after.close()
    finally:
        engine.dispose()
    assert [sql.split()[0] for sql, _params in taken] == ["SELECT", "WITH"]
    assert "x" in str(taken[0][1])
    assert [sql for sql, _params in after] == ["SELECT 2"]
    assert log.take() == []  # closed: the engine's later reads are not recorded


def test_a_replay_runs_the_recorded_reads_on_the_store(database_url: str) -> None:
    engine = create_engine(sync_url(database_url))
    try:
        with StatementLog() as log, engine.connect() as conn:
            conn.execute(text("SELECT count(*) FROM incident WHERE id = :id"), {"id": "x"})
            taken = log.take()
    finally:
        engine.dispose()
    with BareReplay(database_url) as replay:
        assert replay.timed(taken) > 0.0
        with pytest.raises(Exception, match="no_such_table"):
            replay.timed([("SELECT * FROM no_such_table", ())])
