"""HTTP routes of audited viewing: open and end a view, the supervisor's usage query, and the
biometric-analytics switch."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated, cast

from fastapi import APIRouter, Query, Request

from watchfloor.audit.service import AuditEntry
from watchfloor.core.context import Role
from watchfloor.core.errors import InvalidInput
from watchfloor.domain.cameras.biometrics import BiometricSwitch, PolicyIn, PolicyOut
from watchfloor.domain.cameras.viewing import CameraViewing
from watchfloor.domain.cameras.viewing_schemas import UsageReport, ViewIn, ViewOut
from watchfloor.web.policy import Principal, allow

router = APIRouter(tags=["video"])

Watcher = Annotated[Principal, allow(Role.OPERATOR, Role.SUPERVISOR, Role.ANALYST)]
Overseer = Annotated[Principal, allow(Role.SUPERVISOR, Role.AUDITOR)]
Anyone = Annotated[
    Principal, allow(Role.OPERATOR, Role.SUPERVISOR, Role.ANALYST, Role.ADMIN, Role.AUDITOR)
]
Admin = Annotated[Principal, allow(Role.ADMIN)]
MAX_PERIOD = timedelta(days=400)


def viewing_of(request: Request) -> CameraViewing:
    """The viewing service of the running Watchfloor."""
    return cast(CameraViewing, request.app.state.watchfloor.viewing)


def _switch(request: Request) -> BiometricSwitch:
    return cast(BiometricSwitch, request.app.state.watchfloor.biometrics)


@router.post("/api/cameras/{code}/views", response_model=ViewOut, status_code=201)
async def open_view(request: Request, code: str, body: ViewIn, principal: Watcher) -> ViewOut:
    """Open a camera for an action with a reason (audited); 403 when its access level forbids."""
    grant = await viewing_of(request).open(
        code, body.action, body.reason, principal.context, session_id=principal.session_id
    )
    return grant.out()


@router.post("/api/video/views/{view_id}/end", response_model=ViewOut)
async def end_view(request: Request, view_id: str, principal: Watcher) -> ViewOut:
    """End an open view; its duration goes to the audit log."""
    viewing = viewing_of(request)
    viewing.grant(view_id, principal.user_id)
    ended = await viewing.close(view_id, principal.context)
    if ended is None:
        raise InvalidInput("the view has already ended")
    return ended


@router.get("/api/video/views", response_model=UsageReport)
async def camera_usage(
    request: Request,
    principal: Overseer,
    since: datetime,
    until: datetime | None = None,
    person: Annotated[str | None, Query(max_length=100)] = None,
    camera: Annotated[str | None, Query(max_length=64)] = None,
) -> UsageReport:
    """A person's (or everyone's) camera use in a period, with every view and its reason: the
    supervisor's quarterly audit in one query (itself audited)."""
    wf = request.app.state.watchfloor
    until = until or wf.clock.now()
    if until <= since or until - since > MAX_PERIOD:
        raise InvalidInput("the period must be positive and at most 400 days")
    report = await viewing_of(request).usage(since, until, person, camera)
    await wf.audit.record_alone(principal.context, _usage_entry(report))
    return report


def _usage_entry(report: UsageReport) -> AuditEntry:
    return AuditEntry(
        "camera.usage.query",
        object_type="person" if report.person else "camera",
        object_id=report.person or report.camera,
        details={
            "since": report.since.isoformat(),
            "until": report.until.isoformat(),
            "views": report.views,
        },
    )


@router.get("/api/video/policy", response_model=PolicyOut)
async def video_policy(request: Request, principal: Anyone) -> PolicyOut:
    """The biometric-analytics switch."""
    del principal
    return _switch(request).state()


@router.put("/api/video/policy", response_model=PolicyOut)
async def set_video_policy(request: Request, body: PolicyIn, principal: Admin) -> PolicyOut:
    """Block or lift biometric analytics (admin, audited; refused where policy forbids)."""
    return await _switch(request).set(body, principal.context)
