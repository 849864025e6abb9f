"""HTTP routes of the alert desk: the gunshot and panic webhooks, the alert list, one alert, and
what operators do to it. Thin; each declares who may call it."""

from __future__ import annotations

from typing import Annotated, cast

from fastapi import APIRouter, Query, Request
from pydantic import AwareDatetime

from watchfloor.core.context import Role
from watchfloor.domain.alerts.intake import GUNSHOT_SOURCE, PANIC_SOURCE, AlertIntake
from watchfloor.domain.alerts.schemas import AlertOut, DismissIn, IntakeResult
from watchfloor.domain.alerts.service import AlertDesk
from watchfloor.events.alerts import AlertKind, AlertStatus
from watchfloor.web.body import BodyTooLarge, read_limited
from watchfloor.web.policy import Principal, allow

router = APIRouter(tags=["alerts"])

Feeder = Annotated[Principal, allow(Role.FEED, Role.ADMIN)]
Watcher = Annotated[Principal, allow(Role.OPERATOR, Role.SUPERVISOR, Role.ANALYST)]
Handler = Annotated[Principal, allow(Role.OPERATOR, Role.SUPERVISOR)]


def _desk(request: Request) -> AlertDesk:
    return cast(AlertDesk, request.app.state.watchfloor.alerts)


def _intake(request: Request) -> AlertIntake:
    return cast(AlertIntake, request.app.state.watchfloor.alert_intake)


async def _accept(request: Request, principal: Principal, source: str) -> IntakeResult:
    intake = _intake(request)
    limit: int = request.app.state.watchfloor.settings.alerts.max_body_bytes
    content_type = request.headers.get("content-type")
    try:
        raw = await read_limited(request, limit)
    except BodyTooLarge as error:
        await intake.reject_oversized(source, error.head, error.size_seen, content_type, error)
    return await intake.accept(source, raw, content_type, principal.context)


@router.post("/api/alerts/gunshots", response_model=IntakeResult)
async def post_gunshots(request: Request, principal: Feeder) -> IntakeResult:
    """A gunshot detection webhook (one alert, a list, or {"alerts": [...]}); durable before
    this answers, or refused (4xx naming each bad field) and quarantined."""
    return await _accept(request, principal, GUNSHOT_SOURCE)


@router.post("/api/alerts/panic", response_model=IntakeResult)
async def post_panic(request: Request, principal: Feeder) -> IntakeResult:
    """A panic-button press (one, a list, or {"presses": [...]}): a Priority 1 alert."""
    return await _accept(request, principal, PANIC_SOURCE)


@router.get("/api/alerts", response_model=list[AlertOut])
async def list_alerts(
    request: Request,
    principal: Watcher,
    status: AlertStatus | None = None,
    kind: AlertKind | None = None,
    since: AwareDatetime | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
) -> list[AlertOut]:
    """Alerts received since `since` (of one status / kind), newest first."""
    del principal
    return await _desk(request).list(status=status, kind=kind, since=since, limit=limit)


@router.get("/api/alerts/{alert_id}", response_model=AlertOut)
async def get_alert(request: Request, alert_id: str, principal: Watcher) -> AlertOut:
    """One alert with all its sources."""
    del principal
    return await _desk(request).get(alert_id)


@router.post("/api/alerts/{alert_id}/acknowledge", response_model=AlertOut)
async def acknowledge_alert(request: Request, alert_id: str, principal: Handler) -> AlertOut:
    """The caller has seen the alert and owns it (audited)."""
    return await _desk(request).acknowledge(alert_id, principal.context)


@router.post("/api/alerts/{alert_id}/dismiss", response_model=AlertOut)
async def dismiss_alert(
    request: Request, alert_id: str, body: DismissIn, principal: Handler
) -> AlertOut:
    """A false alarm, a test, or not for this center (audited with the reason)."""
    return await _desk(request).dismiss(alert_id, body.reason, principal.context)


@router.post("/api/alerts/{alert_id}/close", response_model=AlertOut)
async def close_alert(request: Request, alert_id: str, principal: Handler) -> AlertOut:
    """Handled: nothing is left to do (audited)."""
    return await _desk(request).close(alert_id, principal.context)
