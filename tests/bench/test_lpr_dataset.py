"""The plate-reader benchmark dataset at 1,000 reads: built like the migration makes the tables,
deterministic, and loadable into PostgreSQL."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import psycopg
from bench.lpr.dataset import DatasetSpec, ensure_sqlite, libpq_url, pg_drop, pg_template
from bench.lpr.population import CENTRE, HALF_LAT, hotlist_entries, read_rows

from tests.conftest import PG_URL, STORE

SPEC = DatasetSpec(1_000, readers=50)


def test_sqlite_dataset_is_the_migrated_schema_filled(tmp_path: Path) -> None:
    dataset = ensure_sqlite(SPEC, tmp_path)
    with sqlite3.connect(dataset.sqlite_path) as conn:
        reads, plates = conn.execute(
            "SELECT count(*), count(DISTINCT plate) FROM lpr_read"
        ).fetchone()
        assert reads == 1_000
        assert conn.execute("SELECT count(*) FROM lpr_plate").fetchone() == (plates,)
        objects = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
        assert {"ix_lpr_read_plate_captured", "ix_lpr_read_captured"} <= objects
        assert {"lpr_plate_fts_insert", "lpr_plate_fts_delete"} <= objects
        some = conn.execute("SELECT plate FROM lpr_read LIMIT 1").fetchone()[0]
        found = conn.execute(
            "SELECT plate FROM lpr_plate_fts WHERE plate LIKE ?", (f"%{some[1:4]}%",)
        ).fetchall()
        assert (some,) in found
        first, last = conn.execute(
            "SELECT min(captured_ms), max(captured_ms) FROM lpr_read"
        ).fetchone()
        assert dataset.start_ms <= first < last <= dataset.end_ms
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    assert ensure_sqlite(SPEC, tmp_path).built == dataset.built  # the cache, not a rebuild


def test_a_cache_from_other_migrations_is_rebuilt(tmp_path: Path) -> None:
    dataset = ensure_sqlite(SPEC, tmp_path)
    meta = dataset.sqlite_path.parent / "meta.json"
    facts = json.loads(meta.read_text())
    meta.write_text(json.dumps({**facts, "schema": "made-by-older-migrations"}))
    rebuilt = ensure_sqlite(SPEC, tmp_path)
    assert rebuilt.built["schema"] == facts["schema"]
    assert rebuilt.built["built_at"] != facts["built_at"]


def test_generated_reads_are_seeded_and_inside_the_metro_box() -> None:
    world = SPEC.world()
    one = list(read_rows(world, 200, 0, 1_000_000, seed=9))
    assert one == list(read_rows(SPEC.world(), 200, 0, 1_000_000, seed=9))
    assert all(abs(row[7] - CENTRE[0]) <= HALF_LAT + 0.05 for row in one)
    assert {row[3] for row in one} <= set(world.plates[: world.known])


def test_hotlist_holds_the_asked_share_of_plates_readers_see() -> None:
    world = DatasetSpec(50_000, readers=10).world()
    entries = hotlist_entries(world, 20_000, seed=3, known_share=0.05)
    plates = [plate for _id, plate, _state in entries]
    assert len(set(plates)) == 20_000
    assert len(set(plates) & set(world.plates)) == 1_000


def test_postgres_copy_matches_the_sqlite_file(tmp_path: Path) -> None:
    if STORE != "postgresql":  # the PostgreSQL pass runs it (CI skips nothing)
        assert PG_URL is None or STORE == "sqlite"
        return
    assert PG_URL is not None
    dataset = ensure_sqlite(SPEC, tmp_path)
    name = pg_template(dataset, PG_URL)
    try:
        url = PG_URL.rsplit("/", 1)[0] + f"/{name}"
        with psycopg.connect(libpq_url(url)) as pg:
            reads = pg.execute("SELECT count(*), count(DISTINCT plate) FROM lpr_read").fetchone()
            plates = pg.execute("SELECT count(*) FROM lpr_plate").fetchone()
            indexes = {r[0] for r in pg.execute("SELECT indexname FROM pg_indexes")}
        assert reads is not None
        assert plates is not None
        assert reads[0] == 1_000
        assert plates[0] == reads[1]
        assert {
            "ix_lpr_read_plate_captured",
            "ix_lpr_read_captured",
            "ix_lpr_plate_trgm",
        } <= indexes
    finally:
        pg_drop(PG_URL, name)
