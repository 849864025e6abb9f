"""HTTP routes of the hotlists domain: thin, each declares who may call it.

Viewing entries (CJI) is for the floor's roles; admins, who create and import lists, also see
the lists' status and import progress, but not their entries.
"""

from __future__ import annotations

from typing import Annotated, cast

from fastapi import APIRouter, Query, Request

from watchfloor.core.context import Role
from watchfloor.domain.hotlists.schemas import (
    EntryOut,
    HotlistIn,
    HotlistOut,
    ImportOut,
    ManualEntryIn,
    ReasonIn,
)
from watchfloor.domain.hotlists.service import HotlistService
from watchfloor.web.body import read_limited
from watchfloor.web.policy import Principal, allow

router = APIRouter(prefix="/api/hotlists", tags=["hotlists"])

Viewer = Annotated[Principal, allow(Role.OPERATOR, Role.SUPERVISOR, Role.ANALYST)]
StatusViewer = Annotated[Principal, allow(Role.OPERATOR, Role.SUPERVISOR, Role.ANALYST, Role.ADMIN)]
Manager = Annotated[Principal, allow(Role.SUPERVISOR, Role.ADMIN)]
Wait = Annotated[bool, Query(description="answer when the import has finished")]


def _hotlists(request: Request) -> HotlistService:
    return cast(HotlistService, request.app.state.watchfloor.hotlists)


@router.get("", response_model=list[HotlistOut])
async def all_lists(request: Request, principal: StatusViewer) -> list[HotlistOut]:
    """Every list with its status (size, last refresh, age, stale, last import)."""
    del principal
    return await _hotlists(request).all_lists()


@router.post("", response_model=HotlistOut, status_code=201)
async def create_list(request: Request, body: HotlistIn, principal: Manager) -> HotlistOut:
    """Create a list (NCIC, state or local)."""
    return await _hotlists(request).create_list(body, principal.context)


@router.get("/{hotlist_id}", response_model=HotlistOut)
async def get_list(request: Request, hotlist_id: int, principal: StatusViewer) -> HotlistOut:
    """One list with its status."""
    del principal
    return await _hotlists(request).get_list(hotlist_id)


@router.post("/{hotlist_id}/deactivate", response_model=HotlistOut)
async def deactivate(
    request: Request, hotlist_id: int, body: ReasonIn, principal: Manager
) -> HotlistOut:
    """Stop matching a list, for a recorded reason."""
    return await _hotlists(request).deactivate(hotlist_id, body.reason, principal.context)


_EXTRACT_BODY = {
    "requestBody": {
        "required": True,
        "description": "the extract, in the list's format (NCIC fixed-width or CSV)",
        "content": {
            "text/plain": {"schema": {"type": "string"}},
            "text/csv": {"schema": {"type": "string"}},
        },
    }
}


@router.post(
    "/{hotlist_id}/imports", response_model=ImportOut, status_code=202, openapi_extra=_EXTRACT_BODY
)
async def upload(
    request: Request, hotlist_id: int, principal: Manager, wait: Wait = False
) -> ImportOut:
    """Import the request body (an extract in the list's format); poll the import for progress."""
    limit: int = request.app.state.watchfloor.settings.lpr.hotlist_upload_max_bytes
    body = await read_limited(request, limit)
    return await _hotlists(request).upload(hotlist_id, body, principal.context, wait=wait)


@router.post("/{hotlist_id}/refresh", response_model=ImportOut, status_code=202)
async def refresh_now(
    request: Request, hotlist_id: int, principal: Manager, wait: Wait = False
) -> ImportOut:
    """Import the list's source now (409 source_unchanged when nothing new has landed)."""
    return await _hotlists(request).refresh_now(hotlist_id, principal.context, wait=wait)


@router.get("/{hotlist_id}/imports", response_model=list[ImportOut])
async def imports(request: Request, hotlist_id: int, principal: StatusViewer) -> list[ImportOut]:
    """The list's imports, newest first."""
    del principal
    return await _hotlists(request).imports(hotlist_id)


@router.get("/{hotlist_id}/imports/{import_id}", response_model=ImportOut)
async def import_status(
    request: Request, hotlist_id: int, import_id: str, principal: StatusViewer
) -> ImportOut:
    """One import: progress while it runs, counts and rejected lines when done."""
    del principal
    return await _hotlists(request).import_status(hotlist_id, import_id)


@router.get("/{hotlist_id}/entries", response_model=list[EntryOut])
async def entries(
    request: Request,
    hotlist_id: int,
    principal: Viewer,
    plate: str | None = None,
    after_id: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    include_removed: bool = False,
) -> list[EntryOut]:
    """A page of the list's entries by id (an audited read)."""
    return await _hotlists(request).list_entries(
        hotlist_id,
        principal.context,
        plate=plate,
        after_id=after_id,
        limit=limit,
        include_removed=include_removed,
    )


@router.post("/{hotlist_id}/entries", response_model=EntryOut, status_code=201)
async def add_entry(
    request: Request, hotlist_id: int, body: ManualEntryIn, principal: Viewer
) -> EntryOut:
    """Put a plate on a local list, with the documented reason and an expiry."""
    return await _hotlists(request).add_entry(hotlist_id, body, principal.context)


@router.delete("/{hotlist_id}/entries/{entry_id}", response_model=EntryOut)
async def remove_entry(
    request: Request, hotlist_id: int, entry_id: int, body: ReasonIn, principal: Viewer
) -> EntryOut:
    """Take a manual entry off its list, for a recorded reason."""
    return await _hotlists(request).remove_entry(
        hotlist_id, entry_id, body.reason, principal.context
    )
