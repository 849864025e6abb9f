"""Quarantine admin: list, inspect (audited), replay after a settings fix, discard with a reason."""

from __future__ import annotations

import orjson
from httpx import AsyncClient

from tests.domain.incidents.support import eido
from tests.support.auth import feed_token, login_as
from watchfloor.app import Watchfloor
from watchfloor.audit.service import AuditFilter
from watchfloor.core.context import Role


async def _reject(wf: Watchfloor, client: AsyncClient) -> str:
    token = await feed_token(wf, client)
    response = await client.post(
        "/api/intake/eido",
        content=orjson.dumps([eido("urn:holdup", type_code="X-HOLDUP")]),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    assert response.status_code == 422
    [held] = await wf.quarantine.list()
    return held.id


async def test_replay_after_fixing_the_settings_stores_the_payload(
    wf: Watchfloor, client: AsyncClient
) -> None:
    payload_id = await _reject(wf, client)
    admin = await login_as(wf, client, Role.ADMIN)

    still_bad = await client.post(f"/api/admin/quarantine/{payload_id}/replay")
    assert still_bad.status_code == 200
    assert still_bad.json()["status"] == "held"
    assert await wf.incidents.queue() == []

    wf.settings.eido.agency_incident_codes["X-HOLDUP"] = "ROBBERY"
    replayed = await client.post(f"/api/admin/quarantine/{payload_id}/replay")

    assert replayed.status_code == 200, replayed.text
    assert replayed.json()["status"] == "replayed"
    assert replayed.json()["replayed_by"] == admin.username
    [row] = await wf.incidents.queue()
    assert (row.eido_id, row.type) == ("urn:holdup", "ROBBERY")
    again = await client.post(f"/api/admin/quarantine/{payload_id}/replay")
    assert again.status_code == 409
    audited = await wf.audit.query(AuditFilter(action="quarantine.replayed"))
    assert [r.outcome for r in audited] == ["error", "success"]


async def test_list_filters_and_detail_is_an_audited_read(
    wf: Watchfloor, client: AsyncClient
) -> None:
    payload_id = await _reject(wf, client)
    await login_as(wf, client, Role.ADMIN)

    listed = await client.get("/api/admin/quarantine", params={"source": "eido-http"})
    other = await client.get("/api/admin/quarantine", params={"status": "discarded"})
    detail = await client.get(f"/api/admin/quarantine/{payload_id}")

    assert [p["id"] for p in listed.json()] == [payload_id]
    assert "body_base64" not in listed.json()[0]
    assert other.json() == []
    assert "X-HOLDUP" in detail.json()["body_text"]
    reads = await wf.audit.query(AuditFilter(action="quarantine.read"))
    assert [r.object_id for r in reads] == [payload_id]


async def test_discard_needs_a_reason_and_is_audited(wf: Watchfloor, client: AsyncClient) -> None:
    payload_id = await _reject(wf, client)
    await login_as(wf, client, Role.ADMIN)

    no_reason = await client.post(f"/api/admin/quarantine/{payload_id}/discard", json={})
    discarded = await client.post(
        f"/api/admin/quarantine/{payload_id}/discard", json={"reason": "test traffic from CAD"}
    )

    assert no_reason.status_code == 422
    assert discarded.status_code == 200
    assert discarded.json()["status"] == "discarded"
    [record] = await wf.audit.query(AuditFilter(action="quarantine.discarded"))
    assert record.reason == "test traffic from CAD"


async def test_operator_cannot_see_quarantine(wf: Watchfloor, client: AsyncClient) -> None:
    payload_id = await _reject(wf, client)
    await login_as(wf, client, Role.OPERATOR)
    assert (await client.get("/api/admin/quarantine")).status_code == 403
    assert (await client.get(f"/api/admin/quarantine/{payload_id}")).status_code == 403
