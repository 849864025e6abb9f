"""Slew-to-cue against a real ONVIF PTZ camera (ipycam): a gunshot in its view sends it to the cue
preset nearest the shot, or, when calibrated, an AbsoluteMove aimed at the shot; the supervisor's
route configures it."""

from __future__ import annotations

import asyncio
import math
from typing import Any

import pytest
from httpx import AsyncClient
from sqlalchemy import select, text

from tests.correlation.conftest import FEED, raise_alert, report
from tests.correlation.support import LAT, LON, moved
from tests.domain.cameras.support import BODY
from tests.support.auth import login_as
from tests.support.onvif_camera import OnvifCamera, onvif_camera  # noqa: F401
from watchfloor.app import Watchfloor
from watchfloor.core.context import Actor, RequestContext, Role
from watchfloor.correlation.engine import CorrelationEngine
from watchfloor.correlation.schemas import CueIn
from watchfloor.domain.cameras.schemas import CameraIn
from watchfloor.domain.incidents.local import LocalIncident
from watchfloor.domain.incidents.models import IncidentTimelineEntry

SUPERVISOR = RequestContext(actor=Actor(username="sup-1"))
CODE = "CAM-PTZ-1"


async def _register(wf: Watchfloor, url: str, code: str = CODE, ptz: bool = True) -> None:
    lat, lon = moved(east_m=-50)  # 50 m west of the shot, looking east
    body = BODY | {"code": code, "lat": lat, "lon": lon, "ptz": ptz}
    if ptz:
        body["ptz_range_m"] = 300
    await wf.cameras.create(CameraIn.model_validate(body | {"onvif_url": url}), SUPERVISOR)


async def _cued(wf: Watchfloor, incident_id: str) -> dict[str, Any]:
    query = select(IncidentTimelineEntry.details).where(
        IncidentTimelineEntry.incident_id == incident_id,
        IncidentTimelineEntry.kind == "correlation.cameras_cued",
    )
    async with wf.db.read_session() as session:
        return dict((await session.scalars(query)).one())


async def test_a_gunshot_sends_the_camera_to_the_nearest_cue_preset(
    wf: Watchfloor,
    engine: CorrelationEngine,
    client: AsyncClient,
    onvif_camera: OnvifCamera,  # noqa: F811
) -> None:
    await _register(wf, onvif_camera.url())
    await wf.camera_control.ptz_absolute(CODE, 0.3, -0.2, 0.5)
    corner = await wf.camera_control.set_preset(CODE, "Corner")
    await wf.camera_control.ptz_absolute(CODE, -0.6, 0.1, 0.0)
    elsewhere = await wf.camera_control.set_preset(CODE, "Bus stop")
    await wf.camera_control.go_home(CODE)
    await login_as(wf, client, Role.SUPERVISOR)
    far_lat, far_lon = moved(north_m=120)
    body = {
        "presets": [
            {"token": elsewhere, "name": "Bus stop", "lat": far_lat, "lon": far_lon},
            {"token": corner, "name": "Corner", "lat": LAT, "lon": LON + 0.0001},
        ]
    }
    response = await client.put(f"/api/correlation/cameras/{CODE}/cue", json=body)
    assert response.status_code == 200, response.text
    assert onvif_camera.position() == pytest.approx((0.0, 0.0, 0.0))

    (alert_id,) = await raise_alert(wf, engine, report(wf, details={"type": "multiple"}))

    assert onvif_camera.position() == pytest.approx((0.3, -0.2, 0.5))
    incident_id = (await wf.alerts.get(alert_id)).incident_id
    assert incident_id is not None
    cued = await _cued(wf, incident_id)
    assert cued["cameras"][0]["code"] == CODE
    answered = wf.clock.now().isoformat()  # when the camera answered (the test clock stands)
    assert cued["cued"] == [
        {"code": CODE, "method": "preset", "preset": "Corner", "ok": True, "answered_at": answered}
    ]
    async with wf.db.read_session() as session:
        audited = await session.execute(
            text("SELECT object_id, reason FROM audit_record WHERE action = 'camera.ptz.cued'")
        )
        assert audited.all() == [(CODE, f"alert {alert_id}")]


async def test_a_calibrated_camera_gets_an_absolute_move_aimed_at_the_shot(
    wf: Watchfloor,
    engine: CorrelationEngine,
    onvif_camera: OnvifCamera,  # noqa: F811
) -> None:
    await _register(wf, onvif_camera.url())
    calibration = {"pan_zero_bearing_deg": 0.0, "height_m": 10.0, "zoom_full_range_m": 100.0}
    await wf.cue_store.put(CODE, CueIn.model_validate({"calibration": calibration}), SUPERVISOR)

    await raise_alert(wf, engine, report(wf))

    pan, tilt, zoom = onvif_camera.position()
    assert pan == pytest.approx(0.5, abs=0.01)  # due east: 90 degrees right of north
    assert tilt == pytest.approx(-math.degrees(math.atan2(10, 50)) / 90, abs=0.01)
    assert zoom == pytest.approx(0.5, abs=0.01)


