"""The owner's side of a registration: what a registration must satisfy, and the private page that
views, changes, pauses, resumes or deletes it through a short session opened from the e-mailed
link. Every change is audited without personal details; the listed cameras follow at once."""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from watchfloor.audit.service import AuditEntry, AuditLog
from watchfloor.core.clock import Clock
from watchfloor.core.context import RequestContext
from watchfloor.core.errors import DomainError, NotAuthenticated, Unavailable
from watchfloor.db.engine import Database
from watchfloor.domain.community import links, registry_mail
from watchfloor.domain.community.addresses import AddressBook, AddressPoint
from watchfloor.domain.community.links import Purpose
from watchfloor.domain.community.models import (
    CommunityCamera,
    CommunityLink,
    CommunitySite,
    FootageRequest,
    new_id,
)
from watchfloor.domain.community.nearby import CameraIndex, ListedCamera
from watchfloor.domain.community.postbox import Postbox
from watchfloor.domain.community.request_views import requests_for_site
from watchfloor.domain.community.schemas import (
    DeletionReceipt,
    OwnerView,
    RegistrationOut,
    RegistrationUpdate,
    SiteCameraIn,
    check_registration,
)
from watchfloor.domain.community.vocabulary import SiteKind, SiteStatus
from watchfloor.settings_community import CommunitySettings

log = logging.getLogger(__name__)
SESSION_ENDED = "Your session has ended. Open the private link from your e-mail again."
MAX_SITES_PER_EMAIL = 20


