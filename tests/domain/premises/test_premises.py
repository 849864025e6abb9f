"""Premises: edited by supervisors (audited), read by operators, floor plans checked and hashed."""

from __future__ import annotations

import hashlib

from httpx import AsyncClient

from tests.support.auth import login_as
from watchfloor.app import Watchfloor
from watchfloor.audit.service import AuditFilter
from watchfloor.core.context import Role

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PREMISE = {
    "address": "100 Main Street",
    "lat": 40.44,
    "lon": -80.0,
    "hazards": ["dogs on site", "gas main"],
    "notes": "key box at the rear door",
}


async def test_a_supervisor_records_a_premise_and_an_operator_reads_it(
    wf: Watchfloor, client: AsyncClient
) -> None:
    supervisor = await login_as(wf, client, Role.SUPERVISOR)
    created = await client.post("/api/premises", json=PREMISE)
    assert created.status_code == 201, created.text
    premise_id = created.json()["id"]
    changed = await client.put(
        f"/api/premises/{premise_id}", json={**PREMISE, "hazards": ["dogs on site"]}
    )
    assert changed.json()["hazards"] == ["dogs on site"]
    plan = await client.post(
        f"/api/premises/{premise_id}/floor-plans", params={"name": "ground floor"}, content=PNG
    )
    assert plan.status_code == 201, plan.text
    assert plan.json()["sha256"] == hashlib.sha256(PNG).hexdigest()
    assert plan.json()["media_type"] == "image/png"
    await login_as(wf, client, Role.OPERATOR)
    shown = (await client.get(f"/api/premises/{premise_id}")).json()
    assert [f["name"] for f in shown["floor_plans"]] == ["ground floor"]
    fetched = await client.get(f"/api/premises/{premise_id}/floor-plans/{plan.json()['id']}")
    assert fetched.content == PNG
    assert fetched.headers["content-type"] == "image/png"
    refused = await client.post("/api/premises", json=PREMISE)
    assert refused.status_code == 403
    actions = [
        (r.action, r.actor_username)
        for r in await wf.audit.query(AuditFilter(object_type="premise"))
    ]
    assert actions[:3] == [
        ("premise.created", supervisor.username),
        ("premise.updated", supervisor.username),
        ("premise.floor_plan.added", supervisor.username),
    ]


async def test_bad_premises_and_files_are_refused_naming_why(
    wf: Watchfloor, client: AsyncClient
) -> None:
    await login_as(wf, client, Role.SUPERVISOR)
    bad = await client.post("/api/premises", json={**PREMISE, "lat": 95})
    assert bad.status_code == 422
    assert [p["pointer"] for p in bad.json()["error"]["problems"]] == ["/lat"]
    premise_id = (await client.post("/api/premises", json=PREMISE)).json()["id"]
    not_a_plan = await client.post(
        f"/api/premises/{premise_id}/floor-plans", params={"name": "x"}, content=b"MZ\x90\x00"
    )
    assert not_a_plan.status_code == 422
    wf.premises.files.max_bytes = 32
    too_big = await client.post(
        f"/api/premises/{premise_id}/floor-plans", params={"name": "x"}, content=PNG
    )
    assert too_big.status_code == 413
    deleted = await client.delete(f"/api/premises/{premise_id}")
    assert deleted.status_code == 204
    assert (await client.get(f"/api/premises/{premise_id}")).status_code == 404
