"""Run the named benchmarks on SQLite and, when WATCHFLOOR_TEST_DATABASE_URL is set, PostgreSQL.

`python -m bench [--quick] [--only NAME,...] [--lpr-reads N]` writes bench/results/latest.json
(quick runs: quick.json) and prints each figure last. With --only, the figures measured replace
those of the same name and store in the file, and the others stay.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import tempfile
from dataclasses import asdict
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

from sqlalchemy import create_engine, text

from bench import (
    alert_latency,
    camera_probes,
    cameras_coverage,
    community,
    console_load,
    context_packet,
    correlation,
    eido_ingest,
    nmea_ingest,
    tak_fanout,
    video_relay,
)
from bench.lpr import suite as lpr_suite
from watchfloor.db.engine import sync_url

RESULTS = Path(__file__).parent / "results"
BUNDLED_BASEMAP = Path(str(resources.files("watchfloor").joinpath("demo/city/basemap.json")))
NAMES = (
    "eido",
    "console",
    *lpr_suite.NAMES,
    "cameras",
    "video",
    "probes",
    "correlation",
    "context",
    "alerts",
    "nmea",
    "tak",
    "community",
)


def _machine() -> dict[str, object]:
    load = os.getloadavg()
    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "loadavg_at_start": [round(x, 2) for x in load],
        "memory_gib": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
    }


def _fresh_pg_database(url: str) -> str:
    """A new empty database beside the one in url, so the run starts from nothing."""
    engine = create_engine(sync_url(url), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text("DROP DATABASE IF EXISTS watchfloor_bench"))
        conn.execute(text("CREATE DATABASE watchfloor_bench"))
    engine.dispose()
    return url.rsplit("/", 1)[0] + "/watchfloor_bench"


async def _all(selected: set[str], quick: bool, lpr_reads: int | None) -> list[eido_ingest.Figure]:
    figures: list[eido_ingest.Figure] = []
    pg_url = os.environ.get("WATCHFLOOR_TEST_DATABASE_URL")
    with tempfile.TemporaryDirectory(prefix="watchfloor-bench-") as tmp:
        if "eido" in selected:
            sqlite_url = f"sqlite:///{Path(tmp) / 'bench.db'}"
            figures += await eido_ingest.run(sqlite_url, "sqlite", Path(tmp), quick)
            if pg_url:
                figures += await eido_ingest.run(
                    _fresh_pg_database(pg_url), "postgresql", Path(tmp), quick
                )
        if "console" in selected:
            figures += await console_load.run(Path(tmp), BUNDLED_BASEMAP, quick)
        figures += await lpr_suite.run(selected, quick, lpr_reads, Path(tmp), pg_url)
        if "correlation" in selected:
            figures.append(await _correlation_figure(Path(tmp), quick))
        if "alerts" in selected:
            figures += await alert_latency.run(Path(tmp), quick)
        if "nmea" in selected:
            fresh_pg = _fresh_pg_database(pg_url) if pg_url else None
            figures += await nmea_ingest.run(Path(tmp), quick)
            figures += await nmea_ingest.run(Path(tmp), quick, fresh_pg) if fresh_pg else []
        figures += await _community_figures(selected, Path(tmp), quick, pg_url)
    if "context" in selected:
        fresh = _fresh_pg_database(pg_url) if pg_url else None
        figures += await asyncio.to_thread(_context_figures, quick, fresh)
    if "cameras" in selected:
        figures.append(_cameras_figure(quick))
    if "video" in selected:
        figures.append(await asyncio.to_thread(_video_figure, quick))
    if "probes" in selected:
        figures.append(await asyncio.to_thread(_probes_figure, quick))
    if "tak" in selected:
        figures += await _tak_figures(quick)
    return figures


async def _community_figures(
    selected: set[str], workdir: Path, quick: bool, pg_url: str | None
) -> list[eido_ingest.Figure]:
    """Community camera registry near-query and an owner's clip upload (issue 8)."""
    if "community" not in selected:
        return []
    return await community.run(workdir, quick, _fresh_pg_database(pg_url) if pg_url else None)


