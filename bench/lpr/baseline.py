"""Raw insert baseline: how fast the store alone takes new reads into the full table.

Steady state into the stored dataset with the migration's indexes, batches of 1,000 reads, each
batch its own durable transaction: SQLite executemany in WAL at the app's `synchronous` setting,
PostgreSQL binary COPY with synchronous_commit on. Run once with the reads alone and once also
adding new plates to the plate dictionary (what "indexed for search" costs in full). Rows are
generated before the clock starts. This is the denominator of the end-to-end ingest figure.
"""

from __future__ import annotations

import itertools
import sqlite3
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import psycopg
from sqlalchemy.engine import make_url

from bench.eido_ingest import Figure
from bench.lpr.dataset import Dataset, libpq_url
from bench.lpr.population import COLUMNS, ReadRow, read_rows

BATCH = 1_000
WARMUP_BATCHES = 20  # untimed, so the first checkpoints and cold pages are behind us
NEW_PLATE_SHARE = 0.1  # a tenth of steady-state reads are of plates never seen before
_INSERT = f"INSERT INTO lpr_read ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})"  # noqa: S608 - constant column names
_PG_TYPES = ["integer", "bigint", "bigint", "text", "text", "text", "float8", "float8", "float8",
             "float8", "text", "int2", "float8", "text", "text", "text", "text", "text", "text",
             "bool"]  # fmt: skip

Inserter = Callable[[list[ReadRow]], None]


def fresh_rows(dataset: Dataset, count: int, seed: int) -> list[ReadRow]:
    """count new reads captured from now on, a tenth of them of new plates."""
    start = max(int(datetime.now(UTC).timestamp() * 1000), dataset.end_ms)
    world = dataset.spec.world()
    span = max(count // 50, 1) * 1000  # ~50 reads/s of capture time: stays inside "now"
    return list(read_rows(world, count, start, start + span, seed, NEW_PLATE_SHARE))


def run_sqlite(url: str, dataset: Dataset, synchronous: str, seconds: float) -> list[Figure]:
    """Both baselines on a SQLite copy of the dataset."""
    path = str(make_url(url).database)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute(f"PRAGMA synchronous={synchronous}")
    try:

        def reads_only(batch: list[ReadRow]) -> None:
            conn.execute("BEGIN IMMEDIATE")
            conn.executemany(_INSERT, batch)
            conn.execute("COMMIT")

        def with_dictionary(batch: list[ReadRow]) -> None:
            conn.execute("BEGIN IMMEDIATE")
            conn.executemany(_INSERT, batch)
            conn.executemany(
                "INSERT OR IGNORE INTO lpr_plate (plate) VALUES (?)",
                [(p,) for p in {row[3] for row in batch}],
            )
            conn.execute("COMMIT")

        setting: dict[str, object] = {"method": "executemany, WAL", "synchronous": synchronous}
        return _both(dataset, "sqlite", reads_only, with_dictionary, seconds, setting)
    finally:
        conn.close()


def run_postgres(url: str, dataset: Dataset, seconds: float) -> list[Figure]:
    """Both baselines on a PostgreSQL copy of the dataset."""
    with psycopg.connect(libpq_url(url)) as pg:

        def reads_only(batch: list[ReadRow]) -> None:
            _copy(pg, batch)
            pg.commit()

        def with_dictionary(batch: list[ReadRow]) -> None:
            _copy(pg, batch)
            pg.execute(
                "INSERT INTO lpr_plate (plate) SELECT unnest(%s::text[]) ON CONFLICT DO NOTHING",
                (sorted({row[3] for row in batch}),),
            )
            pg.commit()

        setting: dict[str, object] = {"method": "binary COPY per batch", "synchronous_commit": "on"}
        return _both(dataset, "postgresql", reads_only, with_dictionary, seconds, setting)


def _copy(pg: psycopg.Connection[Any], batch: list[ReadRow]) -> None:
    with (
        pg.cursor() as cur,
        cur.copy(f"COPY lpr_read ({', '.join(COLUMNS)}) FROM STDIN (FORMAT BINARY)") as copy,
    ):
        copy.set_types(_PG_TYPES)
        for row in batch:
            copy.write_row(row)


def _both(
    dataset: Dataset,
    store: str,
    reads_only: Inserter,
    with_dictionary: Inserter,
    seconds: float,
    setting: dict[str, object],
) -> list[Figure]:
    expected = int(seconds * 120_000) + 10 * BATCH  # runs out early only above 120k/s
    figures = []
    for name, insert, seed in (
        ("lpr_raw_insert", reads_only, 21),
        ("lpr_raw_insert_with_plate_dictionary", with_dictionary, 22),
    ):
        rows = fresh_rows(dataset, expected + WARMUP_BATCHES * BATCH, seed)
        batches = _batches(rows)
        for batch in itertools.islice(batches, WARMUP_BATCHES):
            insert(batch)
        inserted, elapsed = _timed(insert, batches, seconds)
        rate = inserted / elapsed
        detail: dict[str, object] = {
            **setting,
            "batch": BATCH,
            "rows": inserted,
            "elapsed_s": round(elapsed, 2),
            "stored_before": dataset.spec.reads,
            "new_plate_share": NEW_PLATE_SHARE,
            "goal": "none: same-run denominator of lpr_ingest_sustained",
        }
        figures.append(Figure(name, round(rate, 1), "reads/s", store, detail))
    return figures


def _batches(rows: list[ReadRow]) -> Iterator[list[ReadRow]]:
    it = iter(rows)
    while batch := list(itertools.islice(it, BATCH)):
        yield batch


def _timed(insert: Inserter, batches: Iterator[list[ReadRow]], seconds: float) -> tuple[int, float]:
    """Insert batches until `seconds` have passed (or the rows run out): (rows, elapsed)."""
    count, started = 0, time.perf_counter()
    for batch in batches:
        insert(batch)
        count += len(batch)
        if time.perf_counter() - started >= seconds:
            break
    return count, time.perf_counter() - started