async def test_a_disabled_cue_leaves_the_camera_where_it_is(
    wf: Watchfloor,
    engine: CorrelationEngine,
    onvif_camera: OnvifCamera,  # noqa: F811
) -> None:
    await _register(wf, onvif_camera.url())
    body = {"enabled": False, "calibration": {"pan_zero_bearing_deg": 0.0}}
    await wf.cue_store.put(CODE, CueIn.model_validate(body), SUPERVISOR)
    await raise_alert(wf, engine, report(wf))
    assert onvif_camera.position() == pytest.approx((0.0, 0.0, 0.0))


async def test_the_cue_route_is_for_supervisors_and_ptz_cameras(
    wf: Watchfloor, client: AsyncClient
) -> None:
    await _register(wf, "http://u:p@127.0.0.1:9/onvif/device_service")
    await _register(wf, "http://u:p@127.0.0.1:9/onvif/device_service", "CAM-FIXED", ptz=False)
    await login_as(wf, client, Role.OPERATOR)
    assert (await client.put(f"/api/correlation/cameras/{CODE}/cue", json={})).status_code == 403
    await login_as(wf, client, Role.SUPERVISOR)
    assert (await client.get(f"/api/correlation/cameras/{CODE}/cue")).status_code == 404
    refused = await client.put("/api/correlation/cameras/CAM-FIXED/cue", json={})
    assert refused.status_code == 409
    bad = {"calibration": {"pan_zero_bearing_deg": 400}}
    invalid = await client.put(f"/api/correlation/cameras/{CODE}/cue", json=bad)
    assert invalid.status_code == 422
    assert "pan_zero_bearing_deg" in invalid.text
    good = {"enabled": True, "calibration": {"pan_zero_bearing_deg": 90, "height_m": 8}}
    assert (await client.put(f"/api/correlation/cameras/{CODE}/cue", json=good)).status_code == 200
    stored = (await client.get(f"/api/correlation/cameras/{CODE}/cue")).json()
    assert stored["calibration"]["height_m"] == 8
    assert stored["presets"] == []
    assert (await client.get("/api/correlation/callouts")).json() == []


async def _cue_records(wf: Watchfloor) -> int:
    query = text("SELECT count(*) FROM audit_record WHERE action = 'camera.ptz.cued'")
    async with wf.db.read_session() as session:
        return int((await session.execute(query)).scalar_one())


async def test_the_camera_turns_before_the_incident_is_opened_and_its_session_opens_at_start(
    wf: Watchfloor,
    engine: CorrelationEngine,
    onvif_camera: OnvifCamera,  # noqa: F811
) -> None:
    await _register(wf, onvif_camera.url())
    calibration = {"pan_zero_bearing_deg": 0.0, "height_m": 10.0}
    await wf.cue_store.put(CODE, CueIn.model_validate({"calibration": calibration}), SUPERVISOR)
    await engine.stop()
    await engine.start()  # a start opens the PTZ session of every slew-to-cue camera
    await asyncio.wait_for(engine.executor.cameras_ready(), 10)
    assert wf.camera_control.connected(CODE)
    gate, opening = asyncio.Event(), engine.executor.effects.open_local

    async def held(spec: LocalIncident, context: RequestContext) -> str:
        await gate.wait()  # the store is slow to open the incident today
        return await opening(spec, context)

    engine.executor.effects.open_local = held
    (receipt,) = await wf.alerts.receive([report(wf)], FEED)
    for _ in range(500):
        if onvif_camera.position()[0] != 0.0:
            break
        await asyncio.sleep(0.01)
    turned_while_opening = onvif_camera.position()
    await asyncio.sleep(0.3)  # the camera has answered: its record waits for the desk's changes
    recorded_while_opening = await _cue_records(wf)
    gate.set()
    await engine.settle()

    assert (recorded_while_opening, await _cue_records(wf)) == (0, 1)

    assert turned_while_opening[0] == pytest.approx(0.5, abs=0.01)  # due east
    assert (await wf.alerts.get(receipt.alert_id)).incident_id is not None


async def test_a_cue_set_up_while_running_opens_the_cameras_session_at_once(
    wf: Watchfloor,
    engine: CorrelationEngine,
    onvif_camera: OnvifCamera,  # noqa: F811
) -> None:
    await _register(wf, onvif_camera.url())
    await asyncio.wait_for(engine.executor.cameras_ready(), 10)
    assert not wf.camera_control.connected(CODE)  # no cue setup when the engine started
    calibration = {"pan_zero_bearing_deg": 0.0, "height_m": 10.0}
    await wf.cue_store.put(CODE, CueIn.model_validate({"calibration": calibration}), SUPERVISOR)
    async with asyncio.timeout(10):
        while not wf.camera_control.connected(CODE):  # noqa: ASYNC110
            await asyncio.sleep(0.02)
    assert onvif_camera.position() == (0.0, 0.0, 0.0)  # readied, not moved
