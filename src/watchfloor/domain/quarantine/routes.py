"""Admin routes of the quarantine: list, inspect (audited), replay, discard."""

from __future__ import annotations

from typing import Annotated, cast

from fastapi import APIRouter, Request

from watchfloor.core.context import Role
from watchfloor.domain.quarantine.schemas import (
    DiscardIn,
    QuarantinedDetail,
    QuarantinedOut,
    QuarantineStatus,
)
from watchfloor.domain.quarantine.service import QuarantineService
from watchfloor.web.policy import Principal, allow

router = APIRouter(prefix="/api/admin/quarantine", tags=["quarantine"])

Admin = Annotated[Principal, allow(Role.ADMIN)]


def _quarantine(request: Request) -> QuarantineService:
    return cast(QuarantineService, request.app.state.watchfloor.quarantine)


@router.get("", response_model=list[QuarantinedOut])
async def list_payloads(
    request: Request,
    principal: Admin,
    source: str | None = None,
    status: QuarantineStatus | None = None,
) -> list[QuarantinedOut]:
    """Quarantined payloads without bodies, newest first."""
    del principal
    return await _quarantine(request).list(source=source, status=status)


@router.get("/{payload_id}", response_model=QuarantinedDetail)
async def get_payload(request: Request, payload_id: str, principal: Admin) -> QuarantinedDetail:
    """One payload with its body (an audited read)."""
    return await _quarantine(request).get(payload_id, principal.context)


@router.post("/{payload_id}/replay", response_model=QuarantinedOut)
async def replay(request: Request, payload_id: str, principal: Admin) -> QuarantinedOut:
    """Re-run a held payload through its intake (after a fix in the settings)."""
    return await _quarantine(request).replay(payload_id, principal.context)


@router.post("/{payload_id}/discard", response_model=QuarantinedOut)
async def discard(
    request: Request, payload_id: str, body: DiscardIn, principal: Admin
) -> QuarantinedOut:
    """Drop a held payload for a recorded reason."""
    return await _quarantine(request).discard(payload_id, body.reason, principal.context)
