"""HTTP routes of the incidents domain: thin, each declares who may call it."""

from __future__ import annotations

from typing import Annotated, cast

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from watchfloor.core.context import Role
from watchfloor.domain.incidents.intake import IncidentIntake
from watchfloor.domain.incidents.schemas import (
    ClaimOut,
    IncidentDetail,
    NoteOut,
    QueueRow,
    StoreResult,
)
from watchfloor.domain.incidents.service import IncidentService
from watchfloor.web.body import BodyTooLarge, read_limited
from watchfloor.web.policy import Principal, allow

router = APIRouter(tags=["incidents"])

Reader = Annotated[Principal, allow(Role.OPERATOR, Role.SUPERVISOR, Role.ANALYST)]
Worker = Annotated[Principal, allow(Role.OPERATOR, Role.SUPERVISOR)]
EidoReader = Annotated[Principal, allow(Role.OPERATOR, Role.SUPERVISOR, Role.ANALYST, Role.FEED)]
Feeder = Annotated[Principal, allow(Role.FEED, Role.ADMIN)]


class ClaimIn(BaseModel):
    """A claim; a supervisor sets take_over to take an incident someone else works."""

    model_config = ConfigDict(extra="forbid")

    take_over: bool = False


class NoteIn(BaseModel):
    """An intel note for the call."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, max_length=4000)


def _incidents(request: Request) -> IncidentService:
    return cast(IncidentService, request.app.state.watchfloor.incidents)


def _intake(request: Request) -> IncidentIntake:
    return cast(IncidentIntake, request.app.state.watchfloor.intake)


@router.get("/api/incidents/queue", response_model=list[QueueRow])
async def queue(request: Request, principal: Reader) -> list[QueueRow]:
    """Open incidents in RTCC priority order."""
    del principal
    return await _incidents(request).queue()


@router.get("/api/incidents/{incident_id}", response_model=IncidentDetail)
async def detail(request: Request, incident_id: str, principal: Reader) -> IncidentDetail:
    """Everything about one incident (an audited read)."""
    return await _incidents(request).detail(incident_id, principal.context)


@router.post("/api/incidents/{incident_id}/claim", response_model=ClaimOut)
async def claim(
    request: Request, incident_id: str, principal: Worker, body: ClaimIn | None = None
) -> ClaimOut:
    """Claim an incident (409 already_claimed when someone else works it)."""
    take_over = body.take_over if body is not None else False
    return await _incidents(request).claim(incident_id, principal.context, take_over=take_over)


@router.post("/api/incidents/{incident_id}/release", response_model=ClaimOut)
async def release(request: Request, incident_id: str, principal: Worker) -> ClaimOut:
    """Release a claim (its holder or a supervisor)."""
    return await _incidents(request).release(incident_id, principal.context)


@router.post("/api/incidents/{incident_id}/notes", response_model=NoteOut, status_code=201)
async def add_note(request: Request, incident_id: str, body: NoteIn, principal: Reader) -> NoteOut:
    """Add an intel note to the call."""
    return await _incidents(request).add_note(incident_id, body.text, principal.context)


@router.get("/EIDO/{incident_ref:path}", response_class=JSONResponse)
async def eido_document(request: Request, incident_ref: str, principal: EidoReader) -> JSONResponse:
    """The incident as EIDO (by EIDO $id or internal id), with Watchfloor's intel notes."""
    document = await _incidents(request).eido_export(incident_ref, principal.context)
    return JSONResponse(document, media_type="application/json")


@router.post("/api/intake/eido", response_model=list[StoreResult])
async def intake_eido(request: Request, principal: Feeder) -> list[StoreResult]:
    """Accept an EIDO document or batch: stored durably, or rejected whole and quarantined."""
    intake = _intake(request)
    limit: int = request.app.state.watchfloor.settings.max_body_bytes
    content_type = request.headers.get("content-type")
    try:
        raw = await read_limited(request, limit)
    except BodyTooLarge as error:
        await intake.reject_oversized(error.head, error.size_seen, content_type, error)
    return await intake.accept_http(raw, content_type, principal.context)
