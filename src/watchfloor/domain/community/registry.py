"""The community camera registry: public registration, the listed cameras kept in memory for the
context packet and the map, and the RTCC's audited reads of them (never an owner's details)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from watchfloor.audit.service import AuditEntry, AuditLog
from watchfloor.core.clock import Clock
from watchfloor.core.context import Actor, RequestContext
from watchfloor.db.engine import Database
from watchfloor.domain.community import links, registry_mail
from watchfloor.domain.community.addresses import AddressBook
from watchfloor.domain.community.links import Purpose
from watchfloor.domain.community.models import CommunityCamera, CommunitySite, new_id
from watchfloor.domain.community.nearby import CameraIndex, ListedCamera
from watchfloor.domain.community.owner import OwnerDesk, fill_site, listed_of, sync_cameras
from watchfloor.domain.community.postbox import Postbox
from watchfloor.domain.community.schemas import (
    AddressMatch,
    CommunityCameraNear,
    CommunityCameraOut,
    RegistrationIn,
    check_registration,
)
from watchfloor.domain.community.vocabulary import SiteKind, SiteStatus
from watchfloor.domain.context.schemas import CommunityCamera as ContextCamera
from watchfloor.settings_community import CommunitySettings

PURGER = RequestContext(actor=Actor.system("community-purge"))
MAX_SUGGESTIONS = 8


class CommunityRegistry:
    """Registrations and their listed cameras; `owners` is the owner's private page."""

    def __init__(
        self,
        db: Database,
        clock: Clock,
        audit: AuditLog,
        postbox: Postbox,
        addresses: AddressBook,
        settings: CommunitySettings,
        index: CameraIndex | None = None,
    ) -> None:
        self._db = db
        self._clock = clock
        self._audit = audit
        self._postbox = postbox
        self.addresses = addresses
        self.index = index or CameraIndex()
        self.settings = settings
        self.owners = OwnerDesk(db, clock, audit, postbox, addresses, self.index, settings)

    async def load(self) -> int:
        """Fill the index with every listed camera (at start); how many there are."""
        query = (
            select(CommunityCamera, CommunitySite)
            .join(CommunitySite, CommunitySite.id == CommunityCamera.site_id)
            .where(CommunityCamera.listed.is_(True), CommunitySite.status == SiteStatus.ACTIVE)
        )
        by_site: dict[str, tuple[CommunitySite, list[CommunityCamera]]] = {}
        async with self._db.read_session() as session:
            for camera, site in (await session.execute(query)).all():
                by_site.setdefault(site.id, (site, []))[1].append(camera)
        self.index.clear()
        for site, cameras in by_site.values():
            self.index.replace_site(site.id, listed_of(site, cameras))
        return len(self.index)

    def suggest(self, query: str) -> list[AddressMatch]:
        """Addresses like what the resident typed, for the address field."""
        return [
            AddressMatch(address=p.address, lat=p.lat, lon=p.lon, district=p.district)
            for p in self.addresses.suggest(query, MAX_SUGGESTIONS)
        ]

    async def register(self, body: RegistrationIn, context: RequestContext) -> None:
        """Record a pending registration and e-mail its confirmation link; a refused e-mail
        stores nothing. Registering an address already known makes another pending site, so
        the answer never tells whether someone is registered."""
        point = check_registration(body, self.addresses, self.settings)
        now = self._clock.now()
        days = self.settings.owner_link_days
        async with self._db.session() as session:
            site = CommunitySite(id=new_id(), status=SiteStatus.PENDING.value, created_at=now)
            fill_site(site, body, point, now)
            session.add(site)
            await session.flush()
            cameras = await sync_cameras(session, site, body.cameras)
            details = {"kind": site.kind, "cameras": len(cameras)}
            entry = AuditEntry(
                "community.site.register",
                object_type="community_site",
                object_id=site.id,
                details=details,
            )
            await self._audit.record(session, context, entry)
            token = await links.issue(session, Purpose.OWNER, site.id, now, timedelta(days=days))
            mail = registry_mail.confirmation(
                self.settings.public_base_url, token, days, self.settings.pending_expire_h
            )
            await self._postbox.send(site.email, mail.subject, mail.body)

    async def purge_pending(self) -> int:
        """Delete registrations never confirmed within pending_expire_h (a periodic job)."""
        cutoff = self._clock.now() - timedelta(hours=self.settings.pending_expire_h)
        async with self._db.session() as session:
            stale = select(CommunitySite.id).where(
                CommunitySite.status == SiteStatus.PENDING, CommunitySite.created_at < cutoff
            )
            site_ids = list((await session.execute(stale)).scalars())
            if not site_ids:
                return 0
            await session.execute(delete(CommunitySite).where(CommunitySite.id.in_(site_ids)))
            details = {"sites": len(site_ids)}
            entry = AuditEntry(
                "community.site.purge", object_type="community_site", details=details
            )
            await self._audit.record(session, PURGER, entry)
        return len(site_ids)

    async def near(
        self, lat: float, lon: float, radius_m: float, limit: int
    ) -> list[ContextCamera]:
        """Listed cameras within radius_m, nearest first (the context packet's section)."""
        return [_context_camera(d, c) for d, c in self.index.near(lat, lon, radius_m, limit)]

    async def layer(
        self, box: tuple[float, float, float, float], context: RequestContext
    ) -> list[CommunityCameraOut]:
        """Listed cameras in a (south, west, north, east) box for the map (audited)."""
        found = self.index.in_box(*box, self.settings.layer_limit)
        details = {"box": list(box), "cameras": len(found)}
        entry = AuditEntry(
            "community.cameras.layer",
            reason="map layer",
            object_type="community_camera",
            details=details,
        )
        await self._audit.record_alone(context, entry)
        return [CommunityCameraOut.model_validate(_fields(c)) for c in found]

    async def near_for(
        self,
        point: tuple[float, float],
        radius_m: float,
        reason: str,
        incident_id: str | None,
        context: RequestContext,
    ) -> list[CommunityCameraNear]:
        """Listed cameras near a point for an operator, nearest first (audited with reason)."""
        radius = min(radius_m, self.settings.near_radius_max_m)
        found = self.index.near(point[0], point[1], radius, self.settings.near_limit)
        details = {"lat": point[0], "lon": point[1], "radius_m": radius, "cameras": len(found)}
        entry = AuditEntry(
            "community.cameras.near",
            reason=reason,
            object_type="incident" if incident_id else "community_camera",
            object_id=incident_id,
            details=details,
        )
        await self._audit.record_alone(context, entry)
        return [
            CommunityCameraNear.model_validate({**_fields(c), "distance_m": round(d, 1)})
            for d, c in found
        ]


