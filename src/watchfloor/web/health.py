"""GET /healthz: each component's and feed's state and last-event age, never a record."""

from __future__ import annotations

import time

from fastapi import FastAPI
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from watchfloor.core.bus import EventBus
from watchfloor.core.health import HealthRegistry, HealthReport, HealthState
from watchfloor.db.engine import Database
from watchfloor.web.policy import public


class ReportOut(BaseModel):
    """State of one component or feed."""

    state: HealthState
    detail: str | None = None
    last_event_age_s: float | None = None


class HealthOut(BaseModel):
    """Overall state (the worst of all parts), then each component and feed."""

    state: HealthState
    components: dict[str, ReportOut]
    feeds: dict[str, ReportOut]


_ORDER = {HealthState.OK: 0, HealthState.DEGRADED: 1, HealthState.DOWN: 2}


def _out(report: HealthReport) -> ReportOut:
    age = round(report.last_event_age_s, 3) if report.last_event_age_s is not None else None
    return ReportOut(state=report.state, detail=report.detail, last_event_age_s=age)


def register_core_probes(health: HealthRegistry, db: Database, bus: EventBus) -> None:
    """Probes for the store and the bus."""

    async def database() -> HealthReport:
        started = time.perf_counter()
        await db.ping()
        elapsed_ms = (time.perf_counter() - started) * 1000
        if elapsed_ms > 1000:
            return HealthReport(HealthState.DEGRADED, f"slow: {elapsed_ms:.0f} ms")
        return HealthReport(HealthState.OK, db.backend)

    async def event_bus() -> HealthReport:
        return HealthReport(HealthState.OK, type(bus).__name__)

    health.add_probe("database", database)
    health.add_probe("bus", event_bus)


def install_health(app: FastAPI, health: HealthRegistry) -> None:
    """Add GET /healthz (no authentication); 503 when any component is down."""

    @app.get("/healthz", response_model=HealthOut, dependencies=[public()], tags=["health"])
    async def healthz() -> JSONResponse:
        components = {k: _out(v) for k, v in (await health.components()).items()}
        feeds = {k: _out(v) for k, v in health.feeds().items()}
        states = [r.state for r in components.values()]
        overall = max(states, key=_ORDER.__getitem__, default=HealthState.OK)
        if overall is HealthState.OK and any(r.state != HealthState.OK for r in feeds.values()):
            overall = HealthState.DEGRADED
        body = HealthOut(state=overall, components=components, feeds=feeds)
        status = 503 if overall is HealthState.DOWN else 200
        return JSONResponse(body.model_dump(mode="json"), status_code=status)
