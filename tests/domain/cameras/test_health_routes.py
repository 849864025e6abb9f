"""Camera health over HTTP: who may read, probe and set reference views, and what comes back
(never a stream address)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from httpx import ASGITransport, AsyncClient

from tests.domain.cameras.health_support import build_monitor, register
from tests.support.auth import login_as
from tests.support.rtsp import RtspServer, rtsp_server  # noqa: F401
from tests.support.smtp import SmtpServer, smtp_server  # noqa: F401
from watchfloor.app import Watchfloor, create_app
from watchfloor.core.context import Role


@pytest.fixture
async def http(wf: Watchfloor, smtp_server: SmtpServer) -> AsyncIterator[AsyncClient]:  # noqa: F811
    """A client of the app with a health monitor that mails the test's SMTP server."""
    await wf.camera_health.close()
    monitor = build_monitor(wf, smtp_server.url)
    wf.camera_health = monitor
    app = create_app(wf)
    transport = ASGITransport(app=app, client=("203.0.113.7", 50000))
    try:
        async with AsyncClient(transport=transport, base_url="https://testserver") as client:
            yield client
    finally:
        await monitor.close()


async def test_operators_read_and_probe_but_cannot_set_references(
    wf: Watchfloor,
    http: AsyncClient,
    rtsp_server: RtspServer,  # noqa: F811
) -> None:
    await register(wf, "CAM-R", rtsp_server.url("/live"))
    await login_as(wf, http, Role.OPERATOR)
    listed = await http.get("/api/camera-health")
    assert listed.status_code == 200, listed.text
    assert [(c["camera_code"], c["status"]) for c in listed.json()] == [("CAM-R", "unknown")]
    probed = await http.post("/api/cameras/CAM-R/probe")
    assert probed.status_code == 200, probed.text
    assert probed.json()["status"] == "ok"
    assert "rtsp" not in probed.text
    one = await http.get("/api/cameras/CAM-R/health")
    assert (one.status_code, one.json()["fps"] is not None) == (200, True)
    refused = await http.post("/api/cameras/CAM-R/reference", json={"reason": "x"})
    assert refused.status_code == 403
    assert (await http.get("/api/cameras/NOPE/health")).status_code == 404
    assert (await http.get("/api/cameras/CAM-R")).status_code == 200  # the registry's route


async def test_supervisors_set_references_and_read_tickets(
    wf: Watchfloor,
    http: AsyncClient,
    rtsp_server: RtspServer,  # noqa: F811
) -> None:
    await register(wf, "CAM-S", rtsp_server.url("/live"))
    await register(wf, "CAM-X", "rtsp://user:pw-secret@127.0.0.1:9/live")
    await login_as(wf, http, Role.SUPERVISOR)
    set_ref = await http.post("/api/cameras/CAM-S/reference", json={"reason": "new mast"})
    assert set_ref.status_code == 200, set_ref.text
    assert set_ref.json()["reference_by"].startswith("supervisor-")
    assert (await http.post("/api/cameras/CAM-S/reference", json={})).status_code == 422
    offline = await http.post("/api/cameras/CAM-X/probe")
    assert offline.json()["status"] == "offline"
    assert "pw-secret" not in offline.text
    conflict = await http.post("/api/cameras/CAM-X/reference", json={"reason": "try"})
    assert conflict.status_code == 409
    tickets = await http.get("/api/camera-tickets", params={"open": "true"})
    assert tickets.status_code == 200
    [ticket] = tickets.json()
    assert (ticket["camera_code"], ticket["open_mail"]) == ("CAM-X", "sent")
    assert ticket["problems"][0]["code"] == "unreachable"


async def test_auditors_and_feeds_are_refused(wf: Watchfloor, http: AsyncClient) -> None:
    await login_as(wf, http, Role.AUDITOR)
    assert (await http.get("/api/camera-health")).status_code == 403
    assert (await http.get("/api/camera-tickets")).status_code == 403
    assert (await http.post("/api/cameras/X/probe")).status_code == 403
