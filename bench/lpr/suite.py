"""Runs the selected plate-reader benchmarks on SQLite and, given a PostgreSQL URL, PostgreSQL.

Each benchmark that may write gets its own copy of the cached dataset (a file copy on SQLite, a
template copy on PostgreSQL), so the cache stays as built and the benchmarks do not see each
other's rows.
"""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

from bench.eido_ingest import Figure
from bench.lpr import baseline, hotlist_memory, ingest, search_latency
from bench.lpr.dataset import (
    Dataset,
    DatasetSpec,
    ensure_sqlite,
    pg_copy,
    pg_drop,
    pg_template,
    sqlite_copy,
)
from watchfloor.settings import load_settings

NAMES = ("lpr-search", "lpr-baseline", "lpr-ingest", "lpr-hotlist")
"""The plate-reader benchmarks `python -m bench --only` can name."""

QUICK_READS = 200_000
FULL_READS = 10_000_000

StoreBench = Callable[[str, str, Dataset], Awaitable[list[Figure]]]


async def run(
    selected: set[str], quick: bool, reads: int | None, tmp: Path, pg_url: str | None
) -> list[Figure]:
    """The figures of the selected benchmarks (the ingest brings its raw-insert baseline)."""
    if "lpr-ingest" in selected:
        selected = selected | {"lpr-baseline"}
    figures: list[Figure] = []
    store_benches = _store_benches(selected, quick, tmp)
    if store_benches:
        spec = DatasetSpec(reads or (QUICK_READS if quick else FULL_READS))
        started = time.perf_counter()
        dataset = await asyncio.to_thread(ensure_sqlite, spec)
        figures.append(_dataset_figure(dataset, "sqlite", time.perf_counter() - started))
        for _name, bench in store_benches:
            figures += _noted(await bench(sqlite_copy(dataset, tmp), "sqlite", dataset))
        if pg_url:
            started = time.perf_counter()
            template = await asyncio.to_thread(pg_template, dataset, pg_url)
            figures.append(_dataset_figure(dataset, "postgresql", time.perf_counter() - started))
            for name, bench in store_benches:
                copy_name = f"wf_bench_{name.replace('-', '_')}"
                url = await asyncio.to_thread(pg_copy, pg_url, template, copy_name)
                try:
                    figures += _noted(await bench(url, "postgresql", dataset))
                finally:
                    await asyncio.to_thread(pg_drop, pg_url, copy_name)
    _ratios(figures)
    if "lpr-hotlist" in selected:
        figures += _noted(await asyncio.to_thread(hotlist_memory.run, quick))
    return figures


def _store_benches(selected: set[str], quick: bool, tmp: Path) -> list[tuple[str, StoreBench]]:
    seconds = 2.0 if quick else 8.0
    synchronous = load_settings(data_dir=tmp).sqlite_synchronous

    async def search(url: str, store: str, dataset: Dataset) -> list[Figure]:
        return await search_latency.run(url, store, dataset, tmp / f"search-{store}", quick)

    async def raw_insert(url: str, store: str, dataset: Dataset) -> list[Figure]:
        if store == "sqlite":
            return await asyncio.to_thread(baseline.run_sqlite, url, dataset, synchronous, seconds)
        return await asyncio.to_thread(baseline.run_postgres, url, dataset, seconds)

    files: list[ingest.LoadFiles] = []

    async def end_to_end(url: str, store: str, dataset: Dataset) -> list[Figure]:
        if not files:  # the same bodies and hotlist for both stores
            plan = ingest.Plan.of(quick)
            files.append(await asyncio.to_thread(ingest.prepare, dataset, tmp, plan))
        return await ingest.run(url, store, dataset, tmp / f"ingest-{store}", quick, files[0])

    chosen: list[tuple[str, StoreBench]] = [
        ("lpr-search", search),
        ("lpr-baseline", raw_insert),
        ("lpr-ingest", end_to_end),
    ]
    return [(name, bench) for name, bench in chosen if name in selected]


def _ratios(figures: list[Figure]) -> None:
    """Each store's sustained ingest as a share of its raw insert measured in this run."""
    raw = {f.store: f for f in figures if f.name == "lpr_raw_insert"}
    full = {f.store: f for f in figures if f.name == "lpr_raw_insert_with_plate_dictionary"}
    for figure in figures:
        if figure.name == "lpr_ingest_sustained" and figure.store in raw:
            base = raw[figure.store].value
            figure.detail["baseline_raw_insert_reads_per_s"] = base
            figure.detail["ratio_to_raw_insert"] = round(figure.value / base, 3)
            if figure.store in full:
                figure.detail["baseline_with_plate_dictionary_reads_per_s"] = full[
                    figure.store
                ].value


def _noted(figures: list[Figure]) -> list[Figure]:
    """The figures with the machine's load when they were taken (2 cores, shared)."""
    load = [round(x, 2) for x in os.getloadavg()]
    for figure in figures:
        figure.detail["loadavg_after"] = load
    return figures


def _dataset_figure(dataset: Dataset, store: str, seconds: float) -> Figure:
    detail: dict[str, object] = {
        "plates": dataset.spec.plates,
        "readers": dataset.spec.readers,
        "days": dataset.spec.days,
        "ready_in_s": round(seconds, 1),
        "cache": str(dataset.sqlite_path.parent.name),
        "sqlite_build": dataset.built,
    }
    return Figure("lpr_dataset_reads", dataset.spec.reads, "reads", store, detail)
