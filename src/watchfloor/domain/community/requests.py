"""Footage requests: the RTCC asks an owner for recordings of an incident's time window; the
owner answers through a one-time link (upload or decline). Every request, withdrawal and verdict
is audited with its reason, and every change of status goes onto the bus."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from watchfloor.audit.service import AuditEntry, AuditLog
from watchfloor.core.bus import EventBus
from watchfloor.core.clock import Clock
from watchfloor.core.context import RequestContext
from watchfloor.core.errors import Conflict, FieldProblem, InvalidInput, NotFound
from watchfloor.db.engine import Database
from watchfloor.domain.community import links
from watchfloor.domain.community.models import (
    CommunityCamera,
    CommunitySite,
    FootageRequest,
    FootageUpload,
)
from watchfloor.domain.community.postbox import Postbox
from watchfloor.domain.community.request_mail import (
    answer_link,
    request_mail,
    withdrawn_mail,
)
from watchfloor.domain.community.request_schemas import (
    AnswerView,
    FootageRequestIn,
    FootageRequestOut,
)
from watchfloor.domain.community.request_views import (
    answer_view_of,
    camera_labels,
    facts_of,
    out_of,
    outs_of,
    publish_change,
    site_label,
)
from watchfloor.domain.community.uploads import (
    discard_partials,
    open_request,
    remove_files,
    spool_dir,
)
from watchfloor.domain.community.vocabulary import (
    OPEN_STATUSES,
    RequestStatus,
    SiteStatus,
    UploadStatus,
)
from watchfloor.domain.incidents.claims import who
from watchfloor.domain.incidents.models import Incident
from watchfloor.domain.incidents.service import IncidentService
from watchfloor.domain.incidents.timeline import add_entry
from watchfloor.settings import Settings

OBJECT = "community_request"
CLOCK_SKEW = timedelta(minutes=1)


class FootageDesk:
    """Sends, tracks and closes footage requests; the owner's answer page reads through it."""

    def __init__(
        self,
        db: Database,
        clock: Clock,
        bus: EventBus,
        audit: AuditLog,
        postbox: Postbox,
        incidents: IncidentService,
        settings: Settings,
    ) -> None:
        self._db = db
        self._clock = clock
        self._bus = bus
        self._audit = audit
        self._postbox = postbox
        self._incidents = incidents
        self._settings = settings.community
        self._spool = spool_dir(settings)

    async def create(
        self, data: FootageRequestIn, context: RequestContext
    ) -> list[FootageRequestOut]:
        """One request per site of the chosen cameras, each owner e-mailed an upload link."""
        now = self._clock.now()
        self._check_window(data, now)
        async with self._db.session() as session:
            incident = await session.get(Incident, data.incident_id)
            if incident is None:
                problem = FieldProblem("/incident_id", "no such incident")
                raise InvalidInput("The incident is not known.", [problem])
            by_site = await self._sites_of(session, data)
            made = [
                await self._make(session, incident, site, cameras, data, context, now)
                for site, cameras in by_site
            ]
            outs = [out_of(row, site, []) for row, site in made]
        for row, _ in made:
            await publish_change(self._bus, row, context, now)
        return outs

    async def for_incident(
        self, incident_id: str, context: RequestContext
    ) -> list[FootageRequestOut]:
        """An incident's requests, newest first (an audited read)."""
        async with self._db.session() as session:
            rows = list(
                (
                    await session.execute(
                        select(FootageRequest)
                        .where(FootageRequest.incident_id == incident_id)
                        .order_by(FootageRequest.created_at.desc(), FootageRequest.id)
                    )
                ).scalars()
            )
            outs = await outs_of(session, rows)
            entry = AuditEntry(
                "community.request.list",
                object_type="incident",
                object_id=incident_id,
                details={"count": len(rows)},
            )
            await self._audit.record(session, context, entry)
        return outs

    async def withdraw(
        self, request_id: str, reason: str, context: RequestContext
    ) -> FootageRequestOut:
        """The footage is no longer needed: the link dies and the owner is told."""
        now = self._clock.now()
        async with self._db.session() as session:
            row = await _request(session, request_id)
            if row.status not in OPEN_STATUSES:
                raise Conflict(f"This request is already {row.status}.", code="request_closed")
            row.status = RequestStatus.WITHDRAWN.value
            partials = await self._close(session, row)
            entry = _entry("community.request.withdraw", row, reason, {"status": row.status})
            await self._audit.record(session, context, entry)
            site = await session.get(CommunitySite, row.site_id) if row.site_id else None
            if site is not None:
                labels = await camera_labels(session, row.camera_ids)
                subject, body = withdrawn_mail(
                    facts_of(row, list(labels.values())), self._settings.mail_timezone
                )
                await self._postbox.send(site.email, subject, body)
            out = (await outs_of(session, [row]))[0]
        await asyncio.to_thread(remove_files, partials)
        await publish_change(self._bus, row, context, now)
        return out

    async def mark_useful(
        self, request_id: str, useful: bool, context: RequestContext
    ) -> FootageRequestOut:
        """Record whether the footage helped (for the supervisor's statistics)."""
        async with self._db.session() as session:
            row = await _request(session, request_id)
            if row.status != RequestStatus.UPLOADED.value:
                raise Conflict("Only footage that was sent can be rated.", code="not_uploaded")
            row.useful = useful
            entry = _entry("community.request.useful", row, None, {"useful": useful})
            await self._audit.record(session, context, entry)
            out = (await outs_of(session, [row]))[0]
        await publish_change(self._bus, row, context, self._clock.now())
        return out

    async def answer_view(self, token: str | None, context: RequestContext) -> AnswerView:
        """The owner's view of a request; the first look marks it opened."""
        now = self._clock.now()
        async with self._db.session() as session:
            _, row = await open_request(session, token, now)
            opened = row.status == RequestStatus.SENT.value
            if opened:
                row.status, row.opened_at = RequestStatus.OPENED.value, now
                entry = _entry("community.request.open", row, None, {"status": row.status})
                await self._audit.record(session, context, entry)
            view = await answer_view_of(session, row, self._settings)
        if opened:
            await publish_change(self._bus, row, context, now)
        return view

    async def decline(
        self, token: str | None, note: str | None, context: RequestContext
    ) -> AnswerView:
        """The owner says no (or has nothing): recorded, the link spent, no questions asked."""
        return await self._answer(token, RequestStatus.DECLINED, note, context)

    async def finish(
        self, token: str | None, note: str | None, context: RequestContext
    ) -> AnswerView:
        """The owner has sent what they want to share (at least one stored file)."""
        return await self._answer(token, RequestStatus.UPLOADED, note, context)

    async def _answer(
        self,
        token: str | None,
        status: RequestStatus,
        note: str | None,
        context: RequestContext,
    ) -> AnswerView:
        now = self._clock.now()
        async with self._db.session() as session:
            link, row = await open_request(session, token, now)
            if status is RequestStatus.UPLOADED and not await _has_stored(session, row.id):
                problem = FieldProblem("/files", "no file has been received yet")
                raise InvalidInput("Please upload at least one file first.", [problem])
            row.status, row.answered_at = status.value, now
            if status is RequestStatus.DECLINED:
                row.decline_note = note
            await links.spend(session, link, now)
            partials = await discard_partials(session, self._spool, row.id)
            action = f"community.request.{status.value}"
            details = {"status": row.status, "note_chars": len(note or "")}
            await self._audit.record(session, context, _entry(action, row, None, details))
            timeline = {"request_id": row.id, "note": note}
            add_entry(session, row.incident_id, now, action, "community owner", timeline)
            view = await answer_view_of(session, row, self._settings)
        await asyncio.to_thread(remove_files, partials)
        await publish_change(self._bus, row, context, now)
        return view

    def _check_window(self, data: FootageRequestIn, now: datetime) -> None:
        problems = []
        if data.window_to > now + CLOCK_SKEW:
            problems.append(FieldProblem("/window_to", "in the future"))
        longest = timedelta(hours=self._settings.max_window_h)
        if data.window_to - data.window_from > longest:
            problems.append(
                FieldProblem("/window_to", f"at most {self._settings.max_window_h:g} hours")
            )
        if problems:
            raise InvalidInput("The time window is not acceptable.", problems)

    async def _sites_of(
        self, session: AsyncSession, data: FootageRequestIn
    ) -> list[tuple[CommunitySite, list[CommunityCamera]]]:
        """The chosen cameras grouped by site, each checked (422 naming /camera_ids/<i>)."""
        rows = await session.execute(
            select(CommunityCamera, CommunitySite)
            .join(CommunitySite, CommunitySite.id == CommunityCamera.site_id)
            .where(CommunityCamera.id.in_(data.camera_ids))
        )
        found = {camera.id: (camera, site) for camera, site in rows.all()}
        groups: dict[str, tuple[CommunitySite, list[CommunityCamera]]] = {}
        problems = []
        for i, camera_id in enumerate(data.camera_ids):
            camera, site = found.get(camera_id, (None, None))
            reason = await self._refusal(session, camera, site, data)
            if camera_id in data.camera_ids[:i]:
                reason = "named twice"
            if reason is not None:
                problems.append(FieldProblem(f"/camera_ids/{i}", reason))
            elif camera is not None and site is not None:
                groups.setdefault(site.id, (site, []))[1].append(camera)
        if problems:
            raise InvalidInput("Some cameras cannot be asked for footage.", problems)
        return list(groups.values())

    async def _refusal(
        self,
        session: AsyncSession,
        camera: CommunityCamera | None,
        site: CommunitySite | None,
        data: FootageRequestIn,
    ) -> str | None:
        if camera is None or site is None:
            return "not a listed community camera"
        refused = _site_refusal(camera, site, data, self._clock.now())
        if refused is None and await _open_request_exists(session, site.id, data.incident_id):
            refused = "a request to its owner for this incident is still open"
        return refused

    async def _make(
        self,
        session: AsyncSession,
        incident: Incident,
        site: CommunitySite,
        cameras: list[CommunityCamera],
        data: FootageRequestIn,
        context: RequestContext,
        now: datetime,
    ) -> tuple[FootageRequest, CommunitySite]:
        """One request row, its link, audit record and timeline entry; the owner e-mailed."""
        expires_at = now + timedelta(days=self._settings.request_link_days)
        row = FootageRequest(
            site_id=site.id,
            camera_ids=[c.id for c in cameras],
            incident_id=incident.id,
            incident_type=(incident.type_text or incident.type_code)[:200],
            kind=data.kind.value,
            window_from=data.window_from,
            window_to=data.window_to,
            reason=data.reason,
            requested_by=context.actor.username,
            status=RequestStatus.SENT.value,
            created_at=now,
            footage_lost_at=data.window_from + timedelta(days=site.retention_days),
            expires_at=expires_at,
        )
        session.add(row)
        await session.flush()
        token = await links.issue(
            session, links.Purpose.UPLOAD, site.id, now, expires_at - now, request_id=row.id
        )
        details = {"site_id": site.id, "camera_ids": row.camera_ids, "kind": row.kind}
        entry = _entry("community.request.create", row, data.reason, details)
        await self._audit.record(session, context, entry)
        actor = who(context.actor.username, context.actor.designator)
        timeline = {"request_id": row.id, "site": site_label(site), "cameras": len(cameras)}
        add_entry(session, incident.id, now, "community.request.sent", actor, timeline)
        link = answer_link(self._settings.public_base_url, token)
        facts = facts_of(row, [c.label for c in cameras])
        subject, body = request_mail(facts, link, self._settings.mail_timezone)
        await self._postbox.send(site.email, subject, body)
        return row, site

    async def _close(self, session: AsyncSession, row: FootageRequest) -> list[Path]:
        if row.site_id is not None:
            await links.revoke(session, links.Purpose.UPLOAD, row.site_id, row.id)
        return await discard_partials(session, self._spool, row.id)


