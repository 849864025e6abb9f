"""HTTP routes of playbooks: the library (supervisors edit), an incident's run, and its
after-action timeline (JSON and PDF)."""

from __future__ import annotations

from typing import Annotated, cast

from fastapi import APIRouter, Path, Request
from fastapi.responses import Response

from watchfloor.core.context import Role
from watchfloor.domain.playbooks.after_action import AfterAction
from watchfloor.domain.playbooks.library import PlaybookLibrary
from watchfloor.domain.playbooks.runs import PlaybookRuns
from watchfloor.domain.playbooks.schemas import (
    PLAYBOOK_CODE,
    STEP_KEY,
    AfterActionOut,
    CompleteIn,
    PlaybookBody,
    PlaybookIn,
    PlaybookOut,
    RunOut,
    SkipIn,
)
from watchfloor.web.policy import Principal, allow

router = APIRouter(tags=["playbooks"])

Floor = Annotated[Principal, allow(Role.OPERATOR, Role.SUPERVISOR, Role.ANALYST)]
Worker = Annotated[Principal, allow(Role.OPERATOR, Role.SUPERVISOR)]
LibraryReader = Annotated[
    Principal, allow(Role.OPERATOR, Role.SUPERVISOR, Role.ANALYST, Role.ADMIN)
]
Editor = Annotated[Principal, allow(Role.SUPERVISOR, Role.ADMIN)]
Reviewer = Annotated[Principal, allow(Role.OPERATOR, Role.SUPERVISOR, Role.ANALYST, Role.AUDITOR)]
Exporter = Annotated[Principal, allow(Role.SUPERVISOR, Role.ANALYST, Role.AUDITOR)]
StepKey = Annotated[str, Path(pattern=STEP_KEY)]
Code = Annotated[str, Path(pattern=PLAYBOOK_CODE)]


def _library(request: Request) -> PlaybookLibrary:
    return cast(PlaybookLibrary, request.app.state.watchfloor.playbooks)


def _runs(request: Request) -> PlaybookRuns:
    return cast(PlaybookRuns, request.app.state.watchfloor.playbook_runs)


def _after_action(request: Request) -> AfterAction:
    return cast(AfterAction, request.app.state.watchfloor.after_action)


@router.get("/api/playbooks", response_model=list[PlaybookOut])
async def list_playbooks(request: Request, principal: LibraryReader) -> list[PlaybookOut]:
    """Every playbook, by code."""
    del principal
    return await _library(request).list()


@router.post("/api/playbooks", response_model=PlaybookOut, status_code=201)
async def create_playbook(request: Request, body: PlaybookIn, principal: Editor) -> PlaybookOut:
    """Add a playbook (audited); 409 when the code is taken."""
    return await _library(request).create(body, principal.context)


@router.get("/api/playbooks/{code}", response_model=PlaybookOut)
async def get_playbook(request: Request, code: Code, principal: LibraryReader) -> PlaybookOut:
    """One playbook."""
    del principal
    return await _library(request).get(code)


@router.put("/api/playbooks/{code}", response_model=PlaybookOut)
async def update_playbook(
    request: Request, code: Code, body: PlaybookBody, principal: Editor
) -> PlaybookOut:
    """Replace a playbook (audited, new version); runs already started keep their steps."""
    return await _library(request).update(code, body, principal.context)


@router.get("/api/incidents/{incident_id}/playbook", response_model=RunOut)
async def incident_playbook(request: Request, incident_id: str, principal: Floor) -> RunOut:
    """The incident's playbook run; 404 when no playbook is for it."""
    del principal
    return await _runs(request).get(incident_id)


@router.post("/api/incidents/{incident_id}/playbook/steps/{key}/complete", response_model=RunOut)
async def complete_step(
    request: Request,
    incident_id: str,
    key: StepKey,
    principal: Worker,
    body: CompleteIn | None = None,
) -> RunOut:
    """Mark a step done by the caller, now; 409 when it is done or skipped already."""
    note = body.note if body is not None else None
    return await _runs(request).complete(incident_id, key, note, principal.context)


@router.post("/api/incidents/{incident_id}/playbook/steps/{key}/skip", response_model=RunOut)
async def skip_step(
    request: Request, incident_id: str, key: StepKey, body: SkipIn, principal: Worker
) -> RunOut:
    """Skip a step, saying why."""
    return await _runs(request).skip(incident_id, key, body.reason, principal.context)


@router.get("/api/incidents/{incident_id}/after-action", response_model=AfterActionOut)
async def after_action(request: Request, incident_id: str, principal: Reviewer) -> AfterActionOut:
    """Every event, alert, camera view and action on the incident in time order (audited)."""
    return await _after_action(request).read(incident_id, principal.context)


@router.get("/api/incidents/{incident_id}/after-action.pdf", response_class=Response)
async def after_action_pdf(request: Request, incident_id: str, principal: Exporter) -> Response:
    """The after-action timeline as a PDF (audited as an export)."""
    document = await _after_action(request).export_pdf(incident_id, principal.context)
    name = f"after-action-{incident_id}.pdf"
    return Response(
        document,
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
