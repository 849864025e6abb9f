"""Composition of Community Connect: the registry of community cameras and its public pages,
footage requests and owners' uploads, built together for app.py."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from importlib.resources import files

from fastapi import APIRouter

from watchfloor.audit.service import AuditLog
from watchfloor.connectors.smtp.mailer import Mailer
from watchfloor.core.bus import EventBus
from watchfloor.core.clock import Clock
from watchfloor.core.schedule import Periodic
from watchfloor.db.engine import Database
from watchfloor.domain.community import public_routes as community_public_routes
from watchfloor.domain.community import request_routes, request_views, upload_routes
from watchfloor.domain.community import routes as community_routes
from watchfloor.domain.community.addresses import AddressBook
from watchfloor.domain.community.guard import RateLimiter
from watchfloor.domain.community.postbox import Postbox
from watchfloor.domain.community.registry import CommunityRegistry
from watchfloor.domain.community.reminders import RequestKeeper
from watchfloor.domain.community.requests import FootageDesk
from watchfloor.domain.community.stats import RequestStatistics
from watchfloor.domain.community.uploads import UploadDesk
from watchfloor.domain.context.sources import CommunityCameras
from watchfloor.domain.evidence.store import EvidenceStore
from watchfloor.domain.incidents.service import IncidentService
from watchfloor.live.hub import LiveHub
from watchfloor.settings import Settings


@dataclass
class CommunityParts:
    """The components of Community Connect (issue 8), built together."""

    postbox: Postbox
    limiter: RateLimiter
    # [registry fields]
    registry: CommunityRegistry
    # [requests fields]
    requests: FootageDesk
    request_stats: RequestStatistics
    request_keeper: RequestKeeper
    # [uploads fields]
    uploads: UploadDesk

    def context_source(self) -> CommunityCameras:
        """Where the context packet finds registered cameras near an incident."""
        # [registry context source]
        return self.registry

    def periodic_jobs(self) -> list[Periodic]:
        """Community Connect's scheduled jobs."""
        return [
            # [registry jobs]
            Periodic(
                "community-pending-purge",
                self.registry.settings.purge_every_s,
                self.registry.purge_pending,
                30.0,
            ),
            # [requests jobs]
            Periodic(
                "community-request-keeper",
                self.request_keeper.every_s,
                self.request_keeper.run_once,
                20.0,
            ),
            # [uploads jobs]
        ]

    async def start(self, tasks: list[asyncio.Task[None]]) -> None:
        """Load what the registry keeps in memory; long-running work goes into `tasks`."""
        del tasks
        # [registry start]
        await self.registry.load()
        # [requests start]
        # [uploads start]

    async def stop(self) -> None:
        """Finish work in flight."""
        # [uploads stop]
        # [requests stop]
        # [registry stop]
        await self.registry.owners.settle()


def community_routers() -> list[APIRouter]:
    """The HTTP routers of Community Connect (public and RTCC side)."""
    return [
        # [registry routers]
        community_public_routes.router,
        community_routes.router,
        # [requests routers]
        request_routes.router,
        # [uploads routers]
        upload_routes.router,
    ]


def build_community(
    settings: Settings,
    clock: Clock,
    db: Database,
    bus: EventBus,
    audit: AuditLog,
    incidents: IncidentService,
    evidence: EvidenceStore,
    live: LiveHub,
) -> CommunityParts:
    """Build Community Connect over the shared services."""
    # [registry build]
    demo_city = files("watchfloor").joinpath("demo/city/addresses.json")
    addresses = AddressBook.from_file(settings.community.addresses_path or demo_city)
    # [requests build]
    live.add_translator(request_views.PATTERN, request_views.request_message)
    # [uploads build]
    postbox = Postbox(_mailer(settings), settings.data_dir / "outbox", settings.community.mail_from)
    limiter = RateLimiter(clock)
    return CommunityParts(
        postbox=postbox,
        limiter=limiter,
        # [registry wiring]
        registry=CommunityRegistry(db, clock, audit, postbox, addresses, settings.community),
        # [requests wiring]
        requests=FootageDesk(db, clock, bus, audit, postbox, incidents, settings),
        request_stats=RequestStatistics(db, clock, audit, settings.community.transparency_months),
        request_keeper=RequestKeeper(db, clock, bus, audit, postbox, settings),
        # [uploads wiring]
        uploads=UploadDesk(db, clock, evidence, settings),
    )


def _mailer(settings: Settings) -> Mailer | None:
    """The installation's SMTP server, sending as Community Connect; None writes an outbox."""
    video = settings.video
    if not video.smtp_url:
        return None
    password = video.smtp_password.get_secret_value() if video.smtp_password else None
    return Mailer(video.smtp_url, video.smtp_user, password, settings.community.mail_from)
