"""Audited camera viewing: every live view, playback, PTZ control, snapshot, recording or export is
opened with a reason, checked against the camera's access level here on the server, written to the
audit log with the camera and reason, and closed with its duration. The one path to a stream
address for video work runs through `open`."""

from __future__ import annotations

import secrets
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from watchfloor.audit.service import AuditEntry, AuditLog, Outcome
from watchfloor.core.clock import Clock
from watchfloor.core.context import RequestContext
from watchfloor.core.errors import Conflict, Forbidden, NotFound
from watchfloor.db.engine import Database
from watchfloor.domain.cameras.models import Camera
from watchfloor.domain.cameras.schemas import AccessLevel, CameraStatus
from watchfloor.domain.cameras.viewing_models import CameraView
from watchfloor.domain.cameras.viewing_schemas import (
    ALLOWED_ACTIONS,
    REFUSALS,
    CameraUse,
    ReasonKind,
    UsageReport,
    VideoAction,
    ViewOut,
    ViewReason,
)

OBJECT_TYPE = "camera"
UNUSABLE = frozenset({CameraStatus.RETIRED, CameraStatus.PLANNED})
MAX_ENTRIES = 5000
STREAMED = frozenset({VideoAction.LIVE, VideoAction.SNAPSHOT, VideoAction.RECORD})


@dataclass
class ViewGrant:
    """An open view: what the server may do for it, and the stream it may use (a secret)."""

    view_id: str
    camera_code: str
    action: VideoAction
    reason: ViewReason
    user_id: str | None
    username: str
    session_id: str | None
    stream_url: str | None
    has_onvif: bool
    ptz: bool
    started_at: datetime
    children: dict[VideoAction, str] = field(default_factory=dict)

    def out(self, ended_at: datetime | None = None, parent_id: str | None = None) -> ViewOut:
        """The view as the console sees it (never the stream address)."""
        duration = (ended_at - self.started_at).total_seconds() if ended_at else None
        return ViewOut(
            view_id=self.view_id,
            camera=self.camera_code,
            action=self.action,
            username=self.username,
            reason_kind=self.reason.kind,
            reason_ref=self.reason.ref,
            reason_note=self.reason.note,
            parent_id=parent_id,
            started_at=self.started_at,
            ended_at=ended_at,
            duration_s=duration,
        )


