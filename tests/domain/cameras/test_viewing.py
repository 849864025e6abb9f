"""Audited viewing: a reason is required, the access level is enforced on the server, every open
and close is audited with duration, and a supervisor's usage query answers in one call."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from httpx import AsyncClient
from sqlalchemy import text

from tests.domain.cameras.support import BODY, SECRET
from tests.support.auth import login_as
from watchfloor.app import Watchfloor
from watchfloor.core.clock import ManualClock
from watchfloor.core.context import Role

INCIDENT = {"kind": "incident", "ref": "2026-004512"}


async def _register(wf: Watchfloor, http: AsyncClient, **changes: Any) -> None:
    await login_as(wf, http, Role.SUPERVISOR)
    body = BODY | changes
    assert (await http.post("/api/cameras", json=body)).status_code == 201


async def _audit(wf: Watchfloor, action: str) -> list[tuple[str, str | None, str | None, str]]:
    query = text(
        "SELECT outcome, object_id, reason, details FROM audit_record "
        "WHERE action = :action ORDER BY seq"
    )
    async with wf.db.read_session() as session:
        rows = (await session.execute(query, {"action": action})).all()
    return [(row[0], row[1], row[2], str(row[3])) for row in rows]


async def test_a_live_view_needs_a_reason_and_is_audited_with_its_duration(
    wf: Watchfloor, client: AsyncClient, clock: ManualClock
) -> None:
    await _register(wf, client)
    operator = await login_as(wf, client, Role.OPERATOR, username="op-ana")
    missing = await client.post("/api/cameras/CAM-ESPA-1/views", json={"action": "live"})
    assert missing.status_code == 422
    assert "reason" in missing.text
    vague = await client.post(
        "/api/cameras/CAM-ESPA-1/views", json={"reason": {"kind": "incident"}}
    )
    assert vague.status_code == 422
    assert "names the incident" in vague.text
    opened = await client.post("/api/cameras/CAM-ESPA-1/views", json={"reason": INCIDENT})
    assert opened.status_code == 201, opened.text
    assert SECRET not in opened.text
    view_id = opened.json()["view_id"]
    clock.advance(timedelta(seconds=95))
    ended = await client.post(f"/api/video/views/{view_id}/end")
    assert ended.status_code == 200
    assert ended.json()["duration_s"] == 95.0
    again = await client.post(f"/api/video/views/{view_id}/end")
    assert again.status_code == 404
    opens = await _audit(wf, "camera.view.open")
    closes = await _audit(wf, "camera.view.close")
    assert opens[-1][:3] == ("success", "CAM-ESPA-1", "incident: 2026-004512")
    assert '"duration_s": 95.0' in closes[-1][3] or "'duration_s': 95.0" in closes[-1][3]
    assert SECRET not in str(opens + closes)
    del operator


async def test_the_access_level_is_enforced_on_the_server_and_refusals_audited(
    wf: Watchfloor, client: AsyncClient
) -> None:
    await _register(wf, client, access_level="request_only")
    assert (
        await client.post(
            "/api/cameras", json=BODY | {"code": "CAM-REC", "access_level": "recorded_only"}
        )
    ).status_code == 201
    await login_as(wf, client, Role.OPERATOR)
    refused = await client.post("/api/cameras/CAM-ESPA-1/views", json={"reason": INCIDENT})
    assert refused.status_code == 403
    assert "on request to its owner" in refused.text
    recorded = await client.post("/api/cameras/CAM-REC/views", json={"reason": INCIDENT})
    assert recorded.status_code == 403
    assert "recorded only" in recorded.text
    playback = await client.post(
        "/api/cameras/CAM-REC/views", json={"action": "playback", "reason": INCIDENT}
    )
    assert playback.status_code == 201
    steer = await client.post(
        "/api/cameras/CAM-REC/views", json={"action": "ptz", "reason": INCIDENT}
    )
    assert steer.status_code == 403
    denied = [row for row in await _audit(wf, "camera.view.open") if row[0] == "denied"]
    assert [row[1] for row in denied] == ["CAM-ESPA-1", "CAM-REC", "CAM-REC"]


async def test_a_view_belongs_to_its_person(wf: Watchfloor, client: AsyncClient) -> None:
    await _register(wf, client)
    await login_as(wf, client, Role.OPERATOR)
    view_id = (
        await client.post(
            "/api/cameras/CAM-ESPA-1/views",
            json={"reason": {"kind": "proactive", "note": "hot spot watch, Esplanadi"}},
        )
    ).json()["view_id"]
    await login_as(wf, client, Role.OPERATOR)
    assert (await client.post(f"/api/video/views/{view_id}/end")).status_code == 404


async def test_the_supervisor_sees_an_operators_quarter_in_one_query(
    wf: Watchfloor, client: AsyncClient, clock: ManualClock
) -> None:
    await _register(wf, client)
    start = clock.now()
    await login_as(wf, client, Role.OPERATOR, username="op-ben")
    for seconds, reason in ((60, INCIDENT), (30, {"kind": "alert", "ref": "PA-17"})):
        opened = await client.post("/api/cameras/CAM-ESPA-1/views", json={"reason": reason})
        clock.advance(timedelta(seconds=seconds))
        await client.post(f"/api/video/views/{opened.json()['view_id']}/end")
    await login_as(wf, client, Role.OPERATOR, username="op-other")
    await client.post("/api/cameras/CAM-ESPA-1/views", json={"reason": INCIDENT})
    assert (
        await client.get("/api/video/views", params={"since": start.isoformat()})
    ).status_code == 403
    await login_as(wf, client, Role.SUPERVISOR)
    report = await client.get(
        "/api/video/views", params={"since": start.isoformat(), "person": "op-ben"}
    )
    assert report.status_code == 200, report.text
    body = report.json()
    assert (body["views"], body["seconds"], body["without_end"]) == (2, 90.0, 0)
    assert body["by_camera"][0]["actions"] == {"live": 2}
    assert body["by_reason"] == {"incident": 1, "alert": 1}
    assert [entry["reason_ref"] for entry in body["entries"]] == ["2026-004512", "PA-17"]
    assert (await _audit(wf, "camera.usage.query"))[-1][1] == "op-ben"


async def test_views_left_open_by_a_crash_are_ended_at_the_next_start(
    wf: Watchfloor, client: AsyncClient
) -> None:
    await _register(wf, client)
    await login_as(wf, client, Role.OPERATOR)
    await client.post("/api/cameras/CAM-ESPA-1/views", json={"reason": INCIDENT})
    wf.viewing._open.clear()  # the process that held the view is gone
    assert await wf.viewing.end_orphans() == 1
    async with wf.db.read_session() as session:
        ended = (await session.execute(text("SELECT ended_at FROM camera_view"))).scalar_one()
    assert ended is not None
