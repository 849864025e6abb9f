"""The camera registry over HTTP: roles, 422s naming fields, imports reporting bad lines,
exports, and stream addresses that no response ever carries."""

from __future__ import annotations

import json

import pytest
from httpx import AsyncClient, Response

from tests.domain.cameras.support import BODY, SECRET, audit_rows
from tests.support.auth import feed_token, login_as
from watchfloor.app import Watchfloor
from watchfloor.core.context import Role


@pytest.fixture
def http(client: AsyncClient) -> AsyncClient:
    """The test client (the camera routes are part of the app)."""
    return client


def _clean(response: Response) -> Response:
    assert SECRET not in response.text
    assert "stream_urls" not in response.text or response.status_code == 422
    return response


async def test_a_supervisor_registers_changes_and_retires_a_camera(
    wf: Watchfloor, http: AsyncClient
) -> None:
    await login_as(wf, http, Role.SUPERVISOR)
    created = _clean(await http.post("/api/cameras", json=BODY))
    assert created.status_code == 201, created.text
    assert created.json()["has_stream"] is True
    assert created.json()["stream_count"] == 1
    assert _clean(await http.post("/api/cameras", json=BODY)).status_code == 409
    patched = _clean(await http.patch("/api/cameras/CAM-ESPA-1", json={"status": "degraded"}))
    assert patched.json()["status"] == "degraded"
    assert patched.json()["stream_count"] == 1
    retired = _clean(await http.post("/api/cameras/CAM-ESPA-1/retire", json={"reason": "gone"}))
    assert retired.json()["status"] == "retired"
    listed = _clean(await http.get("/api/cameras", params={"status": "retired"}))
    assert [c["code"] for c in listed.json()] == ["CAM-ESPA-1"]
    assert _clean(await http.get("/api/cameras/CAM-ESPA-1")).status_code == 200
    assert (await http.get("/api/cameras/nope")).status_code == 404
    actions = [row[0] for row in await audit_rows(wf)]
    assert actions == ["camera.created", "camera.updated", "camera.retired"]


async def test_operators_read_but_cannot_write_or_export(wf: Watchfloor, http: AsyncClient) -> None:
    await login_as(wf, http, Role.OPERATOR)
    assert (await http.get("/api/cameras")).status_code == 200
    assert (await http.post("/api/cameras", json=BODY)).status_code == 403
    assert (await http.patch("/api/cameras/X", json={"name": "y"})).status_code == 403
    assert (await http.post("/api/cameras/imports", content=b"code\n")).status_code == 403
    assert (await http.get("/api/cameras/export")).status_code == 403


async def test_auditors_export_but_cannot_read_the_list(wf: Watchfloor, http: AsyncClient) -> None:
    await login_as(wf, http, Role.AUDITOR)
    assert (await http.get("/api/cameras")).status_code == 403
    assert (await http.get("/api/cameras/export")).status_code == 200


async def test_bad_input_is_a_422_naming_the_field(wf: Watchfloor, http: AsyncClient) -> None:
    await login_as(wf, http, Role.SUPERVISOR)
    cases = [
        ({**BODY, "kind": "tv"}, "/kind"),
        ({**BODY, "bearing": 400}, "/bearing"),
        ({**BODY, "colour": "red"}, "/colour"),
        ({**BODY, "stream_urls": [f"ftp://x:{SECRET}@h"]}, "/stream_urls"),
        ({**BODY, "lat": None, "lon": None}, "/lat"),
        ({**BODY, "lon": None}, "/lon"),
    ]
    for body, pointer in cases:
        response = _clean(await http.post("/api/cameras", json=body))
        assert response.status_code == 422, body
        pointers = [p["pointer"] for p in response.json()["error"]["problems"]]
        assert pointer in pointers, (pointer, pointers)


async def test_an_import_reports_bad_lines_and_keeps_good_ones(
    wf: Watchfloor, http: AsyncClient
) -> None:
    await login_as(wf, http, Role.SUPERVISOR)
    data = (
        "code,name,kind,owner,lat,lon,stream_urls\n"
        f"A-1,Alpha,city,City,60.1,24.9,rtsp://u:{SECRET}@h/1\n"
        "A-2,Beta,city,City,60.1,999,\n"
    )
    result = _clean(await http.post("/api/cameras/imports", content=data.encode()))
    assert result.status_code == 200, result.text
    assert result.json()["created"] == 1
    assert result.json()["problems"] == [
        {
            "line": 3,
            "feature": None,
            "field": "lon",
            "reason": result.json()["problems"][0]["reason"],
        }
    ]
    broken = await http.post("/api/cameras/imports", params={"format": "geojson"}, content=b"[")
    assert broken.status_code == 400