class CameraViewing:
    """Opens, checks and closes audited views of cameras; answers the supervisor's usage query."""

    def __init__(self, db: Database, clock: Clock, audit: AuditLog) -> None:
        self._db = db
        self._clock = clock
        self._audit = audit
        self._open: dict[str, ViewGrant] = {}

    async def open(
        self,
        code: str,
        action: VideoAction,
        reason: ViewReason,
        context: RequestContext,
        *,
        session_id: str | None = None,
        parent_id: str | None = None,
    ) -> ViewGrant:
        """Open a view for an action; 403 (audited) when the access level forbids it."""
        now = self._clock.now()
        grant: ViewGrant | None = None
        async with self._db.session() as session:
            camera = await _camera(session, code)
            refusal = _refusal(camera, action)
            if refusal is not None:
                await self._refuse(session, context, camera, action, reason, refusal)
            else:
                grant = _grant(camera, action, reason, context, session_id, now)
                session.add(_row(grant, context, parent_id))
                entry = _entry("camera.view.open", grant, camera)
                await self._audit.record(session, context, entry)
        if grant is None:  # the refusal is committed to the audit log before it is answered
            raise Forbidden(refusal or "refused", "camera_access_level")
        self._open[grant.view_id] = grant
        return grant

    async def child(
        self, parent: ViewGrant, action: VideoAction, context: RequestContext
    ) -> ViewGrant:
        """The view for PTZ control, a snapshot or a recording under an open live view (same
        reason); one PTZ or recording view per live view, reused while open."""
        existing = parent.children.get(action)
        if existing is not None and existing in self._open:
            return self._open[existing]
        grant = await self.open(
            parent.camera_code,
            action,
            parent.reason,
            context,
            session_id=parent.session_id,
            parent_id=parent.view_id,
        )
        if action is not VideoAction.SNAPSHOT:
            parent.children[action] = grant.view_id
        return grant

    def grant(self, view_id: str, user_id: str | None) -> ViewGrant:
        """An open view of this person; 404 for an unknown, ended or someone else's view."""
        grant = self._open.get(view_id)
        if grant is None or grant.user_id != user_id:
            raise NotFound(f"no open view {view_id}")
        return grant

    async def close(self, view_id: str, context: RequestContext) -> ViewOut | None:
        """End a view (and the views opened under it) with its duration; None when already ended."""
        grant = self._open.pop(view_id, None)
        if grant is None:
            return None
        for child_id in list(grant.children.values()):
            await self.close(child_id, context)
        now = self._clock.now()
        async with self._db.session() as session:
            row = await session.get(CameraView, view_id)
            if row is None:
                return None
            row.ended_at = now
            row.duration_s = round((now - row.started_at).total_seconds(), 3)
            entry = _entry("camera.view.close", grant, None, duration_s=row.duration_s)
            await self._audit.record(session, context, entry)
            return _view_out(row)

    async def close_all(self, context: RequestContext) -> None:
        """End every open view (at shutdown)."""
        for view_id in list(self._open):
            await self.close(view_id, context)

    async def end_orphans(self) -> int:
        """Views left open by a previous run: ended now, duration unknown. How many."""
        now = self._clock.now()
        async with self._db.session() as session:
            query = select(CameraView).where(CameraView.ended_at.is_(None))
            rows = (await session.execute(query)).scalars().all()
            for row in rows:
                if row.id not in self._open:
                    row.ended_at = now
            return len(rows)

    async def usage(
        self,
        since: datetime,
        until: datetime,
        person: str | None = None,
        camera: str | None = None,
    ) -> UsageReport:
        """Every view in a period (of a person, of a camera), totalled by camera and reason."""
        query = select(CameraView).where(
            CameraView.started_at >= since, CameraView.started_at < until
        )
        if person is not None:
            query = query.where(CameraView.username == person)
        if camera is not None:
            query = query.where(CameraView.camera_code == camera)
        query = query.order_by(CameraView.started_at).limit(MAX_ENTRIES)
        async with self._db.read_session() as session:
            rows = (await session.execute(query)).scalars().all()
            entries = [_view_out(row) for row in rows]
        return _report(entries, since, until, person, camera)

    async def views_for_incident(
        self, refs: Sequence[str], alert_ids: Sequence[str] = ()
    ) -> list[ViewOut]:
        """Views opened with an incident as their reason (named by any of its references: id,
        CAD number, EIDO id) or one of its alerts, oldest first (read-only)."""
        grounds = []
        if refs:
            grounds.append(
                (CameraView.reason_kind == ReasonKind.INCIDENT.value)
                & CameraView.reason_ref.in_(list(refs))
            )
        if alert_ids:
            grounds.append(
                (CameraView.reason_kind == ReasonKind.ALERT.value)
                & CameraView.reason_ref.in_(list(alert_ids))
            )
        if not grounds:
            return []
        query = (
            select(CameraView)
            .where(or_(*grounds))
            .order_by(CameraView.started_at, CameraView.id)
            .limit(MAX_ENTRIES)
        )
        async with self._db.read_session() as session:
            rows = (await session.execute(query)).scalars().all()
            return [_view_out(row) for row in rows]

    async def _refuse(
        self,
        session: AsyncSession,
        context: RequestContext,
        camera: Camera,
        action: VideoAction,
        reason: ViewReason,
        refusal: str,
    ) -> None:
        entry = AuditEntry(
            "camera.view.open",
            outcome=Outcome.DENIED,
            object_type=OBJECT_TYPE,
            object_id=camera.code,
            reason=reason.text(),
            details={"action": action.value, "access_level": camera.access_level, "why": refusal},
        )
        await self._audit.record(session, context, entry)


