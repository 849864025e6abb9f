"""HTTP routes of premises: read by the floor, edited by supervisors and admins."""

from __future__ import annotations

from typing import Annotated, cast

from fastapi import APIRouter, Query, Request, Response

from watchfloor.core.context import Role
from watchfloor.domain.premises.schemas import FloorPlanOut, PremiseIn, PremiseOut
from watchfloor.domain.premises.service import PremiseRegistry
from watchfloor.web.body import read_limited
from watchfloor.web.policy import Principal, allow

router = APIRouter(tags=["premises"])

Reader = Annotated[Principal, allow(Role.OPERATOR, Role.SUPERVISOR, Role.ANALYST, Role.ADMIN)]
Editor = Annotated[Principal, allow(Role.SUPERVISOR, Role.ADMIN)]


def _premises(request: Request) -> PremiseRegistry:
    return cast(PremiseRegistry, request.app.state.watchfloor.premises)


@router.get("/api/premises", response_model=list[PremiseOut])
async def list_premises(request: Request, principal: Reader) -> list[PremiseOut]:
    """Premises by address."""
    del principal
    return await _premises(request).list()


@router.post("/api/premises", response_model=PremiseOut, status_code=201)
async def create_premise(request: Request, body: PremiseIn, principal: Editor) -> PremiseOut:
    """Record a premise (audited)."""
    return await _premises(request).create(body, principal.context)


@router.get("/api/premises/{premise_id}", response_model=PremiseOut)
async def get_premise(request: Request, premise_id: str, principal: Reader) -> PremiseOut:
    """One premise with its hazards, notes and floor plans."""
    del principal
    return await _premises(request).get(premise_id)


@router.put("/api/premises/{premise_id}", response_model=PremiseOut)
async def update_premise(
    request: Request, premise_id: str, body: PremiseIn, principal: Editor
) -> PremiseOut:
    """Change a premise (audited)."""
    return await _premises(request).update(premise_id, body, principal.context)


@router.delete("/api/premises/{premise_id}", status_code=204)
async def delete_premise(request: Request, premise_id: str, principal: Editor) -> Response:
    """Remove a premise (audited)."""
    await _premises(request).delete(premise_id, principal.context)
    return Response(status_code=204)


@router.post("/api/premises/{premise_id}/floor-plans", response_model=FloorPlanOut, status_code=201)
async def add_floor_plan(
    request: Request,
    premise_id: str,
    principal: Editor,
    name: Annotated[str, Query(min_length=1, max_length=200)],
) -> FloorPlanOut:
    """Attach a floor plan: the raw PNG, JPEG or PDF bytes as the body (audited)."""
    premises = _premises(request)
    data = await read_limited(request, premises.files.max_bytes)
    return await premises.add_floor_plan(premise_id, name, data, principal.context)


@router.get(
    "/api/premises/{premise_id}/floor-plans/{file_id}",
    response_class=Response,
    responses={200: {"content": {"image/png": {}, "image/jpeg": {}, "application/pdf": {}}}},
)
async def get_floor_plan(
    request: Request, premise_id: str, file_id: str, principal: Reader
) -> Response:
    """A floor plan file (an audited read)."""
    data, plan = await _premises(request).floor_plan(premise_id, file_id, principal.context)
    headers = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"}
    return Response(data, media_type=plan.media_type, headers=headers)
