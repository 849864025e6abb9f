"""Investigative search latency over the stored dataset: exact plate, prefix `ABC*`, and 3-character
infix `*C12*` inside a 5 km circle, each over the newest 7 days.

Parameter sets are drawn from the dataset's own plates and readers (seeded). Each kind runs a
warm-up of WARMUP queries, then TIMED queries with fresh parameters; p50/p95 of the timed ones.
It calls `ReadSearch.search` through the built app (purpose check, audit record and all). Two
same-run baselines go with each figure: the same search written independently here as two plain
statements (dictionary, then reads) through the app's Database, with no purpose check, audit or
reader names; and the audit record alone (its own durable commit), which every search writes.
They say how much of a figure is the store's query and how much the app's accountability.
"""

from __future__ import annotations

import math
import random
import statistics
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import bindparam, text
from sqlalchemy.ext.asyncio import AsyncSession

from bench.eido_ingest import Figure, _percentile
from bench.lpr.dataset import Dataset
from bench.lpr.population import COLUMNS, metres_between
from watchfloor.app import Watchfloor, build
from watchfloor.audit.service import AuditEntry
from watchfloor.core.context import Actor, RequestContext, Role
from watchfloor.domain.lpr.search import Circle, ReadQuery, ReadSearch
from watchfloor.settings import load_settings

KINDS = ("exact", "prefix", "infix_area")
WARMUP = 20
TIMED = 80
RADIUS_M = 5_000.0
GOAL_P95_MS = 10.0
PURPOSE = "criminal_investigation"
CASE = "BENCH-2026-0001"
_CONTEXT = RequestContext(actor=Actor(username="bench-analyst", role=Role.ANALYST))
_DESCRIBE = {
    "exact": "exact plate + newest 7 days",
    "prefix": "prefix ABC* + newest 7 days",
    "infix_area": "3-character infix *C12* + newest 7 days + 5 km circle",
}


@dataclass(frozen=True)
class Case:
    """One search to time."""

    kind: str
    query: ReadQuery


def cases(dataset: Dataset, kind: str, count: int, seed: int) -> list[Case]:
    """count seeded searches of one kind, drawn from the dataset's plates and readers."""
    world = dataset.spec.world()
    rng = random.Random(f"{seed}-{kind}")
    until = datetime.fromtimestamp(dataset.end_ms / 1000, UTC)
    since = until - timedelta(days=7)
    out = []
    for _ in range(count):
        plate = world.plates[int(rng.random() * world.known)]
        if kind == "exact":
            query = ReadQuery(since=since, until=until, plate=plate)
        elif kind == "prefix":
            query = ReadQuery(since=since, until=until, plate=plate[:3] + "*")
        else:
            start = rng.randrange(0, len(plate) - 2)
            reader = world.readers[int(rng.random() * len(world.readers))]
            area = Circle(reader.lat, reader.lon, RADIUS_M)
            query = ReadQuery(
                since=since, until=until, plate=f"*{plate[start : start + 3]}*", area=area
            )
        out.append(Case(kind, query))
    return out


async def run(url: str, store: str, dataset: Dataset, data_dir: Path, quick: bool) -> list[Figure]:
    """Time every kind of search on one store (a copy of the dataset at url)."""
    settings = load_settings(data_dir=data_dir, database_url=url)
    wf = build(settings)
    ways = ("search", "sql") if _search_ready() else ("sql",)
    warmup, timed = (5, 20) if quick else (WARMUP, TIMED)
    figures = []
    try:
        audit = await _audit_cost(wf, timed)
        for kind in KINDS:
            measured = {}
            for way in ways:
                for case in cases(dataset, kind, warmup, seed=1):
                    await _one(wf, case, way)
                measured[way] = await _timed(wf, cases(dataset, kind, timed, seed=2), way)
            figure = _figure(kind, store, measured, dataset)
            figure.detail["audit_record_alone"] = audit
            if kind == "infix_area":
                figure.detail |= _by_pattern(cases(dataset, kind, timed, seed=2), measured)
            figures.append(figure)
    finally:
        await wf.stop()
    return figures


async def _audit_cost(wf: Watchfloor, count: int) -> dict[str, float]:
    """What the audit record every search writes costs alone (its own durable commit)."""
    entry = AuditEntry("lpr.search", object_type="lpr_search", reason=PURPOSE, case_number=CASE)
    samples = []
    for _ in range(count):
        started = time.perf_counter()
        await wf.audit.record_alone(_CONTEXT, entry)
        samples.append((time.perf_counter() - started) * 1000)
    return {
        "p50_ms": round(_percentile(samples, 0.50), 2),
        "p95_ms": round(_percentile(samples, 0.95), 2),
    }


async def _timed(wf: Watchfloor, timed: list[Case], way: str) -> tuple[list[float], list[int]]:
    samples, rows = [], []
    for case in timed:
        started = time.perf_counter()
        rows.append(await _one(wf, case, way))
        samples.append((time.perf_counter() - started) * 1000)
    return samples, rows