class OwnerDesk:
    """What an owner does with a registration through the private link and its session."""

    def __init__(
        self,
        db: Database,
        clock: Clock,
        audit: AuditLog,
        postbox: Postbox,
        addresses: AddressBook,
        index: CameraIndex,
        settings: CommunitySettings,
    ) -> None:
        self._db = db
        self._clock = clock
        self._audit = audit
        self._postbox = postbox
        self._addresses = addresses
        self._index = index
        self.settings = settings
        self._sending: set[asyncio.Task[None]] = set()

    async def open_session(self, token: str, context: RequestContext) -> tuple[OwnerView, str]:
        """Redeem an owner link: confirm a pending registration, start a session (its token)."""
        now = self._clock.now()
        async with self._db.session() as session:
            link = await links.redeem(session, token, Purpose.OWNER, now)
            site = await _site(session, link.site_id)
            cameras = await _cameras_of(session, site.id)
            if site.status == SiteStatus.PENDING:
                site.status, site.confirmed_at = SiteStatus.ACTIVE.value, now
                for camera in cameras:
                    camera.listed = True
                await self._record(session, context, "community.site.confirm", site, cameras)
            lifetime = timedelta(minutes=self.settings.owner_session_minutes)
            session_token = await links.issue(session, Purpose.SESSION, site.id, now, lifetime)
            view = await self._view(session, site, cameras)
        self._index.replace_site(site.id, listed_of(site, cameras))
        return view, session_token

    async def view(self, session_token: str | None) -> OwnerView:
        """The owner page: the registration, its state and the requests made of it."""
        async with self._db.read_session() as session:
            site = await self._site_for(session, session_token, lock=False)
            return await self._view(session, site, await _cameras_of(session, site.id))

    async def update(
        self, session_token: str | None, body: RegistrationUpdate, context: RequestContext
    ) -> OwnerView:
        """Change the registration; a new e-mail address gets a new link, the old one a notice."""
        point = check_registration(body, self._addresses, self.settings)
        now = self._clock.now()
        async with self._db.session() as session:
            site = await self._site_for(session, session_token)
            old_email = site.email
            fill_site(site, body, point, now)
            cameras = await sync_cameras(session, site, body.cameras)
            if site.email != old_email:
                await self._send_owner_link(session, site)
            await self._record(session, context, "community.site.update", site, cameras)
            view = await self._view(session, site, cameras)
        self._index.replace_site(site.id, listed_of(site, cameras))
        if site.email != old_email:
            await self._send_quietly(old_email, registry_mail.email_changed(site.address))
        return view

    async def set_listed(
        self, session_token: str | None, listed: bool, context: RequestContext
    ) -> OwnerView:
        """Pause (unlist) or resume (list) every camera of the registration at once."""
        async with self._db.session() as session:
            site = await self._site_for(session, session_token)
            cameras = await _cameras_of(session, site.id)
            site.status = (SiteStatus.ACTIVE if listed else SiteStatus.PAUSED).value
            site.updated_at = self._clock.now()
            for camera in cameras:
                camera.listed = listed
            action = "community.site.resume" if listed else "community.site.pause"
            await self._record(session, context, action, site, cameras)
            view = await self._view(session, site, cameras)
        self._index.replace_site(site.id, listed_of(site, cameras))
        return view

    async def delete(self, session_token: str | None, context: RequestContext) -> DeletionReceipt:
        """Really delete the registration, its cameras and links; the audit record is the
        receipt. Requests made earlier stay, without the site."""
        now = self._clock.now()
        async with self._db.session() as session:
            site = await self._site_for(session, session_token)
            cameras = await _cameras_of(session, site.id)
            email, address, site_id = site.email, site.address, site.id
            receipt = await self._record(session, context, "community.site.delete", site, cameras)
            await session.execute(
                update(FootageRequest).where(FootageRequest.site_id == site_id).values(site_id=None)
            )
            await session.execute(delete(CommunityLink).where(CommunityLink.site_id == site_id))
            await session.execute(delete(CommunityCamera).where(CommunityCamera.site_id == site_id))
            await session.execute(delete(CommunitySite).where(CommunitySite.id == site_id))
        self._index.remove_site(site_id)
        await self._send_quietly(email, registry_mail.deleted(address, now, receipt))
        return DeletionReceipt(deleted_at=now, receipt=receipt)

    async def end_session(self, session_token: str | None) -> None:
        """Log the owner page out: its session link is void."""
        now = self._clock.now()
        async with self._db.session() as session:
            try:
                link = await links.redeem(session, session_token, Purpose.SESSION, now)
            except DomainError:
                return
            await links.revoke(session, Purpose.SESSION, link.site_id)

    def send_links(self, email: str) -> None:
        """E-mail a fresh owner link to every registration of this address, in the background so
        the answer (and its timing) is the same whether or not there are any."""
        task = asyncio.create_task(self._send_links(email))
        self._sending.add(task)
        task.add_done_callback(self._sending.discard)

    async def settle(self) -> None:
        """Wait for link e-mails in flight (at stop, and in tests)."""
        while self._sending:
            await asyncio.gather(*list(self._sending), return_exceptions=True)

    async def _send_links(self, email: str) -> None:
        query = (
            select(CommunitySite.id)
            .where(CommunitySite.email == email.lower())
            .limit(MAX_SITES_PER_EMAIL)
        )
        async with self._db.read_session() as session:
            site_ids = list((await session.execute(query)).scalars())
        for site_id in site_ids:
            try:
                async with self._db.session() as session:
                    site = await session.get(CommunitySite, site_id)
                    if site is not None:
                        await self._send_owner_link(session, site)
            except DomainError as error:  # the previous link stays valid: nothing was committed
                log.warning("community owner link not sent: %s", error.code)

    async def _send_owner_link(self, session: AsyncSession, site: CommunitySite) -> None:
        """A new owner link (the previous one dies) mailed inside the caller's transaction, so a
        refused e-mail changes nothing."""
        days = self.settings.owner_link_days
        now = self._clock.now()
        token = await links.issue(session, Purpose.OWNER, site.id, now, timedelta(days=days))
        mail = registry_mail.new_link(self.settings.public_base_url, token, days, site.address)
        await self._postbox.send(site.email, mail.subject, mail.body)

    async def _send_quietly(self, to: str, mail: registry_mail.Mail) -> None:
        try:
            await self._postbox.send(to, mail.subject, mail.body)
        except Unavailable:
            log.warning("community notice not sent (the change itself is kept)")

    async def _site_for(
        self, session: AsyncSession, session_token: str | None, lock: bool = True
    ) -> CommunitySite:
        try:
            link = await links.redeem(session, session_token, Purpose.SESSION, self._clock.now())
        except DomainError:
            raise NotAuthenticated(SESSION_ENDED, code="owner_session") from None
        return await _site(session, link.site_id, lock)

    async def _view(
        self, session: AsyncSession, site: CommunitySite, cameras: list[CommunityCamera]
    ) -> OwnerView:
        expires = await links.live_until(session, Purpose.OWNER, site.id, self._clock.now())
        registration = RegistrationOut.model_validate(
            {**_columns(site), "cameras": [_columns(c) for c in cameras]}
        )
        return OwnerView(
            registration=registration,
            status=SiteStatus(site.status),
            link_expires_at=expires,
            requests=await requests_for_site(session, site.id),
        )

    async def _record(
        self,
        session: AsyncSession,
        context: RequestContext,
        action: str,
        site: CommunitySite,
        cameras: list[CommunityCamera],
    ) -> str:
        details = {"kind": site.kind, "status": site.status, "cameras": len(cameras)}
        entry = AuditEntry(action, object_type="community_site", object_id=site.id, details=details)
        return await self._audit.record(session, context, entry)


