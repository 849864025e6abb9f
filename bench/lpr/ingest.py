"""End-to-end plate-read ingest over real HTTP, with the dataset stored and a 1M-entry hotlist:
sustained reads/s, and read-to-alert latency on a console WebSocket at 1,000 reads/s.

The server is the real app (uvicorn, in this process) on a copy of the dataset, with the hotlist
written straight into its tables and loaded by the app's own start-up. The load is a separate
process (`bench.lpr.load_reads`) posting pre-encoded JSON batches; its reads are generated from
the dataset's population (a tenth of them new plates, about half a percent hotlist hits).
"""

from __future__ import annotations

import asyncio
import gc
import json
import os
import secrets
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import orjson
import psycopg
import pyotp
import uvicorn
from sqlalchemy import create_engine, insert, text
from sqlalchemy.engine import make_url

from bench.client_env import BEARER_VAR, COOKIE_VAR
from bench.eido_ingest import Figure, _free_port, _percentile
from bench.host import host_mark, host_since
from bench.lpr.dataset import Dataset, libpq_url
from bench.lpr.population import HotlistEntry, Population, hotlist_entries, read_rows, wire_read
from watchfloor.app import Watchfloor, build, create_app
from watchfloor.auth.tokens import SESSION_COOKIE
from watchfloor.core.context import Role
from watchfloor.db.engine import sync_url
from watchfloor.domain.hotlists.models import Hotlist
from watchfloor.settings import load_settings

GOALS = {"sqlite": 30_000.0, "postgresql": 20_000.0}
ALERT_P99_GOAL_MS = 50.0
OFFERED_RATE = 1_000.0
PASSWORD = "watch " + secrets.token_urlsafe(18)  # a fresh account per run
REASONS = ("stolen_vehicle",) * 6 + ("stolen_plate", "felony_vehicle", "wanted_person", "amber")


@dataclass(frozen=True)
class Plan:
    """How big and how long: full, or --quick."""

    hotlist: int
    sustained_reads: int
    sustained_s: float
    batch: int
    concurrency: int
    paced_s: float
    paced_batch: int
    injected_hit_share: float

    @classmethod
    def of(cls, quick: bool) -> Plan:
        """The full plan, or a short smoke run."""
        if quick:
            return cls(100_000, 60_000, 4.0, 1_000, 4, 6.0, 50, 0.02)
        return cls(1_000_000, 1_500_000, 20.0, 1_000, 4, 30.0, 50, 0.02)


@dataclass(frozen=True)
class LoadFiles:
    """The hotlist and the pre-encoded request bodies (one JSON array a line), on disk so the
    server's process holds none of the harness's millions of objects (its GC would pay)."""

    hotlist: Path
    sustained: Path
    paced: Path


def prepare(dataset: Dataset, directory: Path, plan: Plan) -> LoadFiles:
    """The hotlist and both runs' bodies, generated once per benchmark run."""
    world = dataset.spec.world()
    entries = hotlist_entries(world, plan.hotlist, seed=31)
    now_ms = int(datetime.now(UTC).timestamp() * 1000)
    sustained = directory / "lpr-sustained.jsonl"
    rows = read_rows(world, plan.sustained_reads, now_ms - 120_000, now_ms, 41, new_share=0.1)
    _write_bodies(sustained, world, rows, plan.batch, {})
    paced_reads = int(OFFERED_RATE * plan.paced_s) + plan.paced_batch
    paced = directory / "lpr-paced.jsonl"
    rows = read_rows(world, paced_reads, now_ms - 60_000, now_ms, 42, new_share=0.1)
    # Unseen hotlist plates (each once) replace a share of reads, so every one raises an alert.
    step = max(1, round(1 / plan.injected_hit_share))
    never_read = entries[int(len(entries) * 0.5) :]
    injected = {i: never_read[i // step] for i in range(0, paced_reads, step)}
    _write_bodies(paced, world, rows, plan.paced_batch, injected)
    hotlist = directory / "lpr-hotlist.json"
    hotlist.write_bytes(orjson.dumps(entries))
    return LoadFiles(hotlist, sustained, paced)


def _write_bodies(
    path: Path, world: Population, rows: Any, batch: int, injected: dict[int, HotlistEntry]
) -> None:
    codes = [reader.code for reader in world.readers]
    with path.open("wb") as out:
        reads: list[dict[str, object]] = []
        for i, row in enumerate(rows):
            read = wire_read(row, codes[row[0] - 1])
            if i in injected:
                _entry_id, plate, state = injected[i]
                read |= {"plate": plate, "region": state}
            reads.append(read)
            if len(reads) == batch:
                out.write(orjson.dumps(reads) + b"\n")
                reads = []
        if reads:
            out.write(orjson.dumps(reads) + b"\n")


def install_hotlist(url: str, path: Path) -> None:
    """One active, fresh NCIC-style list holding the entries, written straight into the tables."""
    entries: list[HotlistEntry] = [(i, p, s) for i, p, s in orjson.loads(path.read_bytes())]
    now = datetime.now(UTC)
    engine = create_engine(sync_url(url))
    try:
        with engine.begin() as conn:
            conn.execute(
                insert(Hotlist),
                {
                    "id": 1, "name": "NCIC extract (synthetic, bench)", "kind": "ncic",
                    "source_format": "ncic_fixed", "max_age_minutes": 1440,
                    "default_reason": "stolen_vehicle", "active": True, "last_refreshed_at": now,
                    "entry_count": len(entries), "created_at": now, "created_by": "bench",
                },
            )  # fmt: skip
    finally:
        engine.dispose()
    rows = [
        (entry_id, 1, plate, plate, state, REASONS[entry_id % len(REASONS)])
        for entry_id, plate, state in entries
    ]
    columns = "id, hotlist_id, plate, plate_raw, state, reason_code"
    if make_url(url).get_backend_name() == "sqlite":
        lite = sqlite3.connect(str(make_url(url).database))
        try:
            with lite:  # one transaction
                sql = f"INSERT INTO hotlist_entry ({columns}) VALUES (?, ?, ?, ?, ?, ?)"  # noqa: S608
                lite.executemany(sql, rows)
        finally:
            lite.close()
        return
    with psycopg.connect(libpq_url(url)) as pg, pg.cursor() as cur:
        with cur.copy(f"COPY hotlist_entry ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        for table in ("hotlist", "hotlist_entry"):
            cur.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), max(id)) FROM {table}"  # noqa: S608
            )


