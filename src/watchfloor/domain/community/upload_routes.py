"""Public routes of the owner's answer page (/community/api/answer*) and the transparency numbers.

The upload link's token travels in the X-Upload-Token header (the page took it from the URL
fragment); state-changing calls also carry the page's CSRF token. A chunk's body is streamed to
disk by the route itself (the body-size middleware lets it through; the limit is enforced here)."""

from __future__ import annotations

from typing import Annotated, cast

from fastapi import APIRouter, Header, Path, Query, Request

from watchfloor.core.context import Actor, RequestContext
from watchfloor.core.errors import PayloadTooLarge
from watchfloor.domain.community.guard import CsrfChecked, RateLimiter, client_key
from watchfloor.domain.community.request_schemas import (
    AnswerIn,
    AnswerView,
    FileIn,
    Transparency,
    UploadOut,
)
from watchfloor.domain.community.requests import FootageDesk
from watchfloor.domain.community.stats import RequestStatistics
from watchfloor.domain.community.uploads import UploadDesk
from watchfloor.settings_community import CommunitySettings
from watchfloor.web.policy import origin_of, public

router = APIRouter(prefix="/community/api", tags=["community public"], dependencies=[public()])

Token = Annotated[str | None, Header(alias="X-Upload-Token", max_length=100)]
FileId = Annotated[str, Path(max_length=36)]

_CHUNK_BODY = {
    "requestBody": {
        "required": True,
        "description": "the next bytes of the file, starting at `offset`",
        "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}},
    }
}


def _desk(request: Request) -> FootageDesk:
    return cast(FootageDesk, request.app.state.watchfloor.community.requests)


def _uploads(request: Request) -> UploadDesk:
    return cast(UploadDesk, request.app.state.watchfloor.community.uploads)


def _settings(request: Request) -> CommunitySettings:
    return cast(CommunitySettings, request.app.state.watchfloor.settings.community)


def _limit(request: Request, kind: str) -> None:
    settings = _settings(request)
    limiter = cast(RateLimiter, request.app.state.watchfloor.community.limiter)
    limit = settings.chunk_limit_per_client if kind == "chunk" else settings.answer_limit_per_client
    limiter.check(f"answer-{kind}:{client_key(request)}", limit, settings.answer_window_s)


def _owner(request: Request) -> RequestContext:
    """Who acts on the answer page: the owner behind an upload link, from this address."""
    return RequestContext(actor=Actor.system("community-owner"), origin=origin_of(request))


@router.get("/transparency", response_model=Transparency)
async def transparency(request: Request) -> Transparency:
    """Public numbers of the program: registrations, cameras, requests, answers."""
    _limit(request, "page")
    stats = cast(RequestStatistics, request.app.state.watchfloor.community.request_stats)
    return await stats.transparency()


@router.get("/answer", response_model=AnswerView)
async def answer_view(request: Request, token: Token = None) -> AnswerView:
    """The request the link is for; the first look marks it opened."""
    _limit(request, "page")
    return await _desk(request).answer_view(token, _owner(request))


@router.post("/answer/files", status_code=201, response_model=UploadOut)
async def declare_file(
    request: Request, _: CsrfChecked, data: FileIn, token: Token = None
) -> UploadOut:
    """Announce a file before sending its chunks (too large → 413)."""
    _limit(request, "page")
    return await _uploads(request).declare(token, data)


@router.put("/answer/files/{file_id}", response_model=UploadOut, openapi_extra=_CHUNK_BODY)
async def put_chunk(
    request: Request,
    _: CsrfChecked,
    file_id: FileId,
    offset: Annotated[int, Query(ge=0)],
    token: Token = None,
) -> UploadOut:
    """The next bytes of a file at `offset` (409 offset_mismatch otherwise); the last chunk
    stores the file as evidence, or rejects it when it is not footage (422)."""
    _limit(request, "chunk")
    settings = _settings(request)
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > settings.chunk_bytes:
        raise PayloadTooLarge(f"A chunk may carry at most {settings.chunk_bytes} bytes.")
    uploads = _uploads(request)
    return await uploads.put_chunk(token, file_id, offset, request.stream(), _owner(request))


@router.get("/answer/files/{file_id}", response_model=UploadOut)
async def file_status(request: Request, file_id: FileId, token: Token = None) -> UploadOut:
    """Where one file stands (how many bytes arrived), to resume a broken transfer."""
    _limit(request, "page")
    return await _uploads(request).status(token, file_id)


@router.post("/answer/finish", response_model=AnswerView)
async def finish(
    request: Request, _: CsrfChecked, data: AnswerIn, token: Token = None
) -> AnswerView:
    """The owner has sent what they want to share; the link is spent."""
    _limit(request, "page")
    return await _desk(request).finish(token, data.note, _owner(request))


@router.post("/answer/decline", response_model=AnswerView)
async def decline(
    request: Request, _: CsrfChecked, data: AnswerIn, token: Token = None
) -> AnswerView:
    """The owner declines; recorded without questions, the link spent."""
    _limit(request, "page")
    return await _desk(request).decline(token, data.note, _owner(request))
