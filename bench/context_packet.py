"""Context packet latency with 100k cameras, 5M historical incidents and 10M plate reads stored.

`python -m bench.context_packet [--quick]` prints one JSON line per store (SQLite; PostgreSQL
when WATCHFLOOR_TEST_DATABASE_URL is set): p50/p95/p99 ms of assembling a packet (goal p95 <= 10
ms). Right after each packet, the store statements it ran are replayed as bare SQL on a plain
driver connection (bench/context_baseline.py): the same-run baseline. Before the packets are
timed, what they read is brought into the page cache (bench/context_memory.py), and the figures
say how much the host read from its disks and how much CPU time it lost to steal while they
ran. Data is generated into the store's real tables in bulk (executemany / COPY); the SQLite file
is cached under bench/data keyed by size, so re-runs start at once. Quick mode: 1/50 of the data.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import math
import os
import random
import shutil
import sqlite3
import tempfile
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg

from bench.context_baseline import BareReplay, StatementLog
from bench.context_memory import into_memory
from bench.host import host_mark, host_since
from bench.lpr.dataset import libpq_url
from watchfloor.app import build
from watchfloor.core.clock import ManualClock
from watchfloor.core.geo import grid_cell
from watchfloor.db.migrate import upgrade
from watchfloor.settings import load_settings

DATA = Path(__file__).resolve().parent / "data"
VERSION = 1
CENTRE_LAT, CENTRE_LON = 40.44, -80.0
BOX_M = 25_000.0  # a city of 25 x 25 km
NOW = datetime(2026, 11, 21, 14, 0, tzinfo=UTC)
TYPES = ["THEFT", "BURGLARY", "ASSAULT", "ROBBERY", "DISTURBANCE", "TRAFFIC", "MEDICAL", "FIRE"]
CHUNK = 100_000
PACKETS = 1_500
"""Packets timed, each of a different incident: enough that a burst of the shared host's noise
(seconds long) is a part of the run rather than all of it."""
FIRST = 300
"""The first packets after start are also reported apart (the store's page caches still cold)."""


def _point(rnd: random.Random) -> tuple[float, float]:
    north, east = rnd.uniform(-BOX_M / 2, BOX_M / 2), rnd.uniform(-BOX_M / 2, BOX_M / 2)
    cos = math.cos(math.radians(CENTRE_LAT))
    return CENTRE_LAT + north / 111_195, CENTRE_LON + east / (111_195 * cos)


def _ts(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def _incidents(n: int, rnd: random.Random) -> Iterator[tuple[object, ...]]:
    """Incidents over five years (about a fifth in the packet's 12-month window)."""
    for i in range(n):
        lat, lon = _point(rnd)
        at = NOW - timedelta(seconds=rnd.uniform(600, 5 * 365 * 86_400))
        yield (
            str(uuid.UUID(int=rnd.getrandbits(128))),
            f"urn:bench:{i}",
            rnd.choice(TYPES),
            "closed",
            at,
            at,
            at,
            lat,
            lon,
            grid_cell(lat, lon),
            f"{i % 9000} Main St",
            "bench",
            "[]",
            "{}",
            1,
        )


def _reads(n: int, readers: int, rnd: random.Random) -> Iterator[tuple[object, ...]]:
    """Reads over 30 days, in time order (as a live intake writes them)."""
    start = NOW.timestamp() * 1000 - 30 * 86_400_000
    step = 30 * 86_400_000 / n
    for i in range(n):
        ms = int(start + i * step)
        plate = f"B{rnd.randrange(2_000_000):07d}"
        yield (rnd.randrange(1, readers + 1), ms, ms, plate, plate, False)


def _cameras(n: int, rnd: random.Random) -> Iterator[tuple[object, ...]]:
    for i in range(n):
        lat, lon = _point(rnd)
        yield (
            f"CAM-{i:06d}",
            f"camera {i}",
            "city",
            "city",
            lat,
            lon,
            rnd.uniform(0, 360),
            rnd.uniform(40, 100),
            rnd.uniform(30, 120),
            False,
            "[]",
            "standard",
            "active",
            "[]",
            False,
            NOW,
            NOW,
        )


INCIDENT_SQL = (
    "INSERT INTO incident (id, eido_id, type_code, status, received_at, last_updated_at,"
    " first_received_at, lat, lon, cell, address, issuing_element, cross_streets, document,"
    " version) VALUES ({})"
)
READ_SQL = (
    "INSERT INTO lpr_read (reader_id, captured_ms, received_ms, plate, plate_raw, hit) VALUES ({})"
)
CAMERA_SQL = (
    "INSERT INTO camera (code, name, kind, owner, lat, lon, bearing, fov_angle, fov_range_m,"
    " ptz, stream_urls, access_level, status, labels, mobile, created_at, updated_at)"
    " VALUES ({})"
)
READER_SQL = (
    "INSERT INTO lpr_reader (code, name, kind, lat, lon, active, created_at, updated_at)"
    " VALUES ({})"
)


def _rows(kind: str, spec: dict[str, int], rnd: random.Random) -> Iterator[tuple[object, ...]]:
    if kind == "incident":
        return _incidents(spec["incidents"], rnd)
    if kind == "read":
        return _reads(spec["reads"], spec["readers"], rnd)
    if kind == "camera":
        return _cameras(spec["cameras"], rnd)
    return (
        (f"LPR-{i:05d}", f"reader {i}", "fixed", *_point(rnd), True, NOW, NOW)
        for i in range(spec["readers"])
    )


TABLES = {"reader": READER_SQL, "camera": CAMERA_SQL, "incident": INCIDENT_SQL, "read": READ_SQL}


def _sqlite_value(value: object) -> object:
    return _ts(value) if isinstance(value, datetime) else value


def ensure_sqlite(spec: dict[str, int]) -> Path:
    """The cached SQLite file of this size (built first when missing)."""
    key = "context-{incidents}-{reads}-{cameras}-v{v}".format(**spec, v=VERSION)
    home = DATA / key
    path = home / "context.db"
    if (home / "done").is_file():
        return path
    shutil.rmtree(home, ignore_errors=True)
    home.mkdir(parents=True)
    upgrade(f"sqlite:///{path}")
    conn = sqlite3.connect(path, isolation_level=None)
    for pragma in ("journal_mode=OFF", "synchronous=OFF", "cache_size=-1000000"):
        conn.execute(f"PRAGMA {pragma}")
    rnd = random.Random(11)
    for kind, sql in TABLES.items():
        rows = _rows(kind, spec, rnd)
        width = sql.split(" VALUES")[0].count(",") + 1
        insert = sql.format(", ".join("?" * width))
        while chunk := [tuple(_sqlite_value(v) for v in r) for r in itertools.islice(rows, CHUNK)]:
            conn.execute("BEGIN")
            conn.executemany(insert, chunk)
            conn.execute("COMMIT")
    conn.execute("ANALYZE")
    conn.execute("PRAGMA journal_mode=WAL")
    conn.close()
    (home / "done").write_text(json.dumps(spec))
    return path


def load_postgresql(url: str, spec: dict[str, int]) -> None:
    """Load the same data into a migrated PostgreSQL database by COPY."""
    upgrade(url)
    rnd = random.Random(11)
    with psycopg.connect(libpq_url(url)) as conn:
        for kind, sql in TABLES.items():
            head = sql.split(" VALUES")[0].replace("INSERT INTO", "COPY")
            with conn.cursor().copy(f"{head} FROM STDIN") as copy:
                for row in _rows(kind, spec, rnd):
                    copy.write_row(row)
    with psycopg.connect(libpq_url(url)) as conn:
        conn.autocommit = True  # autovacuum's work done now: index-only scans need the map
        conn.execute("VACUUM ANALYZE")
        # As the SQLite copy is written out before timing: the checkpoint after gigabytes of
        # COPY writes them back now, not while the packets are timed (a store in service is
        # not being bulk loaded).
        conn.execute("CHECKPOINT")


def _bring_up_to_date(path: Path) -> None:
    """Migrate the cached file to the current schema (new indexes built on its data, once)."""
    upgrade(f"sqlite:///{path}")
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA analysis_limit=2000")
    conn.execute("ANALYZE")
    conn.close()


def _written_out(path: Path) -> None:
    """Wait until the copy is on disk: the kernel writing back gigabytes of a fresh copy while
    the packets are timed takes the CPU from them (a store in service is not being copied)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


async def _measure(url: str, tmp: Path, queries: int) -> dict[str, object]:
    settings = load_settings(data_dir=tmp / "data", database_url=url)
    wf = build(settings, clock=ManualClock(NOW), migrate=False)
    try:
        await wf.units.load()
        rnd = random.Random(5)
        async with wf.db.read_session() as session:
            from sqlalchemy import text

            rows = (
                (
                    await session.execute(
                        text("SELECT id FROM incident ORDER BY received_at DESC LIMIT :n"),
                        {"n": queries},
                    )
                )
                .scalars()
                .all()
            )
        ids = list(rows)
        rnd.shuffle(ids)
        with StatementLog() as warming:
            for incident_id in ids[:20]:
                await wf.context.assembler.for_incident(incident_id)
        started = time.perf_counter()
        warmed = await asyncio.to_thread(into_memory, url, warming.take())
        warm_s = round(time.perf_counter() - started, 1)
        took: list[float] = []
        bare: list[float] = []
        sizes: list[int] = []
        statements = 0
        mark = host_mark()
        with StatementLog() as log, BareReplay(url) as replay:
            for incident_id in ids:
                log.take()
                t0 = time.perf_counter()
                packet = await wf.context.assembler.for_incident(incident_id)
                took.append((time.perf_counter() - t0) * 1000)
                sizes.append(packet.prior_incidents.nearby if packet.prior_incidents else 0)
                ran = log.take()
                statements += len(ran)
                bare.append(replay.timed(ran))
        host = host_since(mark)
    finally:
        await wf.stop()
    first = sorted(took[:FIRST])
    took.sort()
    bare.sort()
    return {
        "p50_ms": _pct(took, 0.5),
        "p95_ms": _pct(took, 0.95),
        "p99_ms": _pct(took, 0.99),
        "packets": len(took),
        "first_packets": len(first),
        "first_p50_ms": _pct(first, 0.5),
        "first_p95_ms": _pct(first, 0.95),
        "mean_prior_nearby": round(sum(sizes) / len(sizes), 1),
        "statements_per_packet": round(statements / len(took), 2),
        "bare_sql_p50_ms": _pct(bare, 0.5),
        "bare_sql_p95_ms": _pct(bare, 0.95),
        "p95_over_bare_sql": round(_pct(took, 0.95) / _pct(bare, 0.95), 2),
        "host_steal_pct": host.steal_pct,
        "host_disk_read_mib": host.disk_read_mib,
        "into_memory": warmed,
        "into_memory_s": warm_s,
    }


def _pct(took: list[float], q: float) -> float:
    return round(took[min(len(took) - 1, round(q * (len(took) - 1)))], 2)


def run(quick: bool, pg_url: str | None = None) -> list[dict[str, object]]:
    """Measure on SQLite and (when configured) PostgreSQL; the figures as dicts."""
    scale = 50 if quick else 1
    spec = {
        "incidents": 5_000_000 // scale,
        "reads": 10_000_000 // scale,
        "cameras": 100_000 // scale,
        "readers": 5_000 // scale,
    }
    figures: list[dict[str, object]] = []
    with tempfile.TemporaryDirectory(prefix="wf-context-") as tmp:
        path = ensure_sqlite(spec)
        _bring_up_to_date(path)
        copy = Path(tmp) / "context.db"
        shutil.copyfile(path, copy)
        _written_out(copy)
        measured = asyncio.run(_measure(f"sqlite:///{copy}", Path(tmp), PACKETS))
        figures.append(
            {"name": "context_packet", "store": "sqlite", **spec, **measured, "goal_p95_ms": 10}
        )
        pg = pg_url
        if pg:
            load_postgresql(pg, spec)
            measured = asyncio.run(_measure(pg, Path(tmp), PACKETS))
            figures.append(
                {
                    "name": "context_packet",
                    "store": "postgresql",
                    **spec,
                    **measured,
                    "goal_p95_ms": 10,
                }
            )
    return figures


def main() -> None:
    """Parse arguments, run once, print one JSON line per store."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    pg_url = os.environ.get("WATCHFLOOR_TEST_DATABASE_URL")
    for figure in run(parser.parse_args().quick, pg_url):
        print(json.dumps(figure))


if __name__ == "__main__":
    main()
