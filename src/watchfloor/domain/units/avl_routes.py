"""HTTP routes of AVL intake: the admins' sender-to-unit table and the intake's counters."""

from __future__ import annotations

from typing import Annotated, Any, cast

from fastapi import APIRouter, Path, Request, Response

from watchfloor.core.context import Role
from watchfloor.domain.units.avl import AvlIntake
from watchfloor.domain.units.avl_sources import AvlSourceIn, AvlSourceOut
from watchfloor.web.policy import Principal, allow

router = APIRouter(tags=["units"])

Admin = Annotated[Principal, allow(Role.ADMIN)]
Source = Annotated[str, Path(min_length=1, max_length=64)]


def _avl(request: Request) -> AvlIntake:
    return cast(AvlIntake, request.app.state.watchfloor.fieldlink.avl)


@router.get("/api/units/avl-sources", response_model=list[AvlSourceOut])
async def list_sources(request: Request, principal: Admin) -> list[AvlSourceOut]:
    """Every NMEA sender (router address or device id) mapped to a unit."""
    del principal
    return await _avl(request).sources.list()


@router.put("/api/units/avl-sources/{source}", response_model=AvlSourceOut)
async def put_source(
    request: Request, source: Source, body: AvlSourceIn, principal: Admin
) -> AvlSourceOut:
    """Map a sender (an IP address or a device id) to a unit (audited)."""
    return await _avl(request).sources.put(source, body, principal.context)


@router.delete("/api/units/avl-sources/{source}", status_code=204)
async def delete_source(request: Request, source: Source, principal: Admin) -> Response:
    """Remove a sender's mapping (audited); 404 when there is none."""
    await _avl(request).sources.delete(source, principal.context)
    return Response(status_code=204)


@router.get("/api/units/avl-status")
async def avl_status(request: Request, principal: Admin) -> dict[str, Any]:
    """Counters of the NMEA listeners and intake, and recent senders no mapping names."""
    del principal
    return _avl(request).snapshot()
