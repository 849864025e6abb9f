"""Run the named benchmarks on SQLite and, when WATCHFLOOR_TEST_DATABASE_URL is set, PostgreSQL.

`python -m bench [--quick]` writes bench/results/latest.json and prints each figure last.
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

from bench import console_load, eido_ingest
from watchfloor.db.engine import sync_url

RESULTS = Path(__file__).parent / "results"
BUNDLED_BASEMAP = Path(str(resources.files("watchfloor").joinpath("demo/city/basemap.json")))


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


async def _all(quick: bool) -> list[eido_ingest.Figure]:
    figures: list[eido_ingest.Figure] = []
    with tempfile.TemporaryDirectory(prefix="watchfloor-bench-") as tmp:
        sqlite_url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        figures += await eido_ingest.run(sqlite_url, "sqlite", Path(tmp), quick)
        pg_url = os.environ.get("WATCHFLOOR_TEST_DATABASE_URL")
        if pg_url:
            figures += await eido_ingest.run(
                _fresh_pg_database(pg_url), "postgresql", Path(tmp), quick
            )
        figures += await console_load.run(Path(tmp), BUNDLED_BASEMAP, quick)
    return figures


def main() -> None:
    """Run, record, print."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="short runs (smoke check)")
    args = parser.parse_args()
    figures = asyncio.run(_all(args.quick))
    RESULTS.mkdir(exist_ok=True)
    report = {
        "at": datetime.now(UTC).isoformat(),
        "machine": _machine(),
        "results": [asdict(f) for f in figures],
    }
    (RESULTS / "latest.json").write_text(json.dumps(report, indent=2) + "\n")
    for figure in figures:
        print(f"{figure.name} [{figure.store}]: {figure.value} {figure.unit}")


if __name__ == "__main__":
    main()
