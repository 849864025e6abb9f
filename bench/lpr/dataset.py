"""The stored-reads dataset the plate-reader benchmarks run against, built once and cached.

SQLite: a migrated file under bench/data/<key>/ (the cache, and the source of every other copy).
PostgreSQL: a migrated database loaded from that file by binary COPY, kept in the cluster as a
template; each benchmark that writes gets its own copy. Bulk loading drops the two `lpr_read`
indexes (and the plate dictionary's trigram index or triggers) and replays the app's own DDL for
them afterwards, read back from the catalog, so the result is exactly what the migration makes.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import shutil
import sqlite3
import tempfile
import time
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg
from sqlalchemy import Engine, create_engine, insert, text
from sqlalchemy.engine import make_url

from bench.lpr.population import COLUMNS, Population, population, read_rows
from watchfloor.db.engine import sync_url
from watchfloor.db.migrate import upgrade
from watchfloor.domain.lpr.models import PlateReader

DATA = Path(__file__).resolve().parent.parent / "data"
VERSION = 1  # bump when the generator changes: old caches are then ignored
DAY_MS = 86_400_000
CHUNK = 200_000
_READ_COLUMNS = ", ".join(COLUMNS)


@dataclass(frozen=True)
class DatasetSpec:
    """How big a dataset, from which seed."""

    reads: int
    seed: int = 4
    days: int = 30
    readers: int = 5_000

    @property
    def plates(self) -> int:
        """Distinct plates in the preload (about five reads each)."""
        return max(self.reads // 5, 1)

    @property
    def key(self) -> str:
        """The cache directory's name."""
        return f"lpr-{self.reads}-s{self.seed}-v{VERSION}"

    def world(self) -> Population:
        """The plates and readers of this dataset."""
        return population(self.plates, self.readers, self.seed)


@dataclass(frozen=True)
class Dataset:
    """A built dataset: where its SQLite file is and which time span its reads cover."""

    spec: DatasetSpec
    sqlite_path: Path
    start_ms: int
    end_ms: int
    built: dict[str, Any]


def ensure_sqlite(spec: DatasetSpec, root: Path = DATA) -> Dataset:
    """The cached dataset under root, built first if there is none or the migrations now make
    the plate-reader tables differently."""
    home = root / spec.key
    meta = home / "meta.json"
    schema = schema_fingerprint()
    if not meta.is_file() or json.loads(meta.read_text()).get("schema") != schema:
        _build_sqlite(spec, home, schema)
    facts = json.loads(meta.read_text())
    return Dataset(spec, home / "lpr.db", facts["start_ms"], facts["end_ms"], facts)


def schema_fingerprint() -> str:
    """A digest of the DDL the migrations give the plate-reader tables (on SQLite)."""
    with tempfile.TemporaryDirectory(prefix="wf-schema-") as tmp:
        path = Path(tmp) / "schema.db"
        upgrade(f"sqlite:///{path}")
        conn = sqlite3.connect(path)
        try:
            rows = conn.execute(
                "SELECT type, name, sql FROM sqlite_master"
                " WHERE tbl_name LIKE 'lpr_%' OR tbl_name LIKE 'hotlist%' ORDER BY type, name"
            ).fetchall()
        finally:
            conn.close()
    return hashlib.sha256(repr(rows).encode()).hexdigest()[:16]