async def _camera(session: AsyncSession, code: str) -> Camera:
    camera = (await session.execute(select(Camera).where(Camera.code == code))).scalar_one_or_none()
    if camera is None:
        raise NotFound(f"no camera {code}")
    if camera.status in UNUSABLE:
        raise Conflict(f"camera {code} is {camera.status}", "camera_unusable")
    return camera


def _refusal(camera: Camera, action: VideoAction) -> str | None:
    level = AccessLevel(camera.access_level)
    if action not in ALLOWED_ACTIONS[level]:
        return REFUSALS.get(level, f"{action.value} is not allowed on this camera")
    if action is VideoAction.PTZ and not (camera.ptz and camera.onvif_url):
        return "this camera cannot be steered (not PTZ, or no ONVIF address)"
    return None


def _grant(
    camera: Camera,
    action: VideoAction,
    reason: ViewReason,
    context: RequestContext,
    session_id: str | None,
    now: datetime,
) -> ViewGrant:
    if action in STREAMED and not camera.stream_urls:
        raise Conflict(f"camera {camera.code} has no stream address", "camera_no_stream")
    return ViewGrant(
        view_id=secrets.token_hex(12),
        camera_code=camera.code,
        action=action,
        reason=reason,
        user_id=context.actor.user_id,
        username=context.actor.username,
        session_id=session_id,
        stream_url=camera.stream_urls[0] if camera.stream_urls else None,
        has_onvif=bool(camera.onvif_url),
        ptz=camera.ptz,
        started_at=now,
    )


def _row(grant: ViewGrant, context: RequestContext, parent_id: str | None) -> CameraView:
    return CameraView(
        id=grant.view_id,
        camera_code=grant.camera_code,
        action=grant.action.value,
        user_id=grant.user_id,
        username=grant.username,
        reason_kind=grant.reason.kind.value,
        reason_ref=grant.reason.ref,
        reason_note=grant.reason.note,
        parent_id=parent_id,
        address=context.origin.address,
        started_at=grant.started_at,
    )


def _entry(action: str, grant: ViewGrant, camera: Camera | None, **details: object) -> AuditEntry:
    facts: dict[str, object] = {"view": grant.view_id, "action": grant.action.value, **details}
    if camera is not None:
        facts["access_level"] = camera.access_level
    case = grant.reason.ref if grant.reason.kind.value == "incident" else None
    return AuditEntry(
        action,
        object_type=OBJECT_TYPE,
        object_id=grant.camera_code,
        reason=grant.reason.text(),
        case_number=case,
        details=facts,
    )


def _view_out(row: CameraView) -> ViewOut:
    return ViewOut(
        view_id=row.id,
        camera=row.camera_code,
        action=VideoAction(row.action),
        username=row.username,
        reason_kind=row.reason_kind,
        reason_ref=row.reason_ref,
        reason_note=row.reason_note,
        parent_id=row.parent_id,
        started_at=row.started_at,
        ended_at=row.ended_at,
        duration_s=row.duration_s,
    )


def _report(
    entries: list[ViewOut], since: datetime, until: datetime, person: str | None, camera: str | None
) -> UsageReport:
    seconds: dict[str, float] = defaultdict(float)
    actions: dict[str, Counter[str]] = defaultdict(Counter)
    for view in entries:
        seconds[view.camera] += view.duration_s or 0.0
        actions[view.camera][view.action.value] += 1
    by_camera = [
        CameraUse(
            camera=code,
            views=sum(actions[code].values()),
            seconds=round(seconds[code], 3),
            actions=dict(actions[code]),
        )
        for code in sorted(actions)
    ]
    return UsageReport(
        person=person,
        camera=camera,
        since=since,
        until=until,
        views=len(entries),
        seconds=round(sum(seconds.values()), 3),
        without_end=sum(1 for view in entries if view.ended_at is None),
        by_camera=by_camera,
        by_reason=dict(Counter(view.reason_kind.value for view in entries)),
        entries=entries,
    )