def _cameras_figure(quick: bool) -> eido_ingest.Figure:
    """The cameras-that-can-see query among 100k cameras (in-process coverage index)."""
    measured = cameras_coverage.run(10_000 if quick else 100_000, 1_000, seed=7)
    detail = {**measured, "goal": "p95 <= 2 ms among 100,000 cameras"}
    p95_ms = float(str(measured["p95_us"])) / 1000
    detail["goal_met"] = p95_ms <= 2.0
    return eido_ingest.Figure("cameras_can_see_p95", round(p95_ms, 3), "ms", "memory", detail)


async def _correlation_figure(workdir: Path, quick: bool) -> eido_ingest.Figure:
    """Mixed alert events per second through the correlation engine's decision loop."""
    measured = await correlation.run(workdir, quick)
    decide = measured["decision_loop"]
    assert isinstance(decide, dict)
    value = float(decide["events_per_s"])
    return eido_ingest.Figure("correlation_events_per_s", value, "events/s", "memory", measured)


def _context_figures(quick: bool, pg_url: str | None) -> list[eido_ingest.Figure]:
    """Context packet p95 with 100k cameras, 5M incidents and 10M reads on each store."""
    figures = []
    for measured in context_packet.run(quick, pg_url):
        store = str(measured["store"])
        p95 = float(str(measured["p95_ms"]))
        detail = {**measured, "goal": "p95 <= 10 ms", "goal_met": p95 <= 10}
        figures.append(eido_ingest.Figure("context_packet_p95", p95, "ms", store, detail))
    return figures


def _video_figure(quick: bool) -> eido_ingest.Figure:
    """CPU of N live relays (each its own upstream connection and viewer) from a local server."""
    measured = video_relay.run(4 if quick else 32, 5 if quick else 20)
    return eido_ingest.Figure(
        "video_relay_cpu", float(str(measured["relay_cpu_percent"])), "%", "memory", measured
    )


def _probes_figure(quick: bool) -> eido_ingest.Figure:
    """Camera health probes per minute from one sweep against a local RTSP server."""
    measured = camera_probes.run(8 if quick else 20)
    value = float(str(measured["probes_per_min"]))
    return eido_ingest.Figure("camera_probes_per_min", value, "probes/min", "sqlite", measured)


async def _tak_figures(quick: bool) -> list[eido_ingest.Figure]:
    """CoT fan-out side by side: Watchfloor's TAK server, taky and FreeTAKServer."""
    with tempfile.TemporaryDirectory(prefix="watchfloor-tak-") as tmp:
        return tak_fanout.figures(await tak_fanout.run(Path(tmp), quick))


def _selection(only: str | None) -> set[str]:
    if not only:
        return set(NAMES)
    chosen: set[str] = set()
    for name in (part.strip() for part in only.split(",")):
        if name == "lpr":
            chosen.update(lpr_suite.NAMES)
        elif name in NAMES:
            chosen.add(name)
        else:
            raise SystemExit(f"--only: unknown benchmark {name!r}; known: lpr, {', '.join(NAMES)}")
    return chosen


def _merged(path: Path, figures: list[dict[str, object]]) -> list[dict[str, object]]:
    """The file's figures with these replacing any of the same name and store."""
    fresh = {(f["name"], f["store"]) for f in figures}
    old = json.loads(path.read_text())["results"] if path.is_file() else []
    return [f for f in old if (f["name"], f["store"]) not in fresh] + figures


def main() -> None:
    """Run, record, print."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="short runs (smoke check)")
    parser.add_argument("--only", help=f"comma-separated, of: lpr, {', '.join(NAMES)}")
    parser.add_argument(
        "--lpr-reads", type=int, help="stored reads in the plate-reader dataset (10M; quick 200k)"
    )
    args = parser.parse_args()
    selected = _selection(args.only)
    at = datetime.now(UTC).isoformat()
    figures = asyncio.run(_all(selected, args.quick, args.lpr_reads))
    RESULTS.mkdir(exist_ok=True)
    target = RESULTS / ("quick.json" if args.quick else "latest.json")
    results = [{**asdict(f), "at": at} for f in figures]
    report = {
        "at": at,
        "machine": _machine(),
        "results": _merged(target, results) if args.only else results,
    }
    target.write_text(json.dumps(report, indent=2) + "\n")
    for figure in figures:
        goal = figure.detail.get("goal")
        beside = f"  (goal: {goal}; met: {figure.detail.get('goal_met')})" if goal else ""
        print(f"{figure.name} [{figure.store}]: {figure.value} {figure.unit}{beside}")


if __name__ == "__main__":
    main()
