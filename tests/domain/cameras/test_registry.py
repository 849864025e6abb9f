"""The camera registry service: audited changes, consistency rules, mobile positions, imports
and exports, and stream addresses that never leave it."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from tests.domain.cameras.support import BODY, SECRET, audit_rows
from watchfloor.app import Watchfloor
from watchfloor.core.context import Actor, RequestContext
from watchfloor.core.errors import Conflict, InvalidInput, NotFound
from watchfloor.demo.city import load_cameras
from watchfloor.domain.cameras.schemas import CameraIn, CameraPatch, CameraStatus
from watchfloor.domain.cameras.service import CameraRegistry

CONTEXT = RequestContext(actor=Actor(username="sup-1"))


@pytest.fixture
def registry(wf: Watchfloor) -> CameraRegistry:
    return CameraRegistry(wf.db, wf.clock, wf.audit)


async def test_create_update_retire_are_audited_without_stream_values(
    wf: Watchfloor, registry: CameraRegistry
) -> None:
    created = await registry.create(CameraIn.model_validate(BODY), CONTEXT)
    assert (created.has_stream, created.stream_count, created.mobile) == (True, 1, False)
    patch = CameraPatch.model_validate({"bearing": 180, "stream_urls": []})
    updated = await registry.update("CAM-ESPA-1", patch, CONTEXT)
    assert (updated.bearing, updated.has_stream) == (180, False)
    unchanged = await registry.update("CAM-ESPA-1", CameraPatch(bearing=180), CONTEXT)
    assert unchanged.bearing == 180
    retired = await registry.retire("CAM-ESPA-1", "pole removed", CONTEXT)
    assert retired.status == CameraStatus.RETIRED
    assert retired.retired_at == wf.clock.now()
    with pytest.raises(Conflict):
        await registry.retire("CAM-ESPA-1", "again", CONTEXT)
    rows = await audit_rows(wf)
    assert [row[0] for row in rows] == ["camera.created", "camera.updated", "camera.retired"]
    assert "stream_urls" in rows[1][2]
    assert "bearing" in rows[1][2]
    assert all(SECRET not in row[2] for row in rows)


async def test_a_patch_without_streams_keeps_them(registry: CameraRegistry) -> None:
    await registry.create(CameraIn.model_validate(BODY), CONTEXT)
    kept = await registry.update("CAM-ESPA-1", CameraPatch(name="Esplanadi E"), CONTEXT)
    assert (kept.name, kept.stream_count) == ("Esplanadi E", 1)


async def test_inconsistent_cameras_are_refused_naming_the_field(
    registry: CameraRegistry,
) -> None:
    with pytest.raises(InvalidInput) as fixed:
        await registry.create(CameraIn.model_validate({**BODY, "lat": None, "lon": None}), CONTEXT)
    assert [p.pointer for p in fixed.value.problems] == ["/lat"]
    with pytest.raises(InvalidInput) as reach:
        await registry.create(CameraIn.model_validate({**BODY, "ptz_range_m": 300}), CONTEXT)
    assert [p.pointer for p in reach.value.problems] == ["/ptz_range_m"]
    await registry.create(CameraIn.model_validate(BODY), CONTEXT)
    with pytest.raises(Conflict):
        await registry.create(CameraIn.model_validate(BODY), CONTEXT)
    with pytest.raises(NotFound):
        await registry.get("nope")


async def test_mobile_cameras_report_positions_newest_wins(
    wf: Watchfloor, registry: CameraRegistry
) -> None:
    drone = {**BODY, "code": "DRONE-1", "kind": "drone", "lat": None, "lon": None}
    created = await registry.create(CameraIn.model_validate(drone), CONTEXT)
    assert created.mobile
    now = wf.clock.now()
    moved = await registry.report_position("DRONE-1", 60.17, 24.94, now)
    assert (moved.last_lat, moved.last_lon, moved.last_position_at) == (60.17, 24.94, now)
    late = await registry.report_position("DRONE-1", 60.0, 24.0, now - timedelta(seconds=5))
    assert late.last_lat == 60.17
    await registry.create(CameraIn.model_validate(BODY), CONTEXT)
    with pytest.raises(Conflict):
        await registry.report_position("CAM-ESPA-1", 60.0, 24.0, now)


async def test_csv_import_creates_updates_and_names_bad_lines(
    wf: Watchfloor, registry: CameraRegistry
) -> None:
    data = (
        "code,name,kind,owner,lat,lon,stream_urls\n"
        f"A-1,Alpha,city,City,60.1,24.9,rtsp://u:{SECRET}@h/1\n"
        "A-2,Beta,city,City,,,\n"
        "A-1,Again,city,City,60.1,24.9,\n"
        "A-3,Gamma,school,School,60.2,24.8,\n"
    )
    first = await registry.import_csv(data.encode(), CONTEXT)
    assert (first.created, first.updated, first.rejected) == (2, 0, 2)
    assert {(p.line, p.field) for p in first.problems} == {(3, "lat"), (4, "code")}
    again = await registry.import_csv(b"code,name,kind,owner\nA-3,Gamma 2,school,School\n", CONTEXT)
    assert (again.created, again.updated) == (0, 1)
    assert (await registry.get("A-3")).name == "Gamma 2"
    assert (await registry.get("A-1")).stream_count == 1
    rows = await audit_rows(wf)
    assert [row[0] for row in rows] == ["camera.imported", "camera.imported"]
    assert all(SECRET not in row[2] for row in rows)


async def test_exports_round_trip_and_never_hold_streams(
    wf: Watchfloor, registry: CameraRegistry
) -> None:
    await registry.create(CameraIn.model_validate(BODY), CONTEXT)
    await registry.create(CameraIn.model_validate({**BODY, "code": "B-2", "name": "=cmd"}), CONTEXT)
    csv_text = await registry.export_csv(CONTEXT)
    geojson = await registry.export_geojson(CONTEXT)
    assert SECRET not in csv_text
    assert SECRET not in json.dumps(geojson)
    assert "'=cmd" in csv_text
    back = await registry.import_csv(csv_text.encode(), CONTEXT)
    assert (back.created, back.updated, back.rejected, back.problems) == (0, 0, 0, [])
    back_geo = await registry.import_geojson(json.dumps(geojson).encode(), CONTEXT)
    assert (back_geo.created, back_geo.updated, back_geo.rejected) == (0, 0, 0)
    assert (await registry.get("B-2")).name == "=cmd"
    actions = [row[0] for row in await audit_rows(wf)]
    assert actions.count("camera.exported") == 2


async def test_the_demo_citys_osm_cameras_all_import(registry: CameraRegistry) -> None:
    result = await registry.import_osm(load_cameras(), CONTEXT)
    assert (result.created, result.rejected, result.problems) == (221, 0, [])
    listed = await registry.list(status=CameraStatus.UNVERIFIED)
    assert len(listed) == 221
    assert all(camera.lat is not None and not camera.has_stream for camera in listed)