def sqlite_copy(dataset: Dataset, directory: Path) -> str:
    """A private copy of the cached SQLite file for one benchmark (it may write to it)."""
    target = directory / f"{dataset.spec.key}.db"
    for suffix in ("-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(dataset.sqlite_path, target)
    # Write the copy out now: its dirty pages would otherwise be flushed by the first fsyncs
    # of the benchmark (ext4 ordered mode), slowing its first seconds several times over.
    with target.open("rb+") as copy:
        os.fsync(copy.fileno())
    return f"sqlite:///{target}"


def _build_sqlite(spec: DatasetSpec, home: Path, schema: str) -> None:
    building = home.with_name(home.name + ".building")
    shutil.rmtree(building, ignore_errors=True)
    building.mkdir(parents=True)
    path = building / "lpr.db"
    timings: dict[str, float] = {}
    started = time.perf_counter()
    upgrade(f"sqlite:///{path}")
    world = spec.world()
    timings["population_s"] = _since(started)
    _insert_readers(f"sqlite:///{path}", world)
    end_ms = int(datetime.now(UTC).timestamp() * 1000)
    start_ms = end_ms - spec.days * DAY_MS
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        _preload_sqlite(conn, spec, world, start_ms, end_ms, timings)
    finally:
        conn.close()
    facts = {
        "spec": asdict(spec),
        "schema": schema,
        "start_ms": start_ms,
        "end_ms": end_ms,
        "built_at": datetime.now(UTC).isoformat(),
        "timings_s": timings,
        "total_s": _since(started),
        "file_mb": round(path.stat().st_size / 2**20, 1),
    }
    (building / "meta.json").write_text(json.dumps(facts, indent=2) + "\n")
    shutil.rmtree(home, ignore_errors=True)
    building.rename(home)


def _preload_sqlite(
    conn: sqlite3.Connection,
    spec: DatasetSpec,
    world: Population,
    start_ms: int,
    end_ms: int,
    timings: dict[str, float],
) -> None:
    # The preload only: no journal, no syncs. A crash here just means building again.
    for pragma in (
        "journal_mode=OFF",
        "synchronous=OFF",
        "cache_size=-1000000",
        "temp_store=MEMORY",
    ):
        conn.execute(f"PRAGMA {pragma}")
    indexes = _sqlite_objects(conn, "index", "lpr_read")
    triggers = _sqlite_objects(conn, "trigger", "lpr_plate")
    for name, _sql in indexes:
        conn.execute(f'DROP INDEX "{name}"')
    for name, _sql in triggers:
        conn.execute(f'DROP TRIGGER "{name}"')
    step = time.perf_counter()
    rows = read_rows(world, spec.reads, start_ms, end_ms, spec.seed + 2)
    marks = ", ".join("?" * len(COLUMNS))
    insert = f"INSERT INTO lpr_read ({_READ_COLUMNS}) VALUES ({marks})"  # noqa: S608 - constants
    while chunk := list(itertools.islice(rows, CHUNK)):
        conn.execute("BEGIN")
        conn.executemany(insert, chunk)
        conn.execute("COMMIT")
    timings["generate_and_insert_s"] = _since(step)
    step = time.perf_counter()
    for _name, sql in indexes:
        conn.execute(sql)
    timings["read_indexes_s"] = _since(step)
    step = time.perf_counter()
    conn.execute("INSERT INTO lpr_plate (plate) SELECT DISTINCT plate FROM lpr_read ORDER BY 1")
    conn.execute("INSERT INTO lpr_plate_fts(lpr_plate_fts) VALUES ('rebuild')")
    for _name, sql in triggers:
        conn.execute(sql)
    timings["plate_dictionary_s"] = _since(step)
    conn.execute("PRAGMA journal_mode=WAL")


def _sqlite_objects(conn: sqlite3.Connection, kind: str, table: str) -> list[tuple[str, str]]:
    """(name, DDL) of the named kind of object on table, as the migration created them."""
    rows = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = ? AND tbl_name = ? AND sql IS NOT NULL",
        (kind, table),
    )
    return [(str(name), str(sql)) for name, sql in rows]


def _insert_readers(url: str, world: Population) -> None:
    now = datetime.now(UTC)
    rows = [
        {
            "id": r.id,
            "code": r.code,
            "name": f"Synthetic reader {r.code}",
            "kind": r.kind,
            "agency": "Bench PD",
            "lat": r.lat,
            "lon": r.lon,
            "heading": r.heading,
            "direction": r.direction,
            "lanes": r.lanes,
            "active": True,
            "created_at": now,
            "updated_at": now,
        }
        for r in world.readers
    ]
    engine = create_engine(sync_url(url))
    try:
        with engine.begin() as conn:
            conn.execute(insert(PlateReader), rows)
            if engine.dialect.name == "postgresql":
                conn.execute(
                    text("SELECT setval(pg_get_serial_sequence('lpr_reader', 'id'), :n)"),
                    {"n": len(rows)},
                )
    finally:
        engine.dispose()


# --- PostgreSQL


