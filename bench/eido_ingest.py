"""EIDO ingest: sustained updates/s through HTTP into the store, and accept-to-bus latency at 200/s.

Baseline in the same run: single-row durable commits/s on the same store and driver, so the
ingest figure can be read as a ratio of what the store alone allows on this machine today.
"""

from __future__ import annotations

import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import uvicorn
from sqlalchemy import Column, Integer, MetaData, String, Table

from bench.client_env import BEARER_VAR
from watchfloor.app import Watchfloor, build, create_app
from watchfloor.db.engine import Database
from watchfloor.settings import load_settings


@dataclass
class Figure:
    """One benchmark figure."""

    name: str
    value: float
    unit: str
    store: str
    detail: dict[str, object] = field(default_factory=dict)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _load(url: str, token: str, *, rate: float, duration: float, seed: int) -> dict[str, float]:
    command = [
        sys.executable,
        "-m",
        "bench.load",
        "--url",
        url,
        "--rate",
        str(rate),
        "--duration",
        str(duration),
        "--seed",
        str(seed),
    ]
    done = subprocess.run(
        command,
        capture_output=True,
        text=True,
        check=True,
        timeout=duration * 4 + 120,
        env=os.environ | {BEARER_VAR: token},
    )
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


async def _baseline_commits(db: Database, seconds: float = 3.0) -> float:
    table = Table(
        "bench_baseline",
        MetaData(),
        Column("id", Integer, primary_key=True),
        Column("body", String(200)),
    )
    async with db.session() as session:
        await session.run_sync(lambda s: table.create(s.connection(), checkfirst=True))
    count, started = 0, time.perf_counter()
    while time.perf_counter() - started < seconds:
        async with db.session() as session:
            await session.execute(table.insert().values(body="x" * 150))
        count += 1
    elapsed = time.perf_counter() - started
    async with db.session() as session:
        await session.run_sync(lambda s: table.drop(s.connection()))
    return count / elapsed


class _LatencyProbe:
    """Subscribes to incident events and records accept-to-delivery latency in ms."""

    def __init__(self, wf: Watchfloor) -> None:
        self.samples: list[float] = []
        self.recording = False
        self._sub = wf.bus.subscribe("incident.>", max_pending=100_000)
        self.task = asyncio.create_task(self._run())

    async def _run(self) -> None:
        async for event in self._sub:
            if self.recording:
                delay = datetime.now(UTC) - event.received_at
                self.samples.append(delay.total_seconds() * 1000)

    def close(self) -> None:
        self._sub.close()


def _percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


async def run(database_url: str, store: str, data_dir: Path, quick: bool) -> list[Figure]:
    """Run the EIDO ingest benchmarks on one store."""
    settings = load_settings(data_dir=data_dir, database_url=database_url)
    wf = build(settings)
    _feed, token = await wf.auth.create_feed("bench-cad")
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(wf), host="127.0.0.1", port=port, log_level="warning", lifespan="off"
        )
    )
    serving = asyncio.create_task(server.serve())
    while not server.started:  # noqa: ASYNC110 - uvicorn exposes only a flag
        await asyncio.sleep(0.05)
    url = f"http://127.0.0.1:{port}"
    probe = _LatencyProbe(wf)
    duration = 5.0 if quick else 15.0
    try:
        baseline = await _baseline_commits(wf.db)
        flat = await asyncio.to_thread(_load, url, token, rate=0, duration=duration, seed=11)
        probe.recording = True
        paced = await asyncio.to_thread(_load, url, token, rate=200, duration=duration, seed=12)
        await asyncio.sleep(0.5)
        probe.recording = False
    finally:
        probe.close()
        server.should_exit = True
        await serving
        await wf.stop()
    per_s = flat["ok"] / flat["elapsed_s"]
    lat = probe.samples
    return [
        Figure(
            "eido_ingest_sustained",
            round(per_s, 1),
            "updates/s",
            store,
            {
                **flat,
                "baseline_single_row_commits_per_s": round(baseline, 1),
                "ratio_to_baseline": round(per_s / baseline, 3),
            },
        ),
        Figure(
            "eido_accept_to_bus_p50_at_200_per_s",
            round(_percentile(lat, 0.50), 2),
            "ms",
            store,
            {**paced, "samples": len(lat)},
        ),
        Figure(
            "eido_accept_to_bus_p99_at_200_per_s",
            round(_percentile(lat, 0.99), 2),
            "ms",
            store,
            {"samples": len(lat), "mean_ms": round(statistics.fmean(lat), 2) if lat else None},
        ),
    ]
