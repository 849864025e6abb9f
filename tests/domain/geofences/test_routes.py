"""Geofences over HTTP: supervisors and admins draw them (audited), the floor reads them, and a
bad polygon or rule is refused naming the field; the index follows every change."""

from __future__ import annotations

from typing import Any

import pytest
from httpx import AsyncClient

from tests.domain.geofences.support import OUTSIDE, SPOT, body, square
from tests.support.auth import feed_token, login_as
from watchfloor.app import Watchfloor
from watchfloor.audit.service import AuditFilter
from watchfloor.core.context import Role


def _problems(response: Any) -> dict[str, str]:
    assert response.status_code == 422, response.text
    return {p["pointer"]: p["reason"] for p in response.json()["error"]["problems"]}


async def test_a_supervisor_draws_changes_and_removes_a_geofence_audited(
    wf: Watchfloor, client: AsyncClient
) -> None:
    supervisor = await login_as(wf, client, Role.SUPERVISOR)
    rules = [{"rule": "hotlisted_read_inside", "reason_codes": ["stolen_vehicle", "amber"]}]
    hours = {"start": "07:00", "end": "17:00", "days": ["mon", "tue", "wed", "thu", "fri"]}
    open_ring = square()[:-1]  # not closed: stored closed
    created = await client.post(
        "/api/geofences", json=body(rules=rules, polygon=open_ring, hours=hours)
    )
    assert created.status_code == 201, created.text
    zone = created.json()
    assert zone["polygon"] == square()
    assert zone["rules"][0]["reason_codes"] == ["stolen_vehicle", "amber"]
    assert zone["hours"]["start"] == "07:00:00"
    assert zone["active"] is True
    assert zone["created_by"] == supervisor.username
    assert [g.id for g in wf.geofences.containing(*SPOT)] == [zone["id"]]

    moved = body(name="Lincoln Elementary", polygon=square(center=OUTSIDE))
    updated = await client.put(f"/api/geofences/{zone['id']}", json=moved)
    assert updated.status_code == 200, updated.text
    assert wf.geofences.containing(*SPOT) == []
    assert [g.id for g in wf.geofences.containing(*OUTSIDE)] == [zone["id"]]

    assert (await client.delete(f"/api/geofences/{zone['id']}")).status_code == 204
    assert wf.geofences.containing(*OUTSIDE) == []
    assert (await client.get(f"/api/geofences/{zone['id']}")).status_code == 404
    records = await wf.audit.query(AuditFilter(object_type="geofence", object_id=zone["id"]))
    assert [r.action for r in records] == [
        "geofence.created",
        "geofence.updated",
        "geofence.deleted",
    ]
    assert {r.actor_username for r in records} == {supervisor.username}


async def test_an_inactive_geofence_is_listed_but_fires_nothing(
    wf: Watchfloor, client: AsyncClient
) -> None:
    await login_as(wf, client, Role.ADMIN)
    response = await client.post("/api/geofences", json=body(active=False))
    assert response.status_code == 201
    assert [g["active"] for g in (await client.get("/api/geofences")).json()] == [False]
    assert wf.geofences.containing(*SPOT) == []


@pytest.mark.parametrize(
    ("role", "read", "write"),
    [
        (Role.OPERATOR, 200, 403),
        (Role.ANALYST, 200, 403),
        (Role.SUPERVISOR, 200, 201),
        (Role.ADMIN, 200, 201),
        (Role.AUDITOR, 403, 403),
    ],
)
async def test_who_may_read_and_who_may_draw(
    wf: Watchfloor, client: AsyncClient, role: Role, read: int, write: int
) -> None:
    await login_as(wf, client, role)
    assert (await client.get("/api/geofences")).status_code == read
    assert (await client.post("/api/geofences", json=body())).status_code == write


async def test_a_feed_token_cannot_touch_geofences(wf: Watchfloor, client: AsyncClient) -> None:
    headers = {"Authorization": f"Bearer {await feed_token(wf, client)}"}
    assert (await client.get("/api/geofences", headers=headers)).status_code == 403
    response = await client.post("/api/geofences", json=body(), headers=headers)
    assert response.status_code == 403


HOTLIST = "hotlisted_read_inside"
ENTERS = "monitored_person_enters"
HOURS = {"start": "07:00", "end": "09:00"}
BOWTIE = [[60.0, 24.0], [60.01, 24.01], [60.0, 24.01], [60.01, 24.0], [60.0, 24.0]]


@pytest.mark.parametrize(
    ("document", "pointer", "reason"),
    [
        (body(polygon=BOWTIE), "/polygon", "Self-intersection"),
        (body(polygon=[[95.0, 24.9], [60.1, 24.9], [60.1, 25.0]]), "/polygon/0/0", "latitude"),
        (body(polygon=[[60.0, 24.9], [60.1, 184.0], [60.1, 25.0]]), "/polygon/1/1", "longitude"),
        (body(polygon=[[60.0, 24.9], [60.1, 24.9], [60.0, 24.9]]), "/polygon", "3 distinct"),
        (body(polygon=[[60.0, 24.9], [60.1, 24.9, 3.0], [60.1, 25]]), "/polygon/1", "[latitude"),
        (body(polygon=[[60.0, 24.9], [60.1, 24.9], [60.2, 24.9]]), "/polygon", ""),
        (body(polygon=[[60.0, "east"], [60.1, 24.9], [60.2, 25]]), "/polygon/0/1", "number"),
        (body(kind="parking_lot"), "/kind", ""),
        (body(rules=[{"rule": HOTLIST, "subjects": ["EM-1"]}]), "/rules/0/subjects", "monitored"),
        (body(rules=[{"rule": ENTERS, "reason_codes": ["x"]}]), "/rules/0/reason_codes", HOTLIST),
        (body(rules=[{"rule": ENTERS, "subjects": [" "]}]), "/rules/0/subjects/0", "1 to 100"),
        (body(rules=[{"rule": "hotlisted_read_inside"}] * 2), "/rules/1/rule", "twice"),
        (body(rules=[{"rule": "speeding"}]), "/rules/0/rule", ""),
        (body(hours={"start": "07:00", "end": "07:00"}), "/hours/end", "differ"),
        (body(hours={**HOURS, "timezone": "Mars/Olympus"}), "/hours/timezone", "Mars"),
        (body(name=""), "/name", ""),
    ],
)  # fmt: skip
async def test_a_bad_geofence_is_refused_naming_the_field(
    wf: Watchfloor, client: AsyncClient, document: dict[str, Any], pointer: str, reason: str
) -> None:
    await login_as(wf, client, Role.SUPERVISOR)
    problems = _problems(await client.post("/api/geofences", json=document))
    assert pointer in problems, problems
    assert reason in problems[pointer]
    assert (await client.get("/api/geofences")).json() == []


async def test_an_update_is_checked_like_a_new_geofence(
    wf: Watchfloor, client: AsyncClient
) -> None:
    await login_as(wf, client, Role.SUPERVISOR)
    zone = (await client.post("/api/geofences", json=body())).json()
    problems = _problems(
        await client.put(f"/api/geofences/{zone['id']}", json=body(polygon=BOWTIE))
    )
    assert "/polygon" in problems
    assert (await client.get(f"/api/geofences/{zone['id']}")).json()["polygon"] == square()
    missing = await client.put("/api/geofences/nope", json=body())
    assert missing.status_code == 404