async def test_exports_round_trip_without_streams(wf: Watchfloor, http: AsyncClient) -> None:
    await login_as(wf, http, Role.SUPERVISOR)
    await http.post("/api/cameras", json=BODY)
    exported_csv = _clean(await http.get("/api/cameras/export"))
    assert exported_csv.headers["content-type"].startswith("text/csv")
    exported_geo = _clean(await http.get("/api/cameras/export", params={"format": "geojson"}))
    assert exported_geo.json()["features"][0]["id"] == "CAM-ESPA-1"
    await http.post("/api/cameras/CAM-ESPA-1/retire", json={"reason": "moved"})
    back = await http.post(
        "/api/cameras/imports", params={"format": "geojson"}, content=exported_geo.content
    )
    assert (back.json()["updated"], back.json()["rejected"]) == (1, 0)
    again = _clean(await http.get("/api/cameras/CAM-ESPA-1"))
    assert again.json()["status"] == "active"
    assert again.json()["stream_count"] == 1
    back_csv = await http.post("/api/cameras/imports", content=exported_csv.content)
    assert (back_csv.json()["updated"], back_csv.json()["problems"]) == (0, [])
    assert json.dumps(exported_geo.json()).count("has_stream") == 1


async def test_feeds_report_positions_of_mobile_cameras(wf: Watchfloor, http: AsyncClient) -> None:
    await login_as(wf, http, Role.SUPERVISOR)
    car = {**BODY, "code": "CAR-12", "kind": "in_car", "lat": None, "lon": None}
    assert (await http.post("/api/cameras", json=car)).status_code == 201
    token = await feed_token(wf, http)
    position = {"lat": 60.17, "lon": 24.94, "at": "2026-11-21T14:00:00Z"}
    reported = await http.post(
        "/api/cameras/CAR-12/position",
        json=position,
        headers={"Authorization": f"Bearer {token}"},
    )
    assert reported.status_code == 200, reported.text
    assert reported.json()["last_lat"] == 60.17
    naive = await http.post(
        "/api/cameras/CAR-12/position",
        json={**position, "at": "2026-11-21T14:00:00"},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert naive.status_code == 422
    assert (await http.post("/api/cameras/CAR-12/position", json=position)).status_code == 403


async def test_the_cameras_that_can_see_a_point_follow_the_registry(
    wf: Watchfloor, http: AsyncClient
) -> None:
    await login_as(wf, http, Role.SUPERVISOR)
    facing = {**BODY, "code": "CAM-FACING", "bearing": 90, "fov_angle": 60, "fov_range_m": 100}
    away = {**BODY, "code": "CAM-AWAY", "bearing": 270, "fov_angle": 60, "fov_range_m": 100}
    for body in (facing, away):
        assert (await http.post("/api/cameras", json=body)).status_code == 201
    point = {"lat": BODY["lat"], "lon": BODY["lon"] + 0.0008}  # ~45 m east of both
    seen = (await http.get("/api/cameras/seeing", params=point)).json()
    assert [(s["code"], s["coverage"]) for s in seen] == [
        ("CAM-FACING", "in_view"),
        ("CAM-AWAY", "nearby"),
    ]
    assert seen[0]["wedge"][0] == seen[0]["wedge"][-1]  # a closed ring for the map
    assert SECRET not in str(seen)
    looked_west = seen[1]["wedge"]
    turned = await http.patch("/api/cameras/CAM-AWAY", json={"bearing": 80})
    assert turned.status_code == 200, turned.text
    seen = (await http.get("/api/cameras/seeing", params=point)).json()
    assert {s["code"]: s["coverage"] for s in seen} == {
        "CAM-FACING": "in_view",
        "CAM-AWAY": "in_view",
    }
    # the map's wedge turned with the camera: its far edge now lies east of the camera
    looks_east = {s["code"]: s["wedge"] for s in seen}["CAM-AWAY"]
    assert looks_east[0] == looked_west[0]  # the apex, where the camera stands
    assert min(lon for lon, _lat in looks_east[1:-1]) > BODY["lon"]
    assert max(lon for lon, _lat in looked_west[1:-1]) < BODY["lon"]
