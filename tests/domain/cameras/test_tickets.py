"""Maintenance tickets: one per outage, one e-mail received by a real SMTP server, new problems
joining the open ticket without another message, a closing message on recovery, failed mail
retried, contacts without e-mail, and the cameras' own tamper events."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from tests.domain.cameras.health_support import MAIL_RETRY_S, monitor, register
from tests.support.rtsp import RtspServer, rtsp_server  # noqa: F401
from tests.support.smtp import SmtpServer, smtp_server  # noqa: F401
from watchfloor.app import Watchfloor
from watchfloor.core.clock import ManualClock
from watchfloor.domain.cameras.health_monitor import HealthMonitor
from watchfloor.domain.cameras.health_schemas import CameraHealthOut
from watchfloor.events.cameras import CameraEvent, CameraEventKind, camera_bus_event

__all__ = ["monitor"]


async def test_one_ticket_and_one_mail_per_outage_and_a_closing_mail(
    wf: Watchfloor,
    monitor: HealthMonitor,
    rtsp_server: RtspServer,  # noqa: F811
    smtp_server: SmtpServer,  # noqa: F811
) -> None:
    await register(wf, "CAM-T", rtsp_server.url("/live"))
    assert (await monitor.probe("CAM-T")).status == "ok"
    rtsp_server.kill()
    first = await monitor.probe("CAM-T")
    again = await monitor.probe("CAM-T")
    assert first.open_ticket_id is not None
    assert again.open_ticket_id == first.open_ticket_id
    [opening] = smtp_server.received
    assert opening.recipients == ["cameras@lighting.example"]
    assert "CAM-T offline" in opening.subject
    assert "unreachable" in opening.body
    assert "rtsp://" not in opening.body
    rtsp_server.start()
    recovered = await monitor.probe("CAM-T")
    assert (recovered.status, recovered.open_ticket_id) == ("ok", None)
    received = await smtp_server.wait_for(2)
    assert len(received) == 2
    assert "recovered" in received[1].subject
    [ticket] = await monitor.desk.tickets(open_only=False)
    assert (ticket.open_mail, ticket.close_mail) == ("sent", "sent")
    assert ticket.closed_at is not None
    assert await monitor.desk.tickets(open_only=True) == []


async def test_new_problems_join_the_open_ticket_without_another_mail(
    wf: Watchfloor,
    monitor: HealthMonitor,
    smtp_server: SmtpServer,  # noqa: F811
) -> None:
    await register(wf, "CAM-J", "rtsp://127.0.0.1:9/live")
    await monitor.probe("CAM-J")
    await monitor.on_camera_event(_event("CAM-J", CameraEventKind.TAMPER_TOO_DARK, True))
    [ticket] = await monitor.desk.tickets(open_only=True)
    assert ticket.problems == ["unreachable", "tamper_too_dark"]
    assert len(smtp_server.received) == 1


async def test_failed_mail_is_retried_and_the_ticket_kept(
    wf: Watchfloor,
    monitor: HealthMonitor,
    clock: ManualClock,
    smtp_server: SmtpServer,  # noqa: F811
) -> None:
    smtp_server.refuse = True
    await register(wf, "CAM-M", "rtsp://127.0.0.1:9/live")
    await monitor.probe("CAM-M")
    [ticket] = await monitor.desk.tickets(open_only=True)
    assert (ticket.open_mail, ticket.mail_attempts) == ("pending", 1)
    assert ticket.mail_error is not None
    assert "451" in ticket.mail_error
    smtp_server.refuse = False
    assert await monitor.desk.deliver_mail() == 0  # not due yet: backing off
    clock.advance(timedelta(seconds=MAIL_RETRY_S))
    assert await monitor.desk.deliver_mail() == 1
    [ticket] = await monitor.desk.tickets(open_only=True)
    assert (ticket.open_mail, ticket.mail_attempts, ticket.mail_error) == ("sent", 0, None)
    assert len(smtp_server.received) == 1


async def test_a_contact_without_e_mail_gets_a_ticket_without_mail(
    wf: Watchfloor,
    monitor: HealthMonitor,
    smtp_server: SmtpServer,  # noqa: F811
) -> None:
    await register(wf, "CAM-P", "rtsp://127.0.0.1:9/live", contact="+358 9 123 4567")
    await monitor.probe("CAM-P")
    [ticket] = await monitor.desk.tickets(open_only=True)
    assert (ticket.addressed_to, ticket.open_mail) == (None, "no_contact")
    assert smtp_server.received == []


async def test_tamper_events_degrade_until_cleared(
    wf: Watchfloor,
    monitor: HealthMonitor,
    rtsp_server: RtspServer,  # noqa: F811
    smtp_server: SmtpServer,  # noqa: F811
) -> None:
    await register(wf, "CAM-E", rtsp_server.url("/live"))
    await monitor.probe("CAM-E")
    follower = asyncio.create_task(monitor.follow_events())
    await asyncio.sleep(0)
    try:
        tamper = _event("CAM-E", CameraEventKind.TAMPER_SCENE_CHANGE, True)
        await wf.bus.publish(camera_bus_event(tamper, wf.clock.now()))
        health = await _until(monitor, "CAM-E", "degraded")
        assert [p.code for p in health.problems] == ["tamper_scene_change"]
        assert health.last_tamper_kind == "tamper_scene_change"
        lost = _event("CAM-E", CameraEventKind.SIGNAL_LOSS, True)
        await wf.bus.publish(camera_bus_event(lost, wf.clock.now()))
        await _until(monitor, "CAM-E", "offline")
        for kind in (CameraEventKind.TAMPER_SCENE_CHANGE, CameraEventKind.SIGNAL_LOSS):
            await wf.bus.publish(camera_bus_event(_event("CAM-E", kind, False), wf.clock.now()))
        await _until(monitor, "CAM-E", "ok")
        assert len(await smtp_server.wait_for(2)) == 2  # opening and closing
    finally:
        follower.cancel()
        await asyncio.gather(follower, return_exceptions=True)
    [ticket] = await monitor.desk.tickets(open_only=False)
    assert ticket.closed_at is not None
    assert ticket.problems == ["signal_loss", "tamper_scene_change"]
    await monitor.on_camera_event(_event("CAM-E", CameraEventKind.MOTION, True))
    await monitor.on_camera_event(_event("NOT-A-CAMERA", CameraEventKind.SIGNAL_LOSS, True))
    assert (await monitor.health("CAM-E")).status == "ok"


def _event(code: str, kind: CameraEventKind, active: bool) -> CameraEvent:
    return CameraEvent(
        camera=code, kind=kind, active=active, topic="tns1:VideoSource/x", at=datetime.now(UTC)
    )


async def _until(monitor: HealthMonitor, code: str, status: str) -> CameraHealthOut:
    for _ in range(100):
        health = await monitor.health(code)
        if health.status == status:
            return health
        await asyncio.sleep(0.02)
    raise AssertionError(f"{code} never became {status}: {health}")
