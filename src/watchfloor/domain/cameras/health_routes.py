"""HTTP routes of camera health: every camera's status for the map, one camera's health, probe
now, set the reference view (audited), maintenance tickets. The collections live under
/api/camera-health and /api/camera-tickets so they never clash with /api/cameras/{code}."""

from __future__ import annotations

from typing import Annotated, cast

from fastapi import APIRouter, Query, Request

from watchfloor.core.context import Role
from watchfloor.domain.cameras.health_monitor import HealthMonitor
from watchfloor.domain.cameras.health_schemas import (
    CameraHealthOut,
    ReferenceIn,
    TicketOut,
    ticket_out,
)
from watchfloor.web.policy import Principal, allow

router = APIRouter(tags=["camera health"])

Reader = Annotated[Principal, allow(Role.OPERATOR, Role.SUPERVISOR, Role.ANALYST, Role.ADMIN)]
Prober = Annotated[Principal, allow(Role.OPERATOR, Role.SUPERVISOR, Role.ADMIN)]
Referee = Annotated[Principal, allow(Role.SUPERVISOR, Role.ADMIN)]


def _monitor(request: Request) -> HealthMonitor:
    return cast(HealthMonitor, request.app.state.watchfloor.camera_health)


@router.get("/api/camera-health", response_model=list[CameraHealthOut])
async def cameras_health(request: Request, principal: Reader) -> list[CameraHealthOut]:
    """Every camera (not retired) with its health status and problems, for the map."""
    del principal
    return await _monitor(request).overview()


@router.get("/api/camera-tickets", response_model=list[TicketOut])
async def camera_tickets(
    request: Request,
    principal: Reader,
    open_only: Annotated[bool, Query(alias="open", description="only open tickets")] = False,
    camera: Annotated[str | None, Query(max_length=64)] = None,
) -> list[TicketOut]:
    """Maintenance tickets, newest first (only the open ones; one camera's)."""
    del principal
    tickets = await _monitor(request).desk.tickets(open_only, camera)
    return [ticket_out(t) for t in tickets]


@router.get("/api/cameras/{code}/health", response_model=CameraHealthOut)
async def camera_health(request: Request, code: str, principal: Reader) -> CameraHealthOut:
    """One camera's health."""
    del principal
    return await _monitor(request).health(code)


@router.post("/api/cameras/{code}/probe", response_model=CameraHealthOut)
async def probe_camera(request: Request, code: str, principal: Prober) -> CameraHealthOut:
    """Probe the camera now (a few seconds of its stream); its health as found."""
    del principal
    return await _monitor(request).probe(code)


@router.post("/api/cameras/{code}/reference", response_model=CameraHealthOut)
async def set_reference(
    request: Request, code: str, body: ReferenceIn, principal: Referee
) -> CameraHealthOut:
    """Make what the camera sees now its reference view (audited, with the reason)."""
    return await _monitor(request).set_reference(code, principal.context, body.reason)
