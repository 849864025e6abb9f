"""The RTCC's reads of the registry: roles, the reason, the audit record, and no contact details."""

from __future__ import annotations

import pytest
from httpx import AsyncClient

from tests.domain.community.test_nearby import camera
from tests.support.auth import login_as
from watchfloor.app import Watchfloor
from watchfloor.audit.service import AuditFilter
from watchfloor.core.context import Role

LAT, LON = 60.17, 24.94
M = 1 / 111_195


@pytest.fixture
def listed(wf: Watchfloor) -> None:
    index = wf.community.registry.index
    index.replace_site("s1", [camera("near", "s1", LAT + 30 * M, LON)])
    index.replace_site("s2", [camera("nearer", "s2", LAT + 10 * M, LON)])
    index.replace_site("s3", [camera("far", "s3", LAT + 5_000 * M, LON)])


@pytest.mark.usefixtures("listed")
async def test_cameras_near_a_point_come_nearest_first_and_the_reason_is_audited(
    wf: Watchfloor, client: AsyncClient
) -> None:
    operator = await login_as(wf, client, Role.OPERATOR)
    response = await client.get(
        "/api/community/cameras/near",
        params={
            "lat": LAT,
            "lon": LON,
            "radius_m": 200,
            "reason": "burglary in progress",
            "incident_id": "inc-1",
        },
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert [(c["id"], round(c["distance_m"])) for c in body] == [("nearer", 10), ("near", 30)]
    assert set(body[0]) == {
        "id", "site_id", "label", "lat", "lon", "bearing", "fov_angle", "range_m", "covers",
        "retention_days", "site_kind", "site_name", "accepts", "distance_m",
    }  # fmt: skip
    [record] = await wf.audit.query(AuditFilter(action="community.cameras.near"))
    assert (record.actor_username, record.reason) == (operator.username, "burglary in progress")
    assert (record.object_type, record.object_id) == ("incident", "inc-1")
    assert record.details["cameras"] == 2


@pytest.mark.parametrize(
    ("params", "pointer"),
    [
        ({"lat": LAT, "lon": LON}, "/reason"),
        ({"lat": LAT, "lon": LON, "reason": "hm"}, "/reason"),
        ({"lat": LAT, "lon": LON, "reason": "       x"}, "/reason"),
        ({"lat": 91, "lon": LON, "reason": "a good reason"}, "/lat"),
        ({"lat": LAT, "lon": LON, "reason": "a good reason", "radius_m": 5000}, "/radius_m"),
    ],
)
async def test_a_near_read_without_a_good_reason_is_refused_and_not_run(
    wf: Watchfloor, client: AsyncClient, params: dict[str, float | str], pointer: str
) -> None:
    await login_as(wf, client, Role.SUPERVISOR)
    response = await client.get("/api/community/cameras/near", params=params)
    assert response.status_code == 422
    assert pointer in [p["pointer"] for p in response.json()["error"]["problems"]]
    assert await wf.audit.query(AuditFilter(action="community.cameras.near")) == []


@pytest.mark.usefixtures("listed")
async def test_the_map_layer_lists_cameras_in_the_box_and_is_audited(
    wf: Watchfloor, client: AsyncClient
) -> None:
    analyst = await login_as(wf, client, Role.ANALYST)
    box = {"west": LON - 0.01, "south": LAT - 0.01, "east": LON + 0.01, "north": LAT + 0.01}
    response = await client.get("/api/community/cameras", params=box)
    assert response.status_code == 200, response.text
    assert sorted(c["id"] for c in response.json()) == ["near", "nearer"]
    [record] = await wf.audit.query(AuditFilter(action="community.cameras.layer"))
    assert (record.actor_username, record.reason) == (analyst.username, "map layer")
    upside_down = {**box, "north": LAT - 0.02}
    assert (await client.get("/api/community/cameras", params=upside_down)).status_code == 422


@pytest.mark.parametrize("role", [Role.ADMIN, Role.AUDITOR])
async def test_other_roles_may_not_read_the_registry(
    wf: Watchfloor, client: AsyncClient, role: Role
) -> None:
    await login_as(wf, client, role)
    box = {"west": 0, "south": 0, "east": 1, "north": 1}
    assert (await client.get("/api/community/cameras", params=box)).status_code == 403
    near: dict[str, float | str] = {"lat": 0, "lon": 0, "reason": "a good reason"}
    assert (await client.get("/api/community/cameras/near", params=near)).status_code == 403


async def test_without_a_session_the_registry_is_closed(client: AsyncClient) -> None:
    box = {"west": 0, "south": 0, "east": 1, "north": 1}
    assert (await client.get("/api/community/cameras", params=box)).status_code == 401
