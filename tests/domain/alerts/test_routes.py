"""The alert routes: who may read, act on, and post alerts; what operators' actions do."""

from __future__ import annotations

from httpx import AsyncClient

from tests.domain.alerts.support import FEED, gunshot, gunshot_body
from tests.support.auth import feed_token, login_as
from watchfloor.app import Watchfloor
from watchfloor.audit.service import AuditFilter
from watchfloor.core.context import Role


async def test_a_feed_token_can_post_but_not_read(wf: Watchfloor, client: AsyncClient) -> None:
    headers = {"Authorization": f"Bearer {await feed_token(wf, client)}"}
    body = gunshot_body(wf.clock.now())
    posted = await client.post("/api/alerts/gunshots", json=body, headers=headers)
    assert posted.status_code == 200, posted.text
    alert_id = posted.json()["alerts"][0]["alert_id"]
    assert (await client.get("/api/alerts", headers=headers)).status_code == 403
    assert (await client.get(f"/api/alerts/{alert_id}", headers=headers)).status_code == 403
    acked = await client.post(f"/api/alerts/{alert_id}/acknowledge", headers=headers)
    assert acked.status_code == 403


async def test_an_operator_reads_and_acknowledges_but_cannot_post(
    wf: Watchfloor, client: AsyncClient
) -> None:
    [receipt] = await wf.alerts.receive([gunshot(wf.clock)], FEED)
    operator = await login_as(wf, client, Role.OPERATOR)
    posted = await client.post("/api/alerts/gunshots", json=gunshot_body(wf.clock.now()))
    assert posted.status_code == 403
    assert (await client.post("/api/alerts/panic", json={})).status_code == 403
    listed = await client.get("/api/alerts", params={"status": "new", "kind": "gunshot"})
    assert listed.status_code == 200
    assert [a["id"] for a in listed.json()] == [receipt.alert_id]
    one = (await client.get(f"/api/alerts/{receipt.alert_id}")).json()
    assert one["sources"] == [
        {
            "source": "alerts-gunshot",
            "source_ref": "GS-1001",
            "received_at": one["received_at"],
            "reports": 1,
        }
    ]
    acked = await client.post(f"/api/alerts/{receipt.alert_id}/acknowledge")
    assert acked.status_code == 200
    assert acked.json()["acknowledged_by"] == operator.username
    closed = await client.post(f"/api/alerts/{receipt.alert_id}/close")
    assert closed.json()["status"] == "closed"
    again = await client.post(f"/api/alerts/{receipt.alert_id}/dismiss", json={"reason": "x"})
    assert again.status_code == 422
    assert again.json()["error"]["problems"][0]["pointer"] == "/reason"
    refused = await client.post(
        f"/api/alerts/{receipt.alert_id}/dismiss", json={"reason": "false alarm"}
    )
    assert refused.status_code == 409
    assert (await client.get("/api/alerts/nope")).status_code == 404
    records = await wf.audit.query(AuditFilter(person=operator.username, object_type="alert"))
    assert [r.action for r in records] == ["alert.acknowledged", "alert.closed"]


async def test_an_analyst_reads_but_does_not_act(wf: Watchfloor, client: AsyncClient) -> None:
    [receipt] = await wf.alerts.receive([gunshot(wf.clock)], FEED)
    await login_as(wf, client, Role.ANALYST)
    assert (await client.get(f"/api/alerts/{receipt.alert_id}")).status_code == 200
    dismissed = await client.post(
        f"/api/alerts/{receipt.alert_id}/dismiss", json={"reason": "false alarm"}
    )
    assert dismissed.status_code == 403
    assert (
        await client.get("/api/alerts", params={"since": "2026-11-21T13:00:00"})
    ).status_code == 422


async def test_a_supervisor_dismisses_with_a_reason(wf: Watchfloor, client: AsyncClient) -> None:
    [receipt] = await wf.alerts.receive([gunshot(wf.clock)], FEED)
    await login_as(wf, client, Role.SUPERVISOR)
    dismissed = await client.post(
        f"/api/alerts/{receipt.alert_id}/dismiss", json={"reason": "fireworks, confirmed"}
    )
    assert dismissed.status_code == 200
    assert dismissed.json()["dismissed_reason"] == "fireworks, confirmed"
    assert dismissed.json()["status"] == "dismissed"
