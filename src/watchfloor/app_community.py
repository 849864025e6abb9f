"""Composition of Community Connect: the registry of community cameras and its public pages,
footage requests and owners' uploads, built together for app.py."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from fastapi import APIRouter

from watchfloor.audit.service import AuditLog
from watchfloor.connectors.smtp.mailer import Mailer
from watchfloor.core.bus import EventBus
from watchfloor.core.clock import Clock
from watchfloor.core.schedule import Periodic
from watchfloor.db.engine import Database
from watchfloor.domain.community.guard import RateLimiter
from watchfloor.domain.community.postbox import Postbox
from watchfloor.domain.context.sources import CommunityCameras, NoCommunityCameras
from watchfloor.domain.evidence.store import EvidenceStore
from watchfloor.domain.incidents.service import IncidentService
from watchfloor.settings import Settings


@dataclass
class CommunityParts:
    """The components of Community Connect (issue 8), built together."""

    postbox: Postbox
    limiter: RateLimiter
    # [registry fields]
    # [requests fields]
    # [uploads fields]

    def context_source(self) -> CommunityCameras:
        """Where the context packet finds registered cameras near an incident."""
        # [registry context source]
        return NoCommunityCameras()

    def periodic_jobs(self) -> list[Periodic]:
        """Community Connect's scheduled jobs."""
        return [
            # [registry jobs]
            # [requests jobs]
            # [uploads jobs]
        ]

    async def start(self, tasks: list[asyncio.Task[None]]) -> None:
        """Load what the registry keeps in memory; long-running work goes into `tasks`."""
        del tasks
        # [registry start]
        # [requests start]
        # [uploads start]

    async def stop(self) -> None:
        """Finish work in flight."""
        # [uploads stop]
        # [requests stop]
        # [registry stop]


def community_routers() -> list[APIRouter]:
    """The HTTP routers of Community Connect (public and RTCC side)."""
    return [
        # [registry routers]
        # [requests routers]
        # [uploads routers]
    ]


def build_community(
    settings: Settings,
    clock: Clock,
    db: Database,
    bus: EventBus,
    audit: AuditLog,
    incidents: IncidentService,
    evidence: EvidenceStore,
) -> CommunityParts:
    """Build Community Connect over the shared services."""
    # [registry build]
    # [requests build]
    # [uploads build]
    postbox = Postbox(_mailer(settings), settings.data_dir / "outbox", settings.community.mail_from)
    limiter = RateLimiter(clock)
    return CommunityParts(
        postbox=postbox,
        limiter=limiter,
        # [registry wiring]
        # [requests wiring]
        # [uploads wiring]
    )


def _mailer(settings: Settings) -> Mailer | None:
    """The installation's SMTP server, sending as Community Connect; None writes an outbox."""
    video = settings.video
    if not video.smtp_url:
        return None
    password = video.smtp_password.get_secret_value() if video.smtp_password else None
    return Mailer(video.smtp_url, video.smtp_user, password, settings.community.mail_from)
