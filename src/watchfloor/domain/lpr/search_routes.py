"""HTTP routes of investigative search, legal holds and retention: thin, each declares who may
call it."""

from __future__ import annotations

import csv
import io
from dataclasses import astuple, fields
from typing import Annotated, Any, cast

from fastapi import APIRouter, Request
from fastapi.responses import Response

from watchfloor.core.context import Role
from watchfloor.domain.lpr.holds import LegalHolds
from watchfloor.domain.lpr.retention import RetentionService
from watchfloor.domain.lpr.search import Circle, Polygon, ReadHit, ReadQuery, ReadSearch
from watchfloor.domain.lpr.search_schemas import (
    CircleIn,
    HoldIn,
    HoldOut,
    PurgeOut,
    PurposesOut,
    ReadHitOut,
    ReleaseIn,
    RetentionOut,
    SearchIn,
    SearchOut,
)
from watchfloor.web.policy import Principal, allow

router = APIRouter(tags=["lpr-search"])

Searcher = Annotated[Principal, allow(Role.OPERATOR, Role.SUPERVISOR, Role.ANALYST)]
HoldKeeper = Annotated[Principal, allow(Role.SUPERVISOR, Role.ADMIN)]
HoldReader = Annotated[Principal, allow(Role.SUPERVISOR, Role.ADMIN, Role.AUDITOR, Role.ANALYST)]
RetentionReader = Annotated[Principal, allow(Role.SUPERVISOR, Role.ADMIN, Role.AUDITOR)]
Admin = Annotated[Principal, allow(Role.ADMIN)]

CSV_COLUMNS = tuple(f.name for f in fields(ReadHit))
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _search(request: Request) -> ReadSearch:
    return cast(ReadSearch, request.app.state.watchfloor.read_search)


def _retention(request: Request) -> RetentionService:
    return cast(RetentionService, request.app.state.watchfloor.retention)


def _holds(request: Request) -> LegalHolds:
    return _retention(request).holds


def query_of(body: SearchIn) -> ReadQuery:
    """The service's query from the request body."""
    area: Circle | Polygon | None = None
    if isinstance(body.area, CircleIn):
        area = Circle(body.area.lat, body.area.lon, body.area.radius_m)
    elif body.area is not None:
        area = Polygon(tuple(body.area.polygon))
    return ReadQuery(
        since=body.since,
        until=body.until,
        plate=body.plate,
        area=area,
        reader_codes=tuple(body.reader_codes),
        make=body.make,
        model=body.model,
        colour=body.colour,
        limit=body.limit,
    )


@router.post("/api/lpr/search", response_model=SearchOut)
async def search(request: Request, body: SearchIn, principal: Searcher) -> SearchOut:
    """Reads by plate pattern, time, area, reader and vehicle, for a purpose and a case."""
    result = await _search(request).search(
        query_of(body), body.purpose, body.case_number, principal.context
    )
    reads = [ReadHitOut.model_validate(hit) for hit in result.reads]
    return SearchOut(search_id=result.search_id, reads=reads, truncated=result.truncated)


@router.post(
    "/api/lpr/search/export",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}}, "description": "the reads as CSV"}},
)
async def export(request: Request, body: SearchIn, principal: Searcher) -> Response:
    """The same search as a CSV file (audited as an export)."""
    result = await _search(request).export(
        query_of(body), body.purpose, body.case_number, principal.context
    )
    disposition = f'attachment; filename="lpr-search-{result.search_id}.csv"'
    return Response(
        to_csv(result.reads),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": disposition},
    )


def to_csv(reads: list[ReadHit]) -> str:
    """The reads as CSV, one header row; text that a spreadsheet would run as a formula is
    quoted with a leading apostrophe."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for hit in reads:
        writer.writerow([_cell(value) for value in astuple(hit)])
    return out.getvalue()


def _cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return "" if value is None else value


@router.get("/api/lpr/search/purposes", response_model=PurposesOut)
async def purposes(request: Request, principal: Searcher) -> PurposesOut:
    """The purposes a search may name (and those the agency prohibits)."""
    del principal
    settings = request.app.state.watchfloor.settings.lpr
    return PurposesOut(
        purposes=_search(request).purposes(), prohibited=settings.prohibited_purposes
    )


@router.post("/api/lpr/holds", response_model=HoldOut, status_code=201)
async def place_hold(request: Request, body: HoldIn, principal: HoldKeeper) -> HoldOut:
    """Keep reads for a case past their retention limit."""
    return await _holds(request).place(body, principal.context)


@router.post("/api/lpr/holds/{hold_id}/release", response_model=HoldOut)
async def release_hold(
    request: Request, hold_id: str, body: ReleaseIn, principal: HoldKeeper
) -> HoldOut:
    """End a legal hold, for a recorded reason."""
    return await _holds(request).release(hold_id, body.reason, principal.context)


@router.get("/api/lpr/holds", response_model=list[HoldOut])
async def list_holds(
    request: Request,
    principal: HoldReader,
    active: bool = False,
    case_number: str | None = None,
) -> list[HoldOut]:
    """Legal holds, newest first (only active ones with active=true)."""
    return await _holds(request).find(
        principal.context, active_only=active, case_number=case_number
    )


@router.get("/api/lpr/retention", response_model=RetentionOut)
async def retention(request: Request, principal: RetentionReader) -> RetentionOut:
    """The retention policy in force, its citation, and the latest purge's receipts."""
    del principal
    service = _retention(request)
    return RetentionOut(
        policy=service.policy_out(),
        purge_every_s=request.app.state.watchfloor.settings.lpr.purge_every_s,
        last_purge=await service.last_receipts(),
    )


@router.post("/api/lpr/retention/purge", response_model=PurgeOut)
async def purge(request: Request, principal: Admin) -> PurgeOut:
    """Run the retention purge now (it also runs on its schedule)."""
    report = await _retention(request).purge(principal.context)
    return PurgeOut(ran_at=report.ran_at, receipts=report.receipts)
