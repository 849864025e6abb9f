"""Claim and release over HTTP: one operator works a call; a supervisor may take it over."""

from __future__ import annotations

from httpx import ASGITransport, AsyncClient

from tests.domain.incidents.support import report, store
from tests.support.auth import login_as
from watchfloor.app import Watchfloor, create_app
from watchfloor.audit.service import AuditFilter
from watchfloor.core.context import Role


def _second_client(wf: Watchfloor) -> AsyncClient:
    transport = ASGITransport(app=create_app(wf), client=("203.0.113.8", 50001))
    return AsyncClient(transport=transport, base_url="https://testserver")


async def _incident(wf: Watchfloor) -> str:
    [result] = await store(wf, report())
    return result.incident_id


async def test_claim_by_someone_else_is_a_conflict_naming_who(
    wf: Watchfloor, client: AsyncClient
) -> None:
    incident_id = await _incident(wf)
    await login_as(wf, client, Role.OPERATOR, designator="RT3")
    claimed = await client.post(f"/api/incidents/{incident_id}/claim")
    assert claimed.status_code == 200, claimed.text
    assert claimed.json()["claimed_by_designator"] == "RT3"

    async with _second_client(wf) as other:
        await login_as(wf, other, Role.OPERATOR, designator="RT5")
        conflict = await other.post(f"/api/incidents/{incident_id}/claim", json={})
        take_over = await other.post(
            f"/api/incidents/{incident_id}/claim", json={"take_over": True}
        )

    assert conflict.status_code == 409
    assert conflict.json()["error"]["code"] == "already_claimed"
    assert "RT3" in conflict.json()["error"]["message"]
    assert take_over.status_code == 403
    queue = (await client.get("/api/incidents/queue")).json()
    assert queue[0]["claimed_by"] == "RT3"


async def test_supervisor_takes_over_and_only_claimer_or_supervisor_releases(
    wf: Watchfloor, client: AsyncClient
) -> None:
    incident_id = await _incident(wf)
    events = wf.bus.subscribe("incident.*")
    operator = await login_as(wf, client, Role.OPERATOR, designator="RT3")
    assert (await client.post(f"/api/incidents/{incident_id}/claim")).status_code == 200

    async with _second_client(wf) as sup:
        await login_as(wf, sup, Role.SUPERVISOR, designator="RT700")
        taken = await sup.post(f"/api/incidents/{incident_id}/claim", json={"take_over": True})
        assert taken.status_code == 200, taken.text
        assert taken.json()["claimed_by_designator"] == "RT700"
        denied = await client.post(f"/api/incidents/{incident_id}/release")
        released = await sup.post(f"/api/incidents/{incident_id}/release")

    assert denied.status_code == 403
    assert released.status_code == 200
    assert released.json()["claimed_by_username"] is None
    kinds = [(await events.get(timeout=1)).kind for _ in range(3)]
    assert kinds == ["incident.claimed", "incident.claimed", "incident.released"]
    detail = (await client.get(f"/api/incidents/{incident_id}")).json()
    assert [e["kind"] for e in detail["timeline"] if e["kind"] in ("claimed", "released")] == [
        "claimed",
        "claimed",
        "released",
    ]
    audited = await wf.audit.query(AuditFilter(object_id=incident_id, action="incident.claimed"))
    assert audited[0].actor_username == operator.username


async def test_claimer_releases_their_own_claim(wf: Watchfloor, client: AsyncClient) -> None:
    incident_id = await _incident(wf)
    await login_as(wf, client, Role.OPERATOR)
    await client.post(f"/api/incidents/{incident_id}/claim")
    released = await client.post(f"/api/incidents/{incident_id}/release")
    assert released.status_code == 200
    again = await client.post(f"/api/incidents/{incident_id}/release")
    assert again.status_code == 409


async def test_analyst_cannot_claim(wf: Watchfloor, client: AsyncClient) -> None:
    incident_id = await _incident(wf)
    await login_as(wf, client, Role.ANALYST)
    assert (await client.post(f"/api/incidents/{incident_id}/claim")).status_code == 403


async def test_detail_is_an_audited_read(wf: Watchfloor, client: AsyncClient) -> None:
    incident_id = await _incident(wf)
    analyst = await login_as(wf, client, Role.ANALYST)
    response = await client.get(f"/api/incidents/{incident_id}")
    assert response.status_code == 200
    assert response.json()["incident"]["address"] == "100 Main St"
    reads = await wf.audit.query(AuditFilter(action="incident.read", object_id=incident_id))
    assert [r.actor_username for r in reads] == [analyst.username]
    assert (await client.get("/api/incidents/no-such-id")).status_code == 404
