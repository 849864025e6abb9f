"""Bringing the context packet's data into memory before it is timed: the indexes found in the
statements' plans on PostgreSQL, the database file on SQLite."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import psycopg
from bench.context_memory import indexes_in, into_memory

from tests.conftest import STORE

PLAN = [
    {
        "Plan": {
            "Node Type": "Aggregate",
            "Plans": [
                {
                    "Node Type": "Index Only Scan",
                    "Relation Name": "incident",
                    "Index Name": "ix_incident_nearby",
                },
                {
                    "Node Type": "Bitmap Heap Scan",
                    "Relation Name": "lpr_read",
                    "Plans": [
                        {"Node Type": "Bitmap Index Scan", "Index Name": "ix_lpr_read_captured"}
                    ],
                },
                {"Node Type": "Seq Scan", "Relation Name": "premise"},
            ],
        }
    }
]


def test_the_indexes_of_a_plan_are_found_at_every_depth() -> None:
    assert indexes_in(PLAN) == {"ix_incident_nearby", "ix_lpr_read_captured"}
    assert indexes_in([{"Plan": {"Node Type": "Seq Scan", "Relation Name": "premise"}}]) == set()
    assert indexes_in(None) == set()


def _read_bytes() -> int:
    fields = dict(line.split(": ") for line in Path("/proc/self/io").read_text().splitlines())
    return int(fields["rchar"])


def test_the_whole_database_file_is_read_on_sqlite(tmp_path: Path) -> None:
    path = tmp_path / "context.db"
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("CREATE TABLE t (x BLOB)")
        conn.executemany("INSERT INTO t VALUES (?)", [(b"x" * 4000,) for _ in range(500)])
        conn.commit()
        size = path.stat().st_size + path.with_name("context.db-wal").stat().st_size
        before = _read_bytes()
        assert into_memory(f"sqlite:///{path}", []) == ["context.db", "context.db-wal"]
        assert _read_bytes() - before >= size


def test_the_indexes_the_statements_scan_are_read_on_postgresql(database_url: str) -> None:
    if STORE != "postgresql":  # the PostgreSQL pass runs it (CI skips nothing)
        assert database_url.startswith("sqlite")
        return
    libpq = database_url.replace("postgresql+psycopg://", "postgresql://")
    statements = [
        ("SELECT status FROM incident WHERE id = %(id)s", {"id": "urn:none"}),
        ("SELECT code FROM camera WHERE code = %(code)s", {"code": "CAM-1"}),
    ]
    assert into_memory(database_url, statements) == ["pk_incident", "uq_camera_code"]
    with psycopg.connect(libpq) as conn:
        found = conn.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_prewarm'").fetchone()
    assert found == (1,)
