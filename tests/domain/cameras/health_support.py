"""Shared bits of the camera health tests: a monitor over the test Watchfloor with a real SMTP
server, and cameras registered on the real RTSP test server."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.support.smtp import SmtpServer
from watchfloor.app import Watchfloor
from watchfloor.connectors.smtp.mailer import Mailer
from watchfloor.core.context import Actor, RequestContext
from watchfloor.domain.cameras.health_monitor import HealthMonitor, RetryPolicy
from watchfloor.domain.cameras.schemas import CameraIn, CameraPatch
from watchfloor.domain.cameras.tickets import TicketDesk

CONTEXT = RequestContext(actor=Actor(username="sup-1"))
CONTACT = "Street Lighting Ltd <cameras@lighting.example>"
MAIL_RETRY_S = 60.0


def build_monitor(wf: Watchfloor, smtp_url: str | None) -> HealthMonitor:
    """A monitor with short samples and quick retries, mailing through smtp_url."""
    video = wf.settings.video.model_copy(update={"probe_sample_s": 1.0, "probe_every_s": 600})
    mailer = Mailer(smtp_url, None, None, "watchfloor@rtcc.example") if smtp_url else None
    desk = TicketDesk(wf.db, wf.clock, mailer, retry_initial_s=MAIL_RETRY_S)
    retry = RetryPolicy(attempts=2, initial_s=0.05, max_s=0.2)
    return HealthMonitor(wf.db, wf.clock, wf.bus, wf.audit, desk, video, retry=retry)


@pytest.fixture
async def monitor(wf: Watchfloor, smtp_server: SmtpServer) -> AsyncIterator[HealthMonitor]:
    """A health monitor mailing through the test SMTP server, closed after the test."""
    built = build_monitor(wf, smtp_server.url)
    try:
        yield built
    finally:
        await built.close()


async def register(
    wf: Watchfloor, code: str, url: str, contact: str | None = CONTACT, **fields: object
) -> None:
    """Register a fixed camera streaming from url."""
    body = CameraIn.model_validate(
        {
            "code": code,
            "name": f"Camera {code}",
            "kind": "city",
            "owner": "City",
            "lat": 60.17,
            "lon": 24.94,
            "stream_urls": [url],
            "maintenance_contact": contact,
            **fields,
        }
    )
    await wf.cameras.create(body, CONTEXT)


async def point_at(wf: Watchfloor, code: str, url: str) -> None:
    """Change the camera's stream address."""
    await wf.cameras.update(code, CameraPatch.model_validate({"stream_urls": [url]}), CONTEXT)
