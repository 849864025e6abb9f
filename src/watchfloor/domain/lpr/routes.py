"""HTTP routes of plate readers: the read intake, images, the reader registry, alerts and their
review, precision. Thin; each declares who may call it."""

from __future__ import annotations

from typing import Annotated, Literal, cast

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse

from watchfloor.core.context import Role
from watchfloor.domain.lpr.intake import ReadIntake
from watchfloor.domain.lpr.readers import ReaderRegistry
from watchfloor.domain.lpr.review import AlertReview
from watchfloor.domain.lpr.schemas import (
    AlertDetail,
    AlertStatus,
    AlertSummary,
    DispositionIn,
    ImageOut,
    IntakeResult,
    OutcomeIn,
    PrecisionOut,
    ReaderIn,
    ReaderOut,
    VerificationIn,
)
from watchfloor.web.body import BodyTooLarge, read_limited
from watchfloor.web.policy import Principal, allow

router = APIRouter(tags=["plate readers"])

Feeder = Annotated[Principal, allow(Role.FEED, Role.ADMIN)]
Watcher = Annotated[Principal, allow(Role.OPERATOR, Role.SUPERVISOR, Role.ANALYST)]
Verifier = Annotated[Principal, allow(Role.OPERATOR, Role.SUPERVISOR)]
Registrar = Annotated[Principal, allow(Role.SUPERVISOR, Role.ADMIN)]
Overseer = Annotated[Principal, allow(Role.OPERATOR, Role.SUPERVISOR, Role.ANALYST, Role.AUDITOR)]


def _intake(request: Request) -> ReadIntake:
    return cast(ReadIntake, request.app.state.watchfloor.lpr_intake)


def _readers(request: Request) -> ReaderRegistry:
    return cast(ReaderRegistry, request.app.state.watchfloor.lpr_readers)


def _review(request: Request) -> AlertReview:
    return cast(AlertReview, request.app.state.watchfloor.lpr_review)


@router.post(
    "/api/lpr/reads",
    response_model=IntakeResult,
    responses={207: {"model": IntakeResult, "description": "some reads refused"}},
)
async def post_reads(request: Request, principal: Feeder) -> Response:
    """Accept one read or a batch; refused reads are named, quarantined, and answered with 207
    (or 422 when none was good). Accepted reads are durable before this answers."""
    del principal
    intake = _intake(request)
    limit: int = request.app.state.watchfloor.settings.max_body_bytes
    content_type = request.headers.get("content-type")
    try:
        raw = await read_limited(request, limit)
    except BodyTooLarge as error:
        await intake.reject_oversized(error.head, error.size_seen, content_type, error)
    result = await intake.accept_http(raw, content_type)
    status = 207 if result.rejected else 200
    return JSONResponse(result.model_dump(mode="json"), status_code=status)


@router.post("/api/lpr/onvif/{reader_code}", response_model=IntakeResult)
async def post_onvif(request: Request, reader_code: str, principal: Feeder) -> IntakeResult:
    """An ONVIF LicensePlate event notification (wsnt:Notify or PullMessages response) from the
    camera registered as reader `reader_code`: stored whole, or refused (422) and quarantined."""
    del principal
    intake = _intake(request)
    limit: int = request.app.state.watchfloor.settings.max_body_bytes
    content_type = request.headers.get("content-type")
    raw = await read_limited(request, limit)
    outcome = await intake.accept_onvif(raw, content_type, reader_code)
    return IntakeResult(accepted=outcome.accepted, hits=outcome.hits, alerts=outcome.alert_ids)


@router.post("/api/lpr/images", response_model=ImageOut, status_code=201)
async def post_image(request: Request, principal: Feeder) -> ImageOut:
    """Store a plate or vehicle image; reads then refer to it by its SHA-256."""
    del principal
    images = _intake(request).images
    data = await read_limited(request, images.max_bytes)
    media_type = images.check(data, "")
    return ImageOut(sha256=images.put(data), media_type=media_type, size=len(data))


@router.get("/api/lpr/readers", response_model=list[ReaderOut])
async def list_readers(request: Request, principal: Watcher) -> list[ReaderOut]:
    """Every registered plate reader (for the map)."""
    del principal
    return await _readers(request).list()


@router.post("/api/lpr/readers", response_model=ReaderOut, status_code=201)
async def register_reader(request: Request, body: ReaderIn, principal: Registrar) -> ReaderOut:
    """Register a plate reader (audited)."""
    return await _readers(request).register(body, principal.context)


@router.put("/api/lpr/readers/{code}", response_model=ReaderOut)
async def update_reader(
    request: Request, code: str, body: ReaderIn, principal: Registrar
) -> ReaderOut:
    """Change a reader's registration (audited)."""
    return await _readers(request).update(code, body, principal.context)


@router.get("/api/lpr/alerts", response_model=list[AlertSummary])
async def list_alerts(
    request: Request, principal: Watcher, status: AlertStatus | None = None, limit: int = 100
) -> list[AlertSummary]:
    """Open alerts (or those of one status), newest first."""
    del principal
    return await _review(request).list(status, limit)


@router.get("/api/lpr/alerts/{alert_id}", response_model=AlertDetail)
async def alert_detail(request: Request, alert_id: str, principal: Watcher) -> AlertDetail:
    """One alert with its read and hotlist entry (an audited read)."""
    return await _review(request).detail(alert_id, principal.context)


@router.get(
    "/api/lpr/alerts/{alert_id}/image/{which}",
    response_class=Response,
    responses={200: {"content": {"image/jpeg": {}, "image/png": {}, "image/webp": {}}}},
)
async def alert_image(
    request: Request, alert_id: str, which: Literal["plate", "vehicle"], principal: Watcher
) -> Response:
    """The alert's plate or vehicle image (an audited read; never cached)."""
    data, media_type = await _review(request).image(alert_id, which, principal.context)
    return Response(data, media_type=media_type, headers={"Cache-Control": "no-store"})


@router.post("/api/lpr/alerts/{alert_id}/verification", response_model=AlertDetail)
async def verify_alert(
    request: Request, alert_id: str, body: VerificationIn, principal: Verifier
) -> AlertDetail:
    """Record the check that must come before anyone acts."""
    return await _review(request).verify(alert_id, body, principal.context)


@router.post("/api/lpr/alerts/{alert_id}/disposition", response_model=AlertDetail)
async def dispose_alert(
    request: Request, alert_id: str, body: DispositionIn, principal: Verifier
) -> AlertDetail:
    """Close the alert: confirmed (verified first), misread, entry not active, no action."""
    return await _review(request).dispose(alert_id, body, principal.context)


@router.post("/api/lpr/alerts/{alert_id}/outcome", response_model=AlertDetail)
async def alert_outcome(
    request: Request, alert_id: str, body: OutcomeIn, principal: Verifier
) -> AlertDetail:
    """What came of a confirmed alert."""
    return await _review(request).record_outcome(alert_id, body, principal.context)


@router.get("/api/lpr/precision", response_model=PrecisionOut)
async def precision(request: Request, principal: Overseer) -> PrecisionOut:
    """Confirmed / all hits per reader and per hotlist."""
    del principal
    return await _review(request).precision()