async def _site(session: AsyncSession, site_id: str, lock: bool = True) -> CommunitySite:
    site = await session.get(CommunitySite, site_id, with_for_update=lock)
    if site is None:
        raise NotAuthenticated(SESSION_ENDED, code="owner_session")
    return site


async def _cameras_of(session: AsyncSession, site_id: str) -> list[CommunityCamera]:
    query = (
        select(CommunityCamera)
        .where(CommunityCamera.site_id == site_id)
        .order_by(CommunityCamera.label, CommunityCamera.id)
    )
    return list((await session.execute(query)).scalars())


def fill_site(
    site: CommunitySite, body: RegistrationUpdate, point: AddressPoint, now: datetime
) -> None:
    """Copy what the owner sent onto the site (a home keeps no business name)."""
    site.kind = body.kind.value
    site.name = body.name if body.kind == SiteKind.BUSINESS else None
    site.contact_name = body.contact_name
    site.email = body.email
    site.phone = body.phone
    site.address, site.address_key = point.address, point.key
    site.lat, site.lon = body.lat, body.lon
    site.retention_days = body.retention_days
    site.accepts = [kind.value for kind in body.accepts]
    site.contact_times = body.contact_times
    site.updated_at = now


async def sync_cameras(
    session: AsyncSession, site: CommunitySite, wanted: list[SiteCameraIn]
) -> list[CommunityCamera]:
    """The site's cameras become the wanted ones: known ids keep their rows, others are new,
    and cameras left out are deleted. Listed when the site is active."""
    existing = {camera.id: camera for camera in await _cameras_of(session, site.id)}
    kept: list[CommunityCamera] = []
    for camera in wanted:
        row = existing.pop(camera.id, None) if camera.id else None
        if row is None:
            row = CommunityCamera(id=new_id(), site_id=site.id)
            session.add(row)
        row.label = camera.label
        row.lat = camera.lat if camera.lat is not None else site.lat
        row.lon = camera.lon if camera.lon is not None else site.lon
        row.bearing, row.fov_angle, row.range_m = camera.bearing, camera.fov_angle, camera.range_m
        row.covers = [c.value for c in camera.covers]
        row.listed = site.status == SiteStatus.ACTIVE
        kept.append(row)
    for gone in existing.values():
        await session.delete(gone)
    await session.flush()
    return sorted(kept, key=lambda c: (c.label, c.id))


def listed_of(site: CommunitySite, cameras: list[CommunityCamera]) -> list[ListedCamera]:
    """The cameras of the site the RTCC may see (none unless the site is active)."""
    if site.status != SiteStatus.ACTIVE:
        return []
    return [
        ListedCamera(
            id=c.id,
            site_id=site.id,
            label=c.label,
            lat=c.lat,
            lon=c.lon,
            bearing=c.bearing,
            fov_angle=c.fov_angle,
            range_m=c.range_m,
            covers=tuple(c.covers),
            retention_days=site.retention_days,
            site_kind=site.kind,
            site_name=site.name,
            accepts=tuple(site.accepts),
        )
        for c in cameras
        if c.listed
    ]


def _columns(row: object) -> dict[str, object]:
    table = row.__table__  # type: ignore[attr-defined]
    return {column.key: getattr(row, column.key) for column in table.columns}