async def _request(session: AsyncSession, request_id: str) -> FootageRequest:
    row = await session.get(FootageRequest, request_id[:36])
    if row is None:
        raise NotFound("no such footage request")
    return row


async def _has_stored(session: AsyncSession, request_id: str) -> bool:
    found = await session.scalar(
        select(FootageUpload.id)
        .where(
            FootageUpload.request_id == request_id,
            FootageUpload.status == UploadStatus.STORED.value,
        )
        .limit(1)
    )
    return found is not None


def _site_refusal(
    camera: CommunityCamera, site: CommunitySite, data: FootageRequestIn, now: datetime
) -> str | None:
    """Why this camera's owner cannot be asked (None when they can)."""
    if site.status == SiteStatus.PAUSED.value:
        return "its owner has paused the registration"
    if not camera.listed or site.status != SiteStatus.ACTIVE.value:
        return "not a listed community camera"
    if data.kind.value not in site.accepts:
        return f"its owner does not accept {data.kind.value} requests"
    if data.window_from + timedelta(days=site.retention_days) <= now:
        return f"its recordings of that time are gone (kept {site.retention_days} days)"
    return None


async def _open_request_exists(session: AsyncSession, site_id: str, incident_id: str) -> bool:
    found = await session.scalar(
        select(FootageRequest.id)
        .where(
            FootageRequest.site_id == site_id,
            FootageRequest.incident_id == incident_id,
            FootageRequest.status.in_([s.value for s in OPEN_STATUSES]),
        )
        .limit(1)
    )
    return found is not None


def _entry(
    action: str, row: FootageRequest, reason: str | None, details: dict[str, Any]
) -> AuditEntry:
    return AuditEntry(
        action,
        object_type=OBJECT,
        object_id=row.id,
        reason=reason,
        details={"incident_id": row.incident_id} | details,
    )
