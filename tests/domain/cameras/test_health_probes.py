"""Probing cameras on a real RTSP server: each condition detected (healthy not flagged), status
transitions on the bus, the reference view, backoff for offline cameras, no thread leak."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlalchemy import text

from tests.domain.cameras.health_support import CONTEXT, monitor, point_at, register
from tests.support.garbage import GarbageServer, garbage_server  # noqa: F401
from tests.support.rtsp import RtspServer, rtsp_server, rtsp_server_with_login  # noqa: F401
from tests.support.smtp import smtp_server  # noqa: F401
from watchfloor.app import Watchfloor
from watchfloor.core.clock import ManualClock
from watchfloor.domain.cameras.health_monitor import HealthMonitor
from watchfloor.domain.cameras.health_schemas import ProblemOut

__all__ = ["monitor"]


def _codes(problems: list[ProblemOut]) -> list[str]:
    return [p.code.value for p in problems]


async def test_a_healthy_camera_is_ok_and_gets_a_reference_view(
    wf: Watchfloor,
    monitor: HealthMonitor,
    rtsp_server: RtspServer,  # noqa: F811
) -> None:
    await register(wf, "CAM-OK", rtsp_server.url("/live"))
    health = await monitor.probe("CAM-OK")
    assert health.status == "ok", health
    assert health.problems == []
    assert (health.reachable, health.decodes, health.frozen, health.black) == (
        True,
        True,
        False,
        False,
    )
    assert health.fps is not None
    assert 12 <= health.fps <= 18
    assert health.codec == "h264"
    assert health.reference_at is not None
    assert health.moved_score is not None
    assert health.moved_score < 0.1
    assert health.open_ticket_id is None


async def test_frozen_black_and_moved_cameras_are_degraded(
    wf: Watchfloor,
    monitor: HealthMonitor,
    rtsp_server: RtspServer,  # noqa: F811
) -> None:
    await register(wf, "CAM-FROZEN", rtsp_server.url("/still"))
    await register(wf, "CAM-BLACK", rtsp_server.url("/black"))
    await register(wf, "CAM-MOVED", rtsp_server.url("/live"))
    frozen = await monitor.probe("CAM-FROZEN")
    assert (frozen.status, _codes(frozen.problems)) == ("degraded", ["frozen"])
    assert frozen.reference_at is None  # a frozen picture is no reference
    black = await monitor.probe("CAM-BLACK")
    assert (black.status, _codes(black.problems), black.black) == ("degraded", ["black"], True)
    assert (await monitor.probe("CAM-MOVED")).status == "ok"
    await point_at(wf, "CAM-MOVED", rtsp_server.url("/scene"))
    moved = await monitor.probe("CAM-MOVED")
    assert (moved.status, _codes(moved.problems)) == ("degraded", ["moved"])
    assert moved.moved_score is not None
    assert moved.moved_score > 0.35


async def test_unreachable_unauthorized_and_garbage_cameras_are_offline(
    wf: Watchfloor,
    monitor: HealthMonitor,
    rtsp_server_with_login: RtspServer,  # noqa: F811
    garbage_server: GarbageServer,  # noqa: F811
) -> None:
    server = rtsp_server_with_login
    await register(wf, "CAM-PASS", server.url("/live", credentials=("viewer", "wrong")))
    await register(wf, "CAM-JUNK", garbage_server.url())
    await register(wf, "CAM-GONE", "rtsp://127.0.0.1:9/live")
    refused = await monitor.probe("CAM-PASS")
    assert (refused.status, _codes(refused.problems)) == ("offline", ["unauthorized"])
    assert refused.detail is not None
    assert "wrong" not in refused.detail
    assert "127.0.0.1" not in refused.detail  # the detail never names the address
    junk = await monitor.probe("CAM-JUNK")
    assert (junk.status, _codes(junk.problems)) == ("offline", ["garbage"])
    gone = await monitor.probe("CAM-GONE")
    assert (gone.status, _codes(gone.problems), gone.reachable) == (
        "offline",
        ["unreachable"],
        False,
    )


async def test_status_changes_go_on_the_bus(
    wf: Watchfloor,
    monitor: HealthMonitor,
    rtsp_server: RtspServer,  # noqa: F811
) -> None:
    subscription = wf.bus.subscribe("camera.status.changed")
    await register(wf, "CAM-BUS", rtsp_server.url("/live"))
    await monitor.probe("CAM-BUS")
    await monitor.probe("CAM-BUS")  # unchanged: no event
    rtsp_server.kill()
    await monitor.probe("CAM-BUS")
    seen = [await subscription.get(1.0) for _ in range(2)]
    assert [(e.payload.previous, e.payload.status) for e in seen] == [
        ("unknown", "ok"),
        ("ok", "offline"),
    ]
    assert seen[1].payload.problems == ["unreachable"]
    assert seen[1].location is not None
    assert subscription.dropped == 0
    subscription.close()


async def test_a_sweep_probes_cameras_in_service_and_backs_off_offline_ones(
    wf: Watchfloor,
    monitor: HealthMonitor,
    clock: ManualClock,
    rtsp_server: RtspServer,  # noqa: F811
) -> None:
    await register(wf, "CAM-A", rtsp_server.url("/live"))
    await register(wf, "CAM-DEAD", "rtsp://127.0.0.1:9/live")
    await register(wf, "CAM-PLANNED", rtsp_server.url("/live"), status="planned")
    assert await monitor.probe_all() == 2
    assert (await monitor.health("CAM-PLANNED")).status == "unknown"
    clock.advance(timedelta(seconds=600))
    assert await monitor.probe_all() == 2  # first failure: probed again next sweep
    clock.advance(timedelta(seconds=600))
    assert await monitor.probe_all() == 1  # second failure: skips a sweep
    clock.advance(timedelta(seconds=600))
    assert await monitor.probe_all() == 2


async def test_a_supervisor_sets_the_reference_view_audited(
    wf: Watchfloor,
    monitor: HealthMonitor,
    rtsp_server: RtspServer,  # noqa: F811
) -> None:
    await register(wf, "CAM-REF", rtsp_server.url("/live"))
    await monitor.probe("CAM-REF")
    await point_at(wf, "CAM-REF", rtsp_server.url("/scene"))
    assert (await monitor.probe("CAM-REF")).status == "degraded"
    health = await monitor.set_reference("CAM-REF", CONTEXT, "camera re-aimed by the city")
    assert (health.status, health.reference_by) == ("ok", "sup-1")
    async with wf.db.read_session() as session:
        rows = (
            await session.execute(
                text(
                    "SELECT action, object_id, reason FROM audit_record "
                    "WHERE action = 'camera.reference.set'"
                )
            )
        ).all()
    assert [tuple(r) for r in rows] == [
        ("camera.reference.set", "CAM-REF", "camera re-aimed by the city")
    ]


async def test_probe_threads_end_with_the_monitor(
    wf: Watchfloor,
    monitor: HealthMonitor,
    rtsp_server: RtspServer,  # noqa: F811
) -> None:
    await register(wf, "CAM-T1", rtsp_server.url("/live"))
    await register(wf, "CAM-T2", rtsp_server.url("/black"))
    await asyncio.gather(monitor.probe("CAM-T1"), monitor.probe("CAM-T2"), monitor.probe("CAM-T1"))
    assert monitor.threads_alive() >= 1
    sweep = asyncio.create_task(monitor.probe_all())
    await asyncio.sleep(0.3)  # mid-sample
    await monitor.close()
    await asyncio.gather(sweep, return_exceptions=True)
    assert monitor.threads_alive() == 0
