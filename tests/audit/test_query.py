"""Reading the audit log: filters, paging, roles, and the reading itself is audited."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from httpx import AsyncClient

from tests.support.auth import login_as
from watchfloor.app import Watchfloor
from watchfloor.audit.service import AuditEntry, AuditFilter
from watchfloor.core.clock import ManualClock
from watchfloor.core.context import Actor, RequestContext, Role


def _ctx(username: str, user_id: str) -> RequestContext:
    return RequestContext(actor=Actor(user_id=user_id, username=username, role=Role.OPERATOR))


async def _seed(wf: Watchfloor, clock: ManualClock) -> None:
    rows = [
        ("alice", "u-a", "incident.read", "incident", "I-1"),
        ("alice", "u-a", "incident.note.added", "incident", "I-1"),
        ("bob", "u-b", "incident.read", "incident", "I-2"),
        ("bob", "u-b", "camera.viewed", "camera", "C-7"),
    ]
    for username, user_id, action, object_type, object_id in rows:
        clock.advance(timedelta(minutes=10))
        entry = AuditEntry(action, object_type=object_type, object_id=object_id)
        await wf.audit.record_alone(_ctx(username, user_id), entry)


async def _get(client: AsyncClient, **params: Any) -> list[dict[str, Any]]:
    response = await client.get("/api/audit", params=params)
    assert response.status_code == 200, response.text
    records: list[dict[str, Any]] = response.json()["records"]
    return [r for r in records if not r["action"].startswith(("auth.", "admin.", "audit."))]


async def test_filters_narrow_the_result(
    wf: Watchfloor, client: AsyncClient, clock: ManualClock
) -> None:
    await _seed(wf, clock)
    await login_as(wf, client, Role.AUDITOR)
    assert [r["object_id"] for r in await _get(client, person="alice")] == ["I-1", "I-1"]
    assert [r["object_id"] for r in await _get(client, person="u-b")] == ["I-2", "C-7"]
    assert [r["action"] for r in await _get(client, action="incident.")] == [
        "incident.read",
        "incident.note.added",
        "incident.read",
    ]
    assert [r["object_id"] for r in await _get(client, object_type="camera")] == ["C-7"]
    assert [r["action"] for r in await _get(client, object_id="I-1")] == [
        "incident.read",
        "incident.note.added",
    ]
    start = clock.now() - timedelta(minutes=25)
    until = clock.now() - timedelta(minutes=5)
    window = await _get(client, since=start.isoformat(), until=until.isoformat())
    assert [r["object_id"] for r in window] == ["I-1", "I-2"]


async def test_paging_by_cursor(wf: Watchfloor, clock: ManualClock) -> None:
    await _seed(wf, clock)
    first = await wf.audit.query(AuditFilter(limit=3))
    rest = await wf.audit.query(AuditFilter(limit=3, after_seq=first[-1].seq))
    assert [r.seq for r in first] == [1, 2, 3]
    assert [r.seq for r in rest] == [4]


async def test_query_over_http_pages_with_next_cursor(
    wf: Watchfloor, client: AsyncClient, clock: ManualClock
) -> None:
    await _seed(wf, clock)
    await login_as(wf, client, Role.SUPERVISOR)
    page = (await client.get("/api/audit", params={"limit": 2})).json()
    assert len(page["records"]) == 2
    following = (await client.get("/api/audit", params={"cursor": page["next_cursor"]})).json()
    assert following["records"][0]["seq"] == page["records"][-1]["seq"] + 1
    assert (await client.get("/api/audit", params={"limit": 501})).status_code == 422


async def test_reading_the_log_is_audited(
    wf: Watchfloor, client: AsyncClient, clock: ManualClock
) -> None:
    await _seed(wf, clock)
    auditor = await login_as(wf, client, Role.AUDITOR)
    await client.get("/api/audit", params={"person": "alice", "action": "incident."})
    [record] = await wf.audit.query(AuditFilter(action="audit.queried"))
    assert record.actor_username == auditor.username
    assert record.details["filter"]["person"] == "alice"
    assert record.details["filter"]["action"] == "incident."


async def test_operators_may_not_read_the_log(wf: Watchfloor, client: AsyncClient) -> None:
    await login_as(wf, client, Role.OPERATOR)
    response = await client.get("/api/audit")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"


async def test_verify_over_http_is_audited(wf: Watchfloor, client: AsyncClient) -> None:
    await login_as(wf, client, Role.AUDITOR)
    body = (await client.get("/api/audit/verify")).json()
    assert body["intact"] is True
    assert body["tampering"] is None
    assert len(await wf.audit.query(AuditFilter(action="audit.verified"))) == 1


async def test_supervisors_may_not_verify(wf: Watchfloor, client: AsyncClient) -> None:
    await login_as(wf, client, Role.SUPERVISOR)
    assert (await client.get("/api/audit/verify")).status_code == 403