async def run(
    url: str, store: str, dataset: Dataset, data_dir: Path, quick: bool, files: LoadFiles
) -> list[Figure]:
    """Both ingest benchmarks on one store (a copy of the dataset at url)."""
    plan = Plan.of(quick)
    setup: dict[str, object] = {
        "stored_before": dataset.spec.reads,
        "hotlist_entries": plan.hotlist,
    }
    started = time.perf_counter()
    await asyncio.to_thread(install_hotlist, url, files.hotlist)
    gc.collect()
    setup["hotlist_install_s"] = round(time.perf_counter() - started, 1)
    settings = load_settings(
        data_dir=data_dir, database_url=url, security={"cookie_secure": False},
        lpr={"purge_every_s": 86_400},
    )  # fmt: skip
    wf = build(settings)
    started = time.perf_counter()
    await wf.start()  # loads the hotlist into the matcher, the readers, the live hub
    setup["app_start_s"] = round(time.perf_counter() - started, 1)
    _feed, token = await wf.auth.create_feed("bench-lpr-readers")
    server, serving, base = await _serve(wf)
    try:
        cookie = await _operator_cookie(wf, base)
        sustained = await asyncio.to_thread(
            _load, base, token, files.sustained, plan.sustained_s, plan.concurrency, 0.0, None
        )
        await asyncio.sleep(2.0)
        paced = await asyncio.to_thread(
            _load, base, token, files.paced, plan.paced_s, 8, OFFERED_RATE, cookie
        )
    finally:
        server.should_exit = True
        await serving
        await wf.stop()
    stored = await asyncio.to_thread(stored_since, url, dataset.spec.reads)
    setup["stored_check"] = {
        "acknowledged": sustained["accepted"] + paced["accepted"],
        "found_in_store": stored,
    }
    return [_sustained_figure(store, sustained, plan, setup), *_latency_figures(store, paced)]


async def _serve(wf: Watchfloor) -> tuple[uvicorn.Server, asyncio.Task[None], str]:
    port = _free_port()
    config = uvicorn.Config(
        create_app(wf), host="127.0.0.1", port=port, log_level="warning", lifespan="off",
        ws="websockets-sansio",
    )  # fmt: skip
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    while not server.started:  # noqa: ASYNC110 - uvicorn exposes only a flag
        await asyncio.sleep(0.05)
    return server, task, f"http://127.0.0.1:{port}"


