"""HTTP routes of the context packet: one call per incident or alert."""

from __future__ import annotations

from typing import Annotated, cast

from fastapi import APIRouter, Request

from watchfloor.core.context import Role
from watchfloor.domain.context.schemas import ContextPacket
from watchfloor.domain.context.service import ContextDesk
from watchfloor.web.policy import Principal, allow

router = APIRouter(tags=["context"])

Watcher = Annotated[Principal, allow(Role.OPERATOR, Role.SUPERVISOR, Role.ANALYST)]


def _desk(request: Request) -> ContextDesk:
    return cast(ContextDesk, request.app.state.watchfloor.context)


@router.get("/api/incidents/{incident_id}/context", response_model=ContextPacket)
async def incident_context(request: Request, incident_id: str, principal: Watcher) -> ContextPacket:
    """Everything about the incident's location in one call (an audited read)."""
    return await _desk(request).incident(incident_id, principal.context)


@router.get("/api/alerts/{alert_id}/context", response_model=ContextPacket)
async def alert_context(request: Request, alert_id: str, principal: Watcher) -> ContextPacket:
    """Everything about the alert's location in one call (an audited read)."""
    return await _desk(request).alert(alert_id, principal.context)
