"""The footage requests' periodic job: one reminder before an owner's recordings are overwritten,
and expiry of requests no longer answerable. Running it twice does nothing twice."""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta

from sqlalchemy import or_, select, update

from watchfloor.audit.service import AuditEntry, AuditLog
from watchfloor.core.bus import EventBus
from watchfloor.core.clock import Clock
from watchfloor.core.context import Actor, RequestContext
from watchfloor.core.errors import Unavailable
from watchfloor.db.engine import Database
from watchfloor.domain.community import links
from watchfloor.domain.community.models import CommunitySite, FootageRequest
from watchfloor.domain.community.postbox import Postbox
from watchfloor.domain.community.request_mail import answer_link, reminder_mail
from watchfloor.domain.community.request_views import camera_labels, facts_of, publish_change
from watchfloor.domain.community.requests import OBJECT
from watchfloor.domain.community.uploads import discard_partials, remove_files, spool_dir
from watchfloor.domain.community.vocabulary import OPEN_STATUSES, RequestStatus
from watchfloor.settings import Settings

log = logging.getLogger(__name__)
SYSTEM = RequestContext(actor=Actor.system("community-requests"))
OPEN = [status.value for status in OPEN_STATUSES]


class RequestKeeper:
    """Reminds owners once and expires requests past their link's life or the footage's."""

    def __init__(
        self,
        db: Database,
        clock: Clock,
        bus: EventBus,
        audit: AuditLog,
        postbox: Postbox,
        settings: Settings,
    ) -> None:
        self._db = db
        self._clock = clock
        self._bus = bus
        self._audit = audit
        self._postbox = postbox
        self._settings = settings.community
        self._spool = spool_dir(settings)
        self.every_s = settings.community.expire_every_s

    async def run_once(self) -> tuple[int, int]:
        """Expire what is due, then send the reminders due: (expired, reminded)."""
        expired = await self.expire_due()
        reminded = await self.remind_due()
        return expired, reminded

    async def expire_due(self) -> int:
        """Close every open request past its expiry or its footage's loss."""
        now = self._clock.now()
        async with self._db.read_session() as session:
            due = (
                await session.execute(
                    select(FootageRequest.id).where(
                        FootageRequest.status.in_(OPEN),
                        or_(
                            FootageRequest.expires_at <= now, FootageRequest.footage_lost_at <= now
                        ),
                    )
                )
            ).scalars()
            ids = list(due)
        count = 0
        for request_id in ids:
            count += await self._expire(request_id, now)
        return count

    async def remind_due(self) -> int:
        """Send the one reminder to owners whose recordings will soon be overwritten."""
        now = self._clock.now()
        lead = timedelta(hours=self._settings.reminder_lead_h)
        async with self._db.read_session() as session:
            due = (
                await session.execute(
                    select(FootageRequest.id).where(
                        FootageRequest.status.in_(OPEN),
                        FootageRequest.reminded_at.is_(None),
                        FootageRequest.footage_lost_at <= now + lead,
                        FootageRequest.footage_lost_at > now,
                        FootageRequest.expires_at > now,
                    )
                )
            ).scalars()
            ids = list(due)
        count = 0
        for request_id in ids:
            try:
                count += await self._remind(request_id, now)
            except Unavailable:
                log.warning("community: reminder for request %s not sent; next run", request_id)
        return count

    async def _expire(self, request_id: str, now: datetime) -> int:
        async with self._db.session() as session:
            row = await session.get(FootageRequest, request_id)
            if row is None or row.status not in OPEN:
                return 0
            row.status = RequestStatus.EXPIRED.value
            if row.site_id is not None:
                await links.revoke(session, links.Purpose.UPLOAD, row.site_id, row.id)
            partials = await discard_partials(session, self._spool, row.id)
            entry = AuditEntry(
                "community.request.expire",
                object_type=OBJECT,
                object_id=row.id,
                details={"incident_id": row.incident_id, "status": row.status},
            )
            await self._audit.record(session, SYSTEM, entry)
        await asyncio.to_thread(remove_files, partials)
        await publish_change(self._bus, row, SYSTEM, now)
        return 1

    async def _remind(self, request_id: str, now: datetime) -> int:
        """Mark and send in one transaction: a failed e-mail is tried again on the next run."""
        async with self._db.session() as session:
            claimed = await session.execute(
                update(FootageRequest)
                .where(FootageRequest.id == request_id, FootageRequest.reminded_at.is_(None))
                .values(reminded_at=now)
            )
            row = await session.get(FootageRequest, request_id)
            site = await session.get(CommunitySite, row.site_id) if row and row.site_id else None
            if claimed.rowcount != 1 or row is None or site is None:  # type: ignore[attr-defined]
                return 0
            link = None
            if row.status == RequestStatus.SENT.value:
                # never opened, so no page holds the old link: a fresh one replaces it
                token = await links.issue(
                    session, links.Purpose.UPLOAD, site.id, now, row.expires_at - now, row.id
                )
                link = answer_link(self._settings.public_base_url, token)
            labels = await camera_labels(session, row.camera_ids)
            facts = facts_of(row, list(labels.values()))
            subject, body = reminder_mail(facts, link, self._settings.mail_timezone)
            await self._postbox.send(site.email, subject, body)
        return 1
