"""Steering a PTZ camera over HTTP: only under an open view of the person, with the PTZ control
audited under the view's reason, against a real ONVIF camera (ipycam)."""

from __future__ import annotations

import asyncio

from httpx import AsyncClient
from sqlalchemy import text

from tests.domain.cameras.support import BODY
from tests.support.auth import login_as
from tests.support.onvif_camera import (
    OnvifCamera,
    onvif_camera,  # noqa: F401
)
from watchfloor.app import Watchfloor
from watchfloor.core.context import Role

REASON = {"kind": "incident", "ref": "2026-000777"}


async def _live_view(wf: Watchfloor, client: AsyncClient, camera: OnvifCamera) -> str:
    await login_as(wf, client, Role.SUPERVISOR)
    body = BODY | {"code": "CAM-PTZ", "ptz": True, "ptz_range_m": 300, "onvif_url": camera.url()}
    assert (await client.post("/api/cameras", json=body)).status_code == 201
    await login_as(wf, client, Role.OPERATOR, username="op-ptz")
    opened = await client.post("/api/cameras/CAM-PTZ/views", json={"reason": REASON})
    assert opened.status_code == 201, opened.text
    return str(opened.json()["view_id"])


async def test_an_operator_steers_under_a_live_view_and_the_control_is_audited(
    wf: Watchfloor,
    client: AsyncClient,
    onvif_camera: OnvifCamera,  # noqa: F811
) -> None:
    view_id = await _live_view(wf, client, onvif_camera)
    start = onvif_camera.position()
    moved = await client.post(
        "/api/cameras/CAM-PTZ/ptz/move", json={"view_id": view_id, "pan": 0.8, "tilt": 0.0}
    )
    assert moved.status_code == 200, moved.text
    await asyncio.sleep(0.6)
    assert (
        await client.post("/api/cameras/CAM-PTZ/ptz/stop", json={"view_id": view_id})
    ).is_success
    assert onvif_camera.position()[0] != start[0]
    saved = await client.post(
        "/api/cameras/CAM-PTZ/ptz/presets", json={"view_id": view_id, "name": "Main St"}
    )
    assert saved.status_code == 201, saved.text
    listed = await client.get("/api/cameras/CAM-PTZ/ptz/presets", params={"view_id": view_id})
    assert "Main St" in [preset["name"] for preset in listed.json()]
    home = await client.post("/api/cameras/CAM-PTZ/ptz/home", json={"view_id": view_id})
    assert home.status_code == 200
    await client.post(f"/api/video/views/{view_id}/end")
    query = text("SELECT action, reason, details FROM audit_record WHERE object_id = 'CAM-PTZ'")
    async with wf.db.read_session() as session:
        rows = [(row[0], row[1], str(row[2])) for row in (await session.execute(query)).all()]
    ptz_opens = [
        row for row in rows if row[0] == "camera.view.open" and "'ptz'" in row[2].replace('"', "'")
    ]
    assert len(ptz_opens) == 1  # one PTZ view under the live view, reused for every command
    assert ptz_opens[0][1] == "incident: 2026-000777"
    assert sum(1 for row in rows if row[0] == "camera.view.close") == 2
    assert any(row[0] == "camera.ptz.preset.set" for row in rows)


async def test_steering_needs_an_open_view_of_that_camera(
    wf: Watchfloor,
    client: AsyncClient,
    onvif_camera: OnvifCamera,  # noqa: F811
) -> None:
    view_id = await _live_view(wf, client, onvif_camera)
    assert (
        await client.post("/api/cameras/CAM-PTZ/ptz/move", json={"view_id": "0" * 24, "pan": 1})
    ).status_code == 404
    assert (
        await client.post("/api/cameras/CAM-OTHER/ptz/stop", json={"view_id": view_id})
    ).status_code == 404
    too_fast = await client.post(
        "/api/cameras/CAM-PTZ/ptz/move", json={"view_id": view_id, "pan": 3}
    )
    assert too_fast.status_code == 422
    assert "pan" in too_fast.text
    await login_as(wf, client, Role.ANALYST)
    assert (
        await client.post("/api/cameras/CAM-PTZ/ptz/stop", json={"view_id": view_id})
    ).status_code == 403
