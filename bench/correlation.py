"""Correlation throughput: mixed alert events per second through the engine's decision loop (in
memory; goal >= 10,000/s on 2 cores), and alerts per second end to end with every effect applied
to SQLite (alerts received through the desk in batches, the engine's actions applied by the
executor, timeline entries written in batches).

`python -m bench.correlation [--quick]` prints one JSON object; `run(workdir, quick)` returns it.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import random
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from watchfloor.app import Watchfloor, build
from watchfloor.core.clock import ManualClock, SystemClock
from watchfloor.core.context import Actor, RequestContext
from watchfloor.core.events import Event
from watchfloor.core.geo import GeoPoint
from watchfloor.domain.incidents.schemas import IncidentChanged
from watchfloor.events.alerts import AlertChanged, AlertKind, AlertReport, AlertStatus
from watchfloor.events.cad import IncidentStatus
from watchfloor.settings import load_settings

CENTRE_LAT, CENTRE_LON = 60.19, 24.94
BOX_M = 30_000.0
METRES_PER_DEGREE = 6_371_008.8 * math.pi / 180.0
START = datetime(2026, 11, 21, 14, 0, tzinfo=UTC)
KINDS = (
    (AlertKind.ANALYTICS, 0.45),
    (AlertKind.SENSOR, 0.25),
    (AlertKind.CAP, 0.08),
    (AlertKind.GUNSHOT, 0.10),
    (AlertKind.PANIC, 0.05),
    (AlertKind.GEOFENCE, 0.07),
)
FEED = RequestContext(actor=Actor(username="feed:bench"))


def _point(rnd: random.Random) -> tuple[float, float]:
    north, east = rnd.uniform(-BOX_M / 2, BOX_M / 2), rnd.uniform(-BOX_M / 2, BOX_M / 2)
    cos = math.cos(math.radians(CENTRE_LAT))
    return CENTRE_LAT + north / METRES_PER_DEGREE, CENTRE_LON + east / (METRES_PER_DEGREE * cos)


def _kind(rnd: random.Random) -> AlertKind:
    roll, total = rnd.random(), 0.0
    for kind, share in KINDS:
        total += share
        if roll < total:
            return kind
    return AlertKind.SENSOR


def _details(kind: AlertKind, rnd: random.Random) -> dict[str, Any]:
    if kind is AlertKind.GUNSHOT:
        return {
            "type": rnd.choice(("single", "multiple", "automatic")),
            "rounds": rnd.randint(1, 9),
        }
    if kind is AlertKind.CAP:
        return {"severity": rnd.choice(("Extreme", "Severe", "Moderate")), "urgency": "Immediate"}
    return {}


def _changed(
    i: int, kind: AlertKind, at: datetime, lat: float, lon: float, **extra: Any
) -> AlertChanged:
    values: dict[str, Any] = {
        "alert_id": f"A{i:07d}",
        "kind": kind,
        "status": AlertStatus.NEW,
        "priority": 3,
        "title": f"{kind.value} {i}",
        "occurred_at": at,
        "updated_at": at,
        "lat": lat,
        "lon": lon,
        "address": None,
        "subject": None,
        "incident_id": None,
        "sources": [f"{kind.value}-feed-{i % 2}"],
        "report_count": 1,
    }
    return AlertChanged(**(values | extra))


def events(count: int, seed: int = 7, step_s: float = 0.01) -> list[Event[Any]]:
    """A mixed stream: 60 % raised, 25 % updated, 10 % acknowledged or closed, 5 % incidents."""
    rnd = random.Random(seed)
    stream: list[Event[Any]] = []
    raised: list[AlertChanged] = []
    for i in range(count):
        at = START + timedelta(seconds=i * step_s)
        roll = rnd.random()
        if roll < 0.60 or not raised:
            kind = _kind(rnd)
            lat, lon = _point(rnd)
            payload = _changed(i, kind, at, lat, lon, details=_details(kind, rnd))
            raised.append(payload)
            stream.append(_event("alert.raised", payload, at))
        elif roll < 0.85:
            old = rnd.choice(raised)
            stream.append(_event("alert.updated", old.model_copy(update={"updated_at": at}), at))
        elif roll < 0.95:
            old = rnd.choice(raised)
            status = rnd.choice((AlertStatus.ACKNOWLEDGED, AlertStatus.CLOSED))
            stream.append(
                _event(f"alert.{status.value}", old.model_copy(update={"status": status}), at)
            )
        else:
            stream.append(_incident_event(i, at, rnd))
    return stream


def _event(kind: str, payload: AlertChanged, at: datetime) -> Event[Any]:
    return Event[AlertChanged](
        kind=kind, source="bench", occurred_at=at, received_at=at, payload=payload
    )


def _incident_event(i: int, at: datetime, rnd: random.Random) -> Event[Any]:
    lat, lon = _point(rnd)
    payload = IncidentChanged(
        incident_id=f"I{i:07d}",
        eido_id=f"urn:cad:{i}",
        type_code="Burglary",
        priority=rnd.randint(1, 4),
        status=IncidentStatus.RECEIVED,
        address=None,
        version=1,
    )
    return Event[IncidentChanged](
        kind="incident.created",
        source="cad:bench",
        occurred_at=at,
        received_at=at,
        location=GeoPoint(lat=lat, lon=lon),
        payload=payload,
    )


def _build(workdir: Path, name: str, clock: Any) -> Watchfloor:
    database = workdir / f"{name}.db"
    settings = load_settings(data_dir=workdir / name, database_url=f"sqlite:///{database}")
    return build(settings, clock=clock)


async def decision_loop(workdir: Path, count: int) -> dict[str, object]:
    """Events per second through `decide` (the engine's memory and rules, no effects)."""
    stream = events(count)
    clock = ManualClock(START)
    wf = _build(workdir, "decide", clock)
    engine = wf.correlation
    actions = 0
    batches: list[float] = []
    started = time.perf_counter()
    for chunk in range(0, count, 1000):
        t0 = time.perf_counter()
        for event in stream[chunk : chunk + 1000]:
            clock.set(event.received_at)
            actions += len(engine.decide(event))
        actions += len(engine.due())
        batches.append((time.perf_counter() - t0) / min(1000, count - chunk) * 1e6)
    elapsed = time.perf_counter() - started
    await wf.stop()
    return {
        "events": count,
        "events_per_s": round(count / elapsed),
        "actions": actions,
        "mean_us": round(elapsed / count * 1e6, 2),
        "p99_batch_mean_us": round(statistics.quantiles(batches, n=100)[98], 2)
        if len(batches) > 2
        else None,
        "alerts_in_memory": len(engine.memory.alerts),
        "incidents_in_memory": len(engine.memory.incidents),
    }


def _reports(count: int, seed: int = 11) -> list[AlertReport]:
    rnd = random.Random(seed)
    now = datetime.now(UTC)
    reports = []
    for i in range(count):
        kind = _kind(rnd)
        lat, lon = _point(rnd)
        reports.append(
            AlertReport(
                kind=kind,
                source=f"{kind.value}-bench",
                source_ref=f"r{i}",
                occurred_at=now,
                title=f"{kind.value} {i}",
                lat=lat,
                lon=lon,
                details=_details(kind, rnd),
            )
        )
    return reports


async def with_effects(workdir: Path, count: int, batch: int = 100) -> dict[str, object]:
    """Alerts per second from the desk through the engine until every effect is in SQLite."""
    wf = _build(workdir, "effects", SystemClock())
    engine = wf.correlation
    engine.use(units=wf.units)
    await wf.cue_store.load()
    await engine.start()
    reports = _reports(count)
    started = time.perf_counter()
    for chunk in range(0, count, batch):
        await wf.alerts.receive(reports[chunk : chunk + batch], FEED)
        await asyncio.sleep(0)  # let the engine decide while the desk writes
    received = time.perf_counter() - started
    await engine.settle(timeout_s=600)
    elapsed = time.perf_counter() - started
    result: dict[str, object] = {
        "alerts": count,
        "alerts_per_s": round(count / elapsed, 1),
        "receive_only_per_s": round(count / received, 1),
        "effects_applied": engine.executor.applied,
        "effects_failed": engine.executor.failed,
        "settled_after_receive_s": round(elapsed - received, 2),
        "timeline_entries": engine.executor.timeline.written,
        "incidents_opened": len(await wf.incidents.queue()),
        "seconds": round(elapsed, 2),
    }
    await engine.stop()
    await wf.stop()
    return result


async def run(workdir: Path, quick: bool) -> dict[str, object]:
    """Both figures, with the goal."""
    decide = await decision_loop(workdir, 20_000 if quick else 100_000)
    effects = await with_effects(workdir, 500 if quick else 3_000)
    return {
        "decision_loop": decide,
        "with_effects_sqlite": effects,
        "goal": ">= 10,000 mixed alert events/s through the decision loop on 2 cores",
        "goal_met": int(str(decide["events_per_s"])) >= 10_000,
    }


def main() -> None:
    """Run and print one JSON object."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="watchfloor-bench-correlation-") as tmp:
        print(json.dumps(asyncio.run(run(Path(tmp), args.quick)), indent=2))


if __name__ == "__main__":
    main()
