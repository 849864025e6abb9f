"""HTTP routes of the unit roster: the list, the position feed, status changes."""

from __future__ import annotations

from typing import Annotated, cast

from fastapi import APIRouter, Request

from watchfloor.core.context import Role
from watchfloor.domain.units.intake import UnitPositionIntake
from watchfloor.domain.units.schemas import PositionsResult, StatusIn, UnitOut
from watchfloor.domain.units.service import UnitRoster
from watchfloor.web.body import BodyTooLarge, read_limited
from watchfloor.web.policy import Principal, allow

router = APIRouter(tags=["units"])

Watcher = Annotated[Principal, allow(Role.OPERATOR, Role.SUPERVISOR, Role.ANALYST)]
Dispatcher = Annotated[Principal, allow(Role.OPERATOR, Role.SUPERVISOR)]
Feeder = Annotated[Principal, allow(Role.FEED, Role.ADMIN)]


def _roster(request: Request) -> UnitRoster:
    return cast(UnitRoster, request.app.state.watchfloor.units)


@router.get("/api/units", response_model=list[UnitOut])
async def list_units(request: Request, principal: Watcher) -> list[UnitOut]:
    """Every unit with its status, latest position and whether that position is stale."""
    del principal
    return await _roster(request).list()


@router.post("/api/units/positions", response_model=PositionsResult)
async def post_positions(request: Request, principal: Feeder) -> PositionsResult:
    """Unit positions (one object or a list); durable before this answers, or refused naming
    the field (4xx) and quarantined."""
    intake = cast(UnitPositionIntake, request.app.state.watchfloor.unit_positions)
    limit: int = request.app.state.watchfloor.settings.max_body_bytes
    content_type = request.headers.get("content-type")
    try:
        raw = await read_limited(request, limit)
    except BodyTooLarge as error:
        await intake.reject(error.head, content_type, error)
        raise
    return PositionsResult(accepted=await intake.accept(raw, content_type, principal.context))


@router.put("/api/units/{code}/status", response_model=UnitOut)
async def set_status(request: Request, code: str, body: StatusIn, principal: Dispatcher) -> UnitOut:
    """Change a unit's status (audited)."""
    return await _roster(request).set_status(code, body.status.value, principal.context)
