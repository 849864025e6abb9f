"""RTCC routes of footage requests: operators and supervisors ask owners for footage, the floor
follows the answers, supervisors read the statistics. Every call is audited."""

from __future__ import annotations

from typing import Annotated, cast

from fastapi import APIRouter, Query, Request
from pydantic import AwareDatetime

from watchfloor.core.context import Role
from watchfloor.domain.community.request_schemas import (
    FootageRequestIn,
    FootageRequestOut,
    RequestStats,
    UsefulIn,
    WithdrawIn,
)
from watchfloor.domain.community.requests import FootageDesk
from watchfloor.domain.community.stats import RequestStatistics
from watchfloor.web.policy import Principal, allow

router = APIRouter(prefix="/api/community", tags=["community"])

Requester = Annotated[Principal, allow(Role.OPERATOR, Role.SUPERVISOR)]
Floor = Annotated[Principal, allow(Role.OPERATOR, Role.SUPERVISOR, Role.ANALYST)]
Overseer = Annotated[Principal, allow(Role.SUPERVISOR, Role.ADMIN)]
IncidentId = Annotated[str, Query(min_length=1, max_length=36)]


def _desk(request: Request) -> FootageDesk:
    return cast(FootageDesk, request.app.state.watchfloor.community.requests)


def _stats(request: Request) -> RequestStatistics:
    return cast(RequestStatistics, request.app.state.watchfloor.community.request_stats)


@router.post("/requests", status_code=201, response_model=list[FootageRequestOut])
async def create_requests(
    request: Request, principal: Requester, data: FootageRequestIn
) -> list[FootageRequestOut]:
    """Ask the owners of the chosen cameras for footage (one request and e-mail per site)."""
    return await _desk(request).create(data, principal.context)


@router.get("/requests", response_model=list[FootageRequestOut])
async def list_requests(
    request: Request, principal: Floor, incident_id: IncidentId
) -> list[FootageRequestOut]:
    """An incident's footage requests, newest first."""
    return await _desk(request).for_incident(incident_id, principal.context)


@router.post("/requests/{request_id}/withdraw", response_model=FootageRequestOut)
async def withdraw_request(
    request: Request, principal: Requester, request_id: str, data: WithdrawIn
) -> FootageRequestOut:
    """The footage is no longer needed: the owner is told and the link dies."""
    return await _desk(request).withdraw(request_id, data.reason, principal.context)


@router.put("/requests/{request_id}/useful", response_model=FootageRequestOut)
async def rate_request(
    request: Request, principal: Floor, request_id: str, data: UsefulIn
) -> FootageRequestOut:
    """Record whether the footage helped."""
    return await _desk(request).mark_useful(request_id, data.useful, principal.context)


@router.get("/stats", response_model=RequestStats)
async def request_stats(
    request: Request,
    principal: Overseer,
    since: AwareDatetime | None = None,
    until: AwareDatetime | None = None,
) -> RequestStats:
    """Requests sent in a period (default the last 30 days) and how they were answered."""
    return await _stats(request).for_period(since, until, principal.context)
