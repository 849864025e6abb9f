"""The context packet's data brought into memory right before the packets are timed, as a store
in service holds its working set.

This host drops file pages that nobody read for about a minute (bench/host.py), so a store loaded
minutes before its figure is timed would be read from the disk again, and the figure would time
the disk. SQLite: the database file is read through once (the OS page cache then holds it, as a
copy just written mostly is). PostgreSQL: the indexes that the packet's statements scan, found in
their plans (EXPLAIN), are read into the OS page cache by pg_prewarm in its 'read' mode. The
server's own buffers stay as they were, as SQLite's page cache does."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import psycopg

from bench.context_baseline import Statement
from bench.lpr.dataset import libpq_url

CHUNK = 8 * 2**20


def into_memory(url: str, statements: Sequence[Statement]) -> list[str]:
    """Bring what the statements read into the page cache; the files or indexes it read."""
    if url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
        files = [f for f in (path, path.with_name(path.name + "-wal")) if f.is_file()]
        for file in files:
            _read_through(file)
        return [f.name for f in files]
    with psycopg.connect(libpq_url(url), autocommit=True) as conn:
        found: set[str] = set()
        for sql, parameters in statements:
            row = conn.execute(f"EXPLAIN (FORMAT JSON) {sql}", parameters).fetchone()
            found |= indexes_in(row[0] if row else None)
        conn.execute("CREATE EXTENSION IF NOT EXISTS pg_prewarm")
        for index in sorted(found):
            conn.execute("SELECT pg_prewarm(%s::regclass, 'read')", (index,))
    return sorted(found)


def indexes_in(plan: Any) -> set[str]:
    """Every index that a plan (EXPLAIN's JSON, parsed) scans."""
    found: set[str] = set()
    if isinstance(plan, dict):
        name = plan.get("Index Name")
        if isinstance(name, str):
            found.add(name)
        for value in plan.values():
            found |= indexes_in(value)
    elif isinstance(plan, list):
        for item in plan:
            found |= indexes_in(item)
    return found


def _read_through(path: Path) -> None:
    with path.open("rb", buffering=0) as file:
        while file.read(CHUNK):
            pass