async def listed_cameras(session: AsyncSession, camera_ids: Sequence[str]) -> list[CommunityCamera]:
    """The listed cameras among these ids (a footage request may name only these)."""
    if not camera_ids:
        return []
    query = select(CommunityCamera).where(
        CommunityCamera.id.in_(list(camera_ids)), CommunityCamera.listed.is_(True)
    )
    return list((await session.execute(query)).scalars())


def _fields(camera: ListedCamera) -> dict[str, object]:
    return {
        "id": camera.id,
        "site_id": camera.site_id,
        "label": camera.label,
        "lat": camera.lat,
        "lon": camera.lon,
        "bearing": camera.bearing,
        "fov_angle": camera.fov_angle,
        "range_m": camera.range_m,
        "covers": list(camera.covers),
        "retention_days": camera.retention_days,
        "site_kind": camera.site_kind,
        "site_name": camera.site_name,
        "accepts": list(camera.accepts),
    }


def _context_camera(distance: float, camera: ListedCamera) -> ContextCamera:
    name = camera.label
    if camera.site_kind == SiteKind.BUSINESS and camera.site_name:
        name = f"{camera.site_name}: {camera.label}"
    return ContextCamera(
        id=camera.id,
        name=name,
        distance_m=round(distance, 1),
        retention_days=camera.retention_days,
        covers=list(camera.covers),
        site_id=camera.site_id,
        lat=camera.lat,
        lon=camera.lon,
        bearing=camera.bearing,
        fov_angle=camera.fov_angle,
        range_m=camera.range_m,
        accepts=list(camera.accepts),
        site_kind=camera.site_kind,
    )