def _figure(
    kind: str, store: str, measured: dict[str, tuple[list[float], list[int]]], dataset: Dataset
) -> Figure:
    way = "search" if "search" in measured else "sql"
    samples, rows = measured[way]
    p95 = _percentile(samples, 0.95)
    detail: dict[str, object] = {
        "query": _DESCRIBE[kind],
        "via": "ReadSearch.search (purpose check, audit record, reader names)"
        if way == "search"
        else "plain SQL (ReadSearch.search not there yet)",
        "p50_ms": round(_percentile(samples, 0.50), 2),
        "p95_ms": round(p95, 2),
        "max_ms": round(max(samples), 2),
        "queries": len(samples),
        "mean_rows": round(statistics.fmean(rows), 1),
        "stored_reads": dataset.spec.reads,
        "goal": f"p95 <= {GOAL_P95_MS:g} ms",
        "goal_met": p95 <= GOAL_P95_MS,
    }
    if way == "search" and "sql" in measured:
        sql_samples, sql_rows = measured["sql"]
        detail["baseline_two_step_sql"] = {
            "p50_ms": round(_percentile(sql_samples, 0.50), 2),
            "p95_ms": round(_percentile(sql_samples, 0.95), 2),
            "mean_rows": round(statistics.fmean(sql_rows), 1),
        }
    return Figure(f"lpr_search_{kind}_p95", round(p95, 2), "ms", store, detail)


def _by_pattern(
    timed: list[Case], measured: dict[str, tuple[list[float], list[int]]]
) -> dict[str, object]:
    """p95 of all-digit infixes (`*123*` matches ~20x more plates) apart from those with letters."""
    samples = measured["search" if "search" in measured else "sql"][0]
    groups: dict[str, list[float]] = {"all_digit_patterns": [], "patterns_with_letters": []}
    for case, ms in zip(timed, samples, strict=True):
        digits = (case.query.plate or "").strip("*").isdigit()
        groups["all_digit_patterns" if digits else "patterns_with_letters"].append(ms)
    return {
        name: {
            "queries": len(group),
            "p95_ms": round(_percentile(group, 0.95), 2) if group else None,
        }
        for name, group in groups.items()
    }


def _search_ready() -> bool:
    return callable(getattr(ReadSearch, "search", None))


async def _one(wf: Watchfloor, case: Case, way: str) -> int:
    if way == "sql":
        return await _sql_search(wf, case.query)
    result = await wf.read_search.search(case.query, PURPOSE, CASE, _CONTEXT)
    return len(result.reads)


# --- the stand-in until ReadSearch.search exists: the same searches in plain SQL


async def _dictionary_plates(session: AsyncSession, pattern: str, postgresql: bool) -> list[str]:
    """The distinct plates a wildcard pattern matches: a key range for a prefix, else trigrams."""
    core = pattern.strip("*")
    if not pattern.startswith("*"):
        upper = core[:-1] + chr(ord(core[-1]) + 1)
        sql = "SELECT plate FROM lpr_plate WHERE plate >= :lo AND plate < :hi"
        found = await session.execute(text(sql), {"lo": core, "hi": upper})
    else:
        table = "lpr_plate" if postgresql else "lpr_plate_fts"
        sql = f"SELECT plate FROM {table} WHERE plate LIKE :pattern"  # noqa: S608 - a constant
        found = await session.execute(text(sql), {"pattern": f"%{core}%"})
    return list(found.scalars())


async def _sql_search(wf: Watchfloor, query: ReadQuery) -> int:
    """Two steps: wildcards to distinct plates through the dictionary, then the reads of those
    plates in the window (the time index kept out of the plan with `+ 0`), newest first."""
    pattern = query.plate or ""
    params: dict[str, object] = {
        "since": int(query.since.timestamp() * 1000),
        "until": int(query.until.timestamp() * 1000),
        "limit": query.limit if query.area is None else 10 * query.limit,  # the box > the circle
    }
    where = ["plate = :plate", "captured_ms BETWEEN :since AND :until"]
    area = query.area
    if isinstance(area, Circle):
        dlat = area.radius_m / 111_320.0
        dlon = dlat / max(0.01, math.cos(math.radians(area.lat)))
        params |= {"lat0": area.lat - dlat, "lat1": area.lat + dlat}
        params |= {"lon0": area.lon - dlon, "lon1": area.lon + dlon}
        where.append("lat BETWEEN :lat0 AND :lat1 AND lon BETWEEN :lon0 AND :lon1")
    async with wf.db.read_session() as session:
        if "*" in pattern:
            plates = await _dictionary_plates(session, pattern, wf.db.is_postgresql)
            if not plates:
                return 0
            where[:2] = ["plate IN :plates", "captured_ms + 0 BETWEEN :since AND :until"]
            params["plates"] = plates
        else:
            params["plate"] = pattern
        columns = ", ".join(("id", *COLUMNS))  # all of them, as a search shows them
        conditions = " AND ".join(where)  # built from constants; the values are bound
        sql = f"SELECT {columns} FROM lpr_read WHERE {conditions}"  # noqa: S608
        statement = text(sql + " ORDER BY captured_ms DESC LIMIT :limit")
        if "plates" in params:
            statement = statement.bindparams(bindparam("plates", expanding=True))
        rows = (await session.execute(statement, params)).all()
    if isinstance(area, Circle):
        rows = [
            r for r in rows if metres_between(area.lat, area.lon, r.lat, r.lon) <= area.radius_m
        ]
    return len(rows[: query.limit])
