"""POST /api/alerts/gunshots and /api/alerts/panic: durable before the answer, or refused with
every bad field named, quarantined, and replayable."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import orjson
from httpx import AsyncClient, Response

from tests.domain.alerts.support import gunshot_body, panic_body
from tests.support.auth import feed_token
from watchfloor.app import Watchfloor, build
from watchfloor.core.context import Actor, RequestContext, Role
from watchfloor.domain.quarantine.schemas import QuarantineStatus
from watchfloor.events.alerts import AlertKind, AlertStatus
from watchfloor.settings import Settings

ADMIN = RequestContext(actor=Actor(user_id="u-admin", username="admin1", role=Role.ADMIN))


async def _post(wf: Watchfloor, client: AsyncClient, path: str, body: Any) -> Response:
    token = await feed_token(wf, client)
    content = body if isinstance(body, bytes | AsyncIterator) else orjson.dumps(body)
    return await client.post(
        path,
        content=content,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )


async def test_a_gunshot_alert_is_stored_before_the_answer(
    wf: Watchfloor, client: AsyncClient, settings: Settings
) -> None:
    when = wf.clock.now() - timedelta(seconds=8)
    response = await _post(wf, client, "/api/alerts/gunshots", gunshot_body(when))
    assert response.status_code == 200, response.text
    [receipt] = response.json()["alerts"]
    assert receipt["outcome"] == "created"
    assert receipt["source_ref"] == "GS-2026-000123"
    await wf.stop()
    fresh = build(settings, clock=wf.clock, migrate=False)
    try:
        alert = await fresh.alerts.get(receipt["alert_id"])
    finally:
        await fresh.stop()
    assert alert.kind == AlertKind.GUNSHOT
    assert alert.title == "Multiple gunshots, 4 rounds"
    assert alert.priority == 1
    assert alert.occurred_at == when
    assert alert.details["review_status"] == "machine"
    assert wf.health.feed("alerts-gunshot").accepted == 1


async def test_a_vendor_update_merges_and_a_resend_is_a_duplicate(
    wf: Watchfloor, client: AsyncClient
) -> None:
    when = wf.clock.now()
    first = gunshot_body(when)
    reviewed = gunshot_body(when, rounds=5, review_status="reviewed")
    response = await _post(wf, client, "/api/alerts/gunshots", {"alerts": [first, reviewed]})
    again = await _post(wf, client, "/api/alerts/gunshots", [first])
    outcomes = [r["outcome"] for r in response.json()["alerts"] + again.json()["alerts"]]
    assert outcomes == ["created", "updated", "duplicate"]
    [alert] = await wf.alerts.list()
    assert alert.title == "Multiple gunshots, 5 rounds"
    assert alert.sources[0].reports == 2


async def test_a_panic_press_is_a_priority_1_alert_with_its_owner(
    wf: Watchfloor, client: AsyncClient
) -> None:
    response = await _post(wf, client, "/api/alerts/panic", panic_body(wf.clock.now()))
    assert response.status_code == 200, response.text
    alert = await wf.alerts.get(response.json()["alerts"][0]["alert_id"])
    assert (alert.kind, alert.priority, alert.status) == (AlertKind.PANIC, 1, AlertStatus.NEW)
    assert alert.subject == "PB-0042"
    assert alert.details["owner"] == "Jane Roe"
    assert alert.location_error_m == 12


async def test_bad_fields_are_named_the_body_quarantined_and_nothing_stored(
    wf: Watchfloor, client: AsyncClient
) -> None:
    now = wf.clock.now()
    bad = gunshot_body(now, "GS-2", latitude=123.0, time="2026-11-21T14:00:00")
    body = {"alerts": [gunshot_body(now, "GS-1"), bad]}
    response = await _post(wf, client, "/api/alerts/gunshots", body)
    assert response.status_code == 422
    pointers = [p["pointer"] for p in response.json()["error"]["problems"]]
    assert pointers == ["/alerts/1/time", "/alerts/1/latitude"]
    assert await wf.alerts.list() == []
    [held] = await wf.quarantine.list(source="alerts-gunshot")
    assert held.status is QuarantineStatus.HELD
    assert [p.pointer for p in held.problems] == pointers
    assert wf.health.feed("alerts-gunshot").rejected == 1


async def test_a_held_body_replays_once_fixed_rules_allow_it(
    wf: Watchfloor, client: AsyncClient
) -> None:
    response = await _post(wf, client, "/api/alerts/panic", {"presses": [{"owner": "X"}]})
    assert response.status_code == 422
    pointers = [p["pointer"] for p in response.json()["error"]["problems"]]
    assert pointers == ["/presses/0/device_id", "/presses/0/pressed_at"]
    [held] = await wf.quarantine.list(source="alerts-panic")
    replayed = await wf.quarantine.replay(held.id, ADMIN)
    assert replayed.status is QuarantineStatus.HELD  # still bad: kept, nothing stored
    assert await wf.alerts.list() == []

    good = orjson.dumps(panic_body(wf.clock.now()))
    await _post(wf, client, "/api/alerts/panic", good[:-1])  # cut short in transit: 400
    [broken] = [h for h in await wf.quarantine.list(source="alerts-panic") if h.id != held.id]
    assert broken.error_code == "malformed_input"
    async with wf.db.session() as session:  # the sender's fix, as an admin would apply it
        from watchfloor.domain.quarantine.models import QuarantinedPayload

        row = await session.get(QuarantinedPayload, broken.id)
        assert row is not None
        row.body = good
    replayed = await wf.quarantine.replay(broken.id, ADMIN)
    assert replayed.status is QuarantineStatus.REPLAYED
    assert replayed.replay_outcome == "1 created"
    [alert] = await wf.alerts.list()
    assert alert.kind == AlertKind.PANIC


async def test_malformed_json_is_400_and_held(wf: Watchfloor, client: AsyncClient) -> None:
    response = await _post(wf, client, "/api/alerts/gunshots", b'{"id": ')
    assert response.status_code == 400
    [held] = await wf.quarantine.list(source="alerts-gunshot")
    assert held.error_code == "malformed_input"


async def test_an_oversized_body_is_413_and_its_head_held(
    wf: Watchfloor, client: AsyncClient
) -> None:
    limit = wf.settings.alerts.max_body_bytes
    chunk = b"[" + b" " * (16 * 1024 - 1)

    async def streamed() -> AsyncIterator[bytes]:
        for _ in range(limit // len(chunk) + 2):
            yield chunk

    response = await _post(wf, client, "/api/alerts/gunshots", streamed())
    assert response.status_code == 413
    [held] = await wf.quarantine.list(source="alerts-gunshot")
    assert (held.truncated, held.error_code) == (True, "payload_too_large")


async def test_too_many_alerts_in_one_request_are_refused(
    wf: Watchfloor, client: AsyncClient
) -> None:
    limit = wf.settings.alerts.max_reports
    now = wf.clock.now()
    body = [gunshot_body(now, f"GS-{i}") for i in range(limit + 1)]
    response = await _post(wf, client, "/api/alerts/gunshots", body)
    assert response.status_code == 422
    assert response.json()["error"]["problems"][0]["pointer"] == ""
    assert await wf.alerts.list() == []