def pg_template(dataset: Dataset, admin_url: str) -> str:
    """The cluster's template database holding this dataset, loaded first if it is missing."""
    name = f"wf_{dataset.spec.key.replace('-', '_')}"
    admin = create_engine(sync_url(admin_url), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            done = conn.scalar(
                text(
                    "SELECT shobj_description(oid, 'pg_database') FROM pg_database"
                    " WHERE datname = :n"
                ),
                {"n": name},
            )
            if done == _loaded_mark(dataset):  # loaded from this very SQLite file
                return name
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        url = _database_url(admin_url, name)
        _load_postgres(dataset, url)
        with admin.connect() as conn:
            mark = _loaded_mark(dataset)
            conn.execute(text(f"COMMENT ON DATABASE \"{name}\" IS '{mark}'"))
    finally:
        admin.dispose()
    return name


def _loaded_mark(dataset: Dataset) -> str:
    return f"complete {dataset.built['schema']} {dataset.end_ms}"


def pg_copy(admin_url: str, template: str, name: str) -> str:
    """A fresh copy of the template for one benchmark; its URL."""
    admin = create_engine(sync_url(admin_url), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
            conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}" STRATEGY FILE_COPY'))
    finally:
        admin.dispose()
    return _database_url(admin_url, name)


def pg_drop(admin_url: str, name: str) -> None:
    """Remove a benchmark's copy."""
    admin: Engine = create_engine(sync_url(admin_url), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


def libpq_url(url: str) -> str:
    """The URL as psycopg.connect takes it."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def _database_url(url: str, name: str) -> str:
    return make_url(url).set(database=name).render_as_string(hide_password=False)


def _load_postgres(dataset: Dataset, url: str) -> None:
    upgrade(url)
    _insert_readers(url, dataset.spec.world())
    with psycopg.connect(libpq_url(url), autocommit=True) as pg:
        pg.execute("SET synchronous_commit = off")
        pg.execute("SET maintenance_work_mem = '1GB'")
        indexes = _pg_indexes(pg, "lpr_read") + _pg_indexes(pg, "lpr_plate")
        for name, _sql in indexes:
            pg.execute(f'DROP INDEX "{name}"')
        _copy_reads(dataset.sqlite_path, pg)
        pg.execute("SELECT setval(pg_get_serial_sequence('lpr_read', 'id'), max(id)) FROM lpr_read")
        pg.execute("INSERT INTO lpr_plate (plate) SELECT DISTINCT plate FROM lpr_read ORDER BY 1")
        for _name, sql in indexes:
            pg.execute(sql)
        pg.execute("VACUUM ANALYZE lpr_read")
        pg.execute("VACUUM ANALYZE lpr_plate")


def _pg_indexes(pg: psycopg.Connection[Any], table: str) -> list[tuple[str, str]]:
    """(name, DDL) of the table's indexes other than its primary key."""
    rows = pg.execute(
        "SELECT i.indexname, i.indexdef FROM pg_indexes i"
        " JOIN pg_class c ON c.relname = i.indexname"
        " JOIN pg_index x ON x.indexrelid = c.oid"
        " WHERE i.tablename = %s AND NOT x.indisprimary",
        (table,),
    ).fetchall()
    return [(str(name), str(sql)) for name, sql in rows]


def _copy_reads(source: Path, pg: psycopg.Connection[Any]) -> None:
    lite = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    types = ["bigint", "integer", "bigint", "bigint", "text", "text", "text", "float8",
             "float8", "float8", "float8", "text", "int2", "float8", "text", "text",
             "text", "text", "text", "text", "bool"]  # fmt: skip
    try:
        cursor = lite.execute(f"SELECT id, {_READ_COLUMNS} FROM lpr_read ORDER BY id")  # noqa: S608
        with (
            pg.cursor() as cur,
            cur.copy(f"COPY lpr_read (id, {_READ_COLUMNS}) FROM STDIN (FORMAT BINARY)") as copy,
        ):
            copy.set_types(types)
            while batch := cursor.fetchmany(50_000):
                for row in batch:
                    copy.write_row(row)
    finally:
        lite.close()


def _since(started: float) -> float:
    return round(time.perf_counter() - started, 1)