async def _operator_cookie(wf: Watchfloor, base: str) -> str:
    """Log an operator on over HTTP; the session cookie a console WebSocket carries."""
    name = f"bench-operator-{secrets.token_hex(3)}"
    _user, uri = await wf.auth.create_user(name, Role.OPERATOR, "RT3", PASSWORD)
    code = pyotp.TOTP(str(pyotp.parse_uri(uri).secret)).now()
    async with httpx.AsyncClient(base_url=base) as http:
        response = await http.post(
            "/api/auth/logon",
            json={
                "username": name,
                "password": PASSWORD,
                "totp": code,
                "banner_acknowledged": True,
            },
        )
        response.raise_for_status()
        return f"{SESSION_COOKIE}={response.cookies[SESSION_COOKIE]}"


def _load(
    base: str, token: str, bodies: Path, seconds: float, concurrency: int, rate: float,
    cookie: str | None,
) -> dict[str, Any]:  # fmt: skip
    command = [sys.executable, "-m", "bench.lpr.load_reads", "--url", base,
               "--bodies", str(bodies), "--duration", str(seconds), "--rate", str(rate),
               "--concurrency", str(concurrency)]  # fmt: skip
    hidden = {BEARER_VAR: token} | ({COOKIE_VAR: cookie} if cookie else {})
    mark = host_mark()
    done = subprocess.run(
        command,
        capture_output=True,
        text=True,
        check=True,
        timeout=seconds * 4 + 120,
        env=os.environ | hidden,
    )
    host = host_since(mark)
    if done.stderr.strip():
        print(done.stderr.strip()[-2000:], file=sys.stderr)
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return {**result, "host_steal_pct": host.steal_pct, "host_disk_read_mib": host.disk_read_mib}


def _sustained_figure(
    store: str, load: dict[str, Any], plan: Plan, setup: dict[str, object]
) -> Figure:
    rate = load["accepted"] / load["elapsed_s"]
    goal = GOALS[store]
    detail: dict[str, object] = {
        **setup,
        **{k: load[k] for k in ("posts", "sent", "accepted", "hits", "errors", "statuses")},
        "elapsed_s": round(load["elapsed_s"], 2),
        "batch": plan.batch,
        "concurrency": plan.concurrency,
        "hit_share": round(load["hits"] / max(load["accepted"], 1), 4),
        "host_steal_pct": load["host_steal_pct"],
        "host_disk_read_mib": load["host_disk_read_mib"],
        "goal": f">= {goal:,.0f} reads/s",
        "goal_met": rate >= goal,
    }
    return Figure("lpr_ingest_sustained", round(rate, 1), "reads/s", store, detail)


def _latency_figures(store: str, load: dict[str, Any]) -> list[Figure]:
    samples: list[float] = load["alert_ms"] or [float("inf")]  # none received: goal not met
    p99 = _percentile(samples, 0.99)
    common: dict[str, object] = {
        "offered_reads_per_s": OFFERED_RATE,
        "achieved_reads_per_s": round(load["accepted"] / load["elapsed_s"], 1),
        "alerts_timed": len(load["alert_ms"]),
        "alerts_unmatched": load["alerts_unmatched"],
        "hits_reported": load["hits"],
        "errors": load["errors"],
        "statuses": load["statuses"],
        "p90_ms": round(_percentile(samples, 0.90), 2),
        "post_to_ack_ms": _summary(load["post_ms"]),
        "host_steal_pct": load["host_steal_pct"],
        "host_disk_read_mib": load["host_disk_read_mib"],
        "from": "send of the HTTP batch holding the read (50 reads a batch)",
        "to": "plate_alert message received on a console WebSocket (/api/live)",
    }
    return [
        Figure(
            "lpr_read_to_alert_p50_at_1000_per_s",
            round(_percentile(samples, 0.50), 2),
            "ms",
            store,
            common,
        ),
        Figure(
            "lpr_read_to_alert_p99_at_1000_per_s",
            round(p99, 2),
            "ms",
            store,
            {
                **common,
                "max_ms": round(max(samples), 2),
                "goal": f"p99 <= {ALERT_P99_GOAL_MS:g} ms",
                "goal_met": p99 <= ALERT_P99_GOAL_MS,
            },
        ),
    ]


def _summary(samples: list[float]) -> dict[str, float]:
    """p50/p99 of a baseline: here, the POST of a batch until its durable acknowledgement."""
    if not samples:
        return {}
    return {
        "p50_ms": round(_percentile(samples, 0.50), 2),
        "p99_ms": round(_percentile(samples, 0.99), 2),
    }


def stored_since(url: str, after_id: int) -> int:
    """Reads in the store with an id above after_id (to check what was acknowledged is there)."""
    engine = create_engine(sync_url(url))
    try:
        with engine.connect() as conn:
            found = conn.scalar(
                text("SELECT count(*) FROM lpr_read WHERE id > :n"), {"n": after_id}
            )
            return int(found or 0)
    finally:
        engine.dispose()
