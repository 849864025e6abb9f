"""Legal holds over HTTP: supervisors place and release them (audited), readers list them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from httpx import AsyncClient

from tests.domain.lpr.reads import add_reader
from tests.support.auth import login_as
from watchfloor.app import Watchfloor
from watchfloor.audit.service import AuditFilter
from watchfloor.core.context import Role


async def test_a_supervisor_places_and_releases_a_hold_and_both_are_audited(
    wf: Watchfloor, client: AsyncClient
) -> None:
    await add_reader(wf, "ALPR-9")
    supervisor = await login_as(wf, client, Role.SUPERVISOR)
    since = wf.clock.now() - timedelta(days=3)

    placed = await client.post(
        "/api/lpr/holds",
        json={
            "case_number": "26-004711",
            "reason": "robbery series",
            "plate": "abc-123",
            "reader_code": "ALPR-9",
            "since": since.isoformat(),
        },
    )
    assert placed.status_code == 201, placed.text
    hold = placed.json()
    assert (hold["plate"], hold["reader_code"], hold["active"]) == ("ABC123", "ALPR-9", True)
    assert hold["created_by"] == supervisor.username

    released = await client.post(
        f"/api/lpr/holds/{hold['id']}/release", json={"reason": "case adjudicated"}
    )
    again = await client.post(
        f"/api/lpr/holds/{hold['id']}/release", json={"reason": "case adjudicated"}
    )
    missing = await client.post("/api/lpr/holds/nope/release", json={"reason": "whatever"})

    assert released.status_code == 200
    assert released.json()["active"] is False
    assert released.json()["released_by"] == supervisor.username
    assert released.json()["release_reason"] == "case adjudicated"
    assert again.status_code == 409
    assert missing.status_code == 404
    records = await wf.audit.query(AuditFilter(action="lpr.hold."))
    assert [(r.action, r.reason, r.case_number) for r in records] == [
        ("lpr.hold.placed", "robbery series", "26-004711"),
        ("lpr.hold.released", "case adjudicated", "26-004711"),
    ]


@pytest.mark.parametrize(
    ("body", "pointer"),
    [
        ({}, "/plate"),
        ({"plate": "--"}, "/plate"),
        ({"reader_code": "NO-SUCH"}, "/reader_code"),
        ({"since": "2026-11-20T00:00:00Z", "until": "2026-11-19T00:00:00Z"}, "/until"),
        ({"since": "2026-11-20T00:00:00"}, "/since"),
    ],
)
async def test_a_hold_needs_a_valid_scope(
    wf: Watchfloor, client: AsyncClient, body: dict[str, str], pointer: str
) -> None:
    await login_as(wf, client, Role.SUPERVISOR)

    response = await client.post(
        "/api/lpr/holds", json={"case_number": "26-1", "reason": "needed", **body}
    )

    assert response.status_code == 422
    assert pointer in [p["pointer"] for p in response.json()["error"]["problems"]]


async def test_operators_may_not_place_holds_and_analysts_may_list_them(
    wf: Watchfloor, client: AsyncClient
) -> None:
    await login_as(wf, client, Role.OPERATOR)
    refused = await client.post(
        "/api/lpr/holds", json={"case_number": "26-1", "reason": "needed", "plate": "X1"}
    )
    assert refused.status_code == 403

    await login_as(wf, client, Role.SUPERVISOR)
    for plate in ("AAA111", "BBB222"):
        await client.post(
            "/api/lpr/holds", json={"case_number": "26-1", "reason": "needed", "plate": plate}
        )
    [first, second] = (await client.get("/api/lpr/holds")).json()
    await client.post(f"/api/lpr/holds/{first['id']}/release", json={"reason": "done"})

    await login_as(wf, client, Role.ANALYST)
    everything = await client.get("/api/lpr/holds")
    active = await client.get("/api/lpr/holds", params={"active": "true"})

    assert everything.status_code == 200
    assert len(everything.json()) == 2
    assert [h["id"] for h in active.json()] == [second["id"]]
    listed = await wf.audit.query(AuditFilter(action="lpr.hold.list"))
    assert listed[-1].details["count"] == 1
