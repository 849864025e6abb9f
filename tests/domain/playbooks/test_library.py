"""The playbook library over HTTP: defaults loaded at first start, supervisors and admins add
and edit (validated, audited), others may only read."""

from __future__ import annotations

from typing import Any

from httpx import AsyncClient

from tests.support.auth import login_as
from watchfloor.app import Watchfloor
from watchfloor.audit.service import AuditFilter
from watchfloor.core.context import Role


def _playbook(code: str = "hazmat", **fields: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "code": code,
        "title": "Hazardous materials",
        "type_codes": ["hazmat", "GASLEAK"],
        "priorities": [],
        "steps": [
            {"key": "assess", "title": "Assess the threat", "due_after_s": 60},
            {"key": "notify", "title": "Notify the fire service", "due_after_s": 120},
            {"key": "review", "title": "Review after"},
        ],
    }
    return {**body, **fields}


async def test_defaults_are_loaded_once_at_first_start(wf: Watchfloor, client: AsyncClient) -> None:
    await wf.start()
    await login_as(wf, client, Role.OPERATOR)
    listed = await client.get("/api/playbooks")
    assert listed.status_code == 200, listed.text
    codes = [p["code"] for p in listed.json()]
    assert codes == [
        "missing-person",
        "panic-alarm",
        "priority-1",
        "robbery-burglary",
        "shots-fired",
    ]
    shots = next(p for p in listed.json() if p["code"] == "shots-fired")
    assert "GUNSHOT" in shots["type_codes"]
    assert shots["steps"][0] == {
        "key": "assess",
        "title": "Assess the threat",
        "detail": shots["steps"][0]["detail"],
        "due_after_s": 60,
    }
    assert await wf.playbooks.load() == 0  # the table is not empty any more: nothing reloaded
    assert len(await wf.playbooks.list()) == 5


async def test_supervisor_adds_and_edits_a_playbook_audited(
    wf: Watchfloor, client: AsyncClient
) -> None:
    supervisor = await login_as(wf, client, Role.SUPERVISOR)

    created = await client.post("/api/playbooks", json=_playbook())
    assert created.status_code == 201, created.text
    assert created.json()["type_codes"] == ["HAZMAT", "GASLEAK"]
    assert (created.json()["version"], created.json()["updated_by"]) == (1, supervisor.username)

    body = {k: v for k, v in _playbook(title="Hazmat and gas leaks").items() if k != "code"}
    edited = await client.put("/api/playbooks/hazmat", json=body)
    assert edited.status_code == 200, edited.text
    assert (edited.json()["title"], edited.json()["version"]) == ("Hazmat and gas leaks", 2)
    assert (await client.get("/api/playbooks/hazmat")).json()["version"] == 2

    audited = await wf.audit.query(AuditFilter(object_type="playbook", object_id="hazmat"))
    assert [(r.action, r.actor_username, r.details["version"]) for r in audited] == [
        ("playbook.created", supervisor.username, 1),
        ("playbook.updated", supervisor.username, 2),
    ]
    assert any(c.code == "hazmat" for c in wf.playbooks.candidates())


async def test_an_inactive_playbook_leaves_matching(wf: Watchfloor, client: AsyncClient) -> None:
    await login_as(wf, client, Role.ADMIN)
    body = {k: v for k, v in _playbook(active=False).items() if k != "code"}
    assert (await client.post("/api/playbooks", json=_playbook())).status_code == 201
    assert (await client.put("/api/playbooks/hazmat", json=body)).status_code == 200
    assert all(c.code != "hazmat" for c in wf.playbooks.candidates())


async def test_operators_and_analysts_cannot_edit(wf: Watchfloor, client: AsyncClient) -> None:
    for role in (Role.OPERATOR, Role.ANALYST):
        await login_as(wf, client, role)
        assert (await client.post("/api/playbooks", json=_playbook())).status_code == 403
        body = {k: v for k, v in _playbook().items() if k != "code"}
        assert (await client.put("/api/playbooks/priority-1", json=body)).status_code == 403
    await login_as(wf, client, Role.AUDITOR)
    assert (await client.get("/api/playbooks")).status_code == 403
    assert all(p.code != "hazmat" for p in await wf.playbooks.list())


def _pointers(response: Any) -> list[str]:
    return [p["pointer"] for p in response.json()["error"]["problems"]]


async def test_bad_playbooks_are_refused_naming_the_field(
    wf: Watchfloor, client: AsyncClient
) -> None:
    await login_as(wf, client, Role.SUPERVISOR)
    steps = _playbook()["steps"]
    cases = [
        (_playbook(code="Bad Code"), "/code"),
        (_playbook(title=""), "/title"),
        (_playbook(steps=[]), "/steps"),
        (
            _playbook(steps=[{"key": "assess", "title": "x", "due_after_s": -5}]),
            "/steps/0/due_after_s",
        ),
        (_playbook(steps=[{"key": "Assess!", "title": "x"}]), "/steps/0/key"),
        (_playbook(steps=[*steps, {"key": "assess", "title": "again"}]), "/steps/3/key"),
        (_playbook(type_codes=[], priorities=[]), "/type_codes"),
        (_playbook(priorities=[9]), "/priorities/0"),
        (_playbook(type_codes=["  "]), "/type_codes/0"),
        (_playbook(surprise=True), "/surprise"),
    ]
    for body, pointer in cases:
        response = await client.post("/api/playbooks", json=body)
        assert response.status_code == 422, (pointer, response.text)
        assert pointer in _pointers(response), (pointer, response.text)
    assert all(p.code != "hazmat" for p in await wf.playbooks.list())


async def test_duplicate_code_conflicts_and_unknown_code_is_not_found(
    wf: Watchfloor, client: AsyncClient
) -> None:
    await wf.playbooks.load()
    await login_as(wf, client, Role.SUPERVISOR)
    duplicate = await client.post("/api/playbooks", json=_playbook(code="priority-1"))
    assert duplicate.status_code == 409, duplicate.text
    assert duplicate.json()["error"]["code"] == "playbook_exists"
    body = {k: v for k, v in _playbook().items() if k != "code"}
    assert (await client.put("/api/playbooks/nothing-here", json=body)).status_code == 404
