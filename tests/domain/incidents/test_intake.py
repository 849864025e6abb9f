"""POST /api/intake/eido: a delivery is stored whole and durably, or quarantined whole."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import orjson
from httpx import AsyncClient, Response
from sqlalchemy import func, select

from tests.domain.incidents.support import eido
from tests.support.auth import feed_token, login_as
from watchfloor.app import Watchfloor, build
from watchfloor.audit.service import AuditFilter
from watchfloor.core.context import Actor, RequestContext, Role
from watchfloor.domain.incidents.models import EidoDocument, Incident
from watchfloor.domain.quarantine.schemas import QuarantineStatus
from watchfloor.settings import Settings


async def _post(wf: Watchfloor, client: AsyncClient, body: Any) -> Response:
    token = await feed_token(wf, client)
    content = body if isinstance(body, bytes | AsyncIterator) else orjson.dumps(body)
    return await client.post(
        "/api/intake/eido",
        content=content,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )


async def _stored(wf: Watchfloor) -> tuple[int, int]:
    async with wf.db.read_session() as session:
        incidents = await session.scalar(select(func.count()).select_from(Incident))
        documents = await session.scalar(select(func.count()).select_from(EidoDocument))
    return int(incidents or 0), int(documents or 0)


async def test_a_batch_is_stored_and_reported_per_document(
    wf: Watchfloor, client: AsyncClient
) -> None:
    events = wf.bus.subscribe("incident.>")
    batch = [eido("urn:a"), eido("urn:b"), eido("urn:a")]

    response = await _post(wf, client, batch)

    assert response.status_code == 200, response.text
    assert [(r["eido_id"], r["outcome"]) for r in response.json()] == [
        ("urn:a", "created"),
        ("urn:b", "created"),
        ("urn:a", "duplicate"),
    ]
    assert await _stored(wf) == (2, 3)
    kinds = [(await events.get(timeout=1)).kind for _ in range(2)]
    assert kinds == ["incident.created", "incident.created"]
    assert wf.health.feed("eido-http").accepted == 3


async def test_a_delivery_is_audited_as_the_feed_account_with_its_outcomes(
    wf: Watchfloor, client: AsyncClient
) -> None:
    response = await _post(wf, client, [eido("urn:a"), eido("urn:b"), eido("urn:a")])
    assert response.status_code == 200, response.text

    [record] = await wf.audit.query(AuditFilter(action="incident.ingested"))

    assert record.actor_role == "feed"
    assert record.address == "203.0.113.7"
    assert record.details["outcomes"] == {"created": 2, "duplicate": 1}
    assert sorted(record.details["changed_incidents"]) == sorted(
        r["incident_id"] for r in response.json()[:2]
    )


async def test_bad_input_is_rejected_with_pointers_quarantined_and_nothing_stored(
    wf: Watchfloor, client: AsyncClient
) -> None:
    batch = [eido("urn:good"), eido("urn:bad", type_code="X-HOLDUP")]

    response = await _post(wf, client, batch)

    assert response.status_code == 422
    pointers = [p["pointer"] for p in response.json()["error"]["problems"]]
    assert pointers == ["/1/incidentComponent/incidentTypeCommonRegistryText"]
    assert await _stored(wf) == (0, 0)
    [held] = await wf.quarantine.list(source="eido-http")
    assert held.status is QuarantineStatus.HELD
    assert held.problems[0].pointer == pointers[0]
    assert wf.health.feed("eido-http").rejected == 1


async def test_malformed_json_is_400_and_quarantined(wf: Watchfloor, client: AsyncClient) -> None:
    response = await _post(wf, client, b'{"$id": ')
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "malformed_input"
    [held] = await wf.quarantine.list()
    assert held.error_code == "malformed_input"


async def test_oversized_body_is_413_and_its_head_quarantined(
    wf: Watchfloor, client: AsyncClient
) -> None:
    chunk = b"[" + b" " * (32 * 1024 - 1)
    chunks = wf.settings.max_body_bytes // len(chunk) + 2

    async def streamed() -> AsyncIterator[bytes]:
        for _ in range(chunks):
            yield chunk

    response = await _post(wf, client, streamed())

    assert response.status_code == 413
    [held] = await wf.quarantine.list()
    assert (held.truncated, held.error_code) == (True, "payload_too_large")
    assert held.size > wf.settings.max_body_bytes
    detail = await wf.quarantine.get(held.id, _admin_context())
    assert detail.body_text is not None
    assert len(detail.body_text) == 64 * 1024
    assert detail.body_text.startswith("[   ")
    assert await _stored(wf) == (0, 0)


async def test_operator_cannot_post_to_intake(wf: Watchfloor, client: AsyncClient) -> None:
    await login_as(wf, client, Role.OPERATOR)
    response = await client.post("/api/intake/eido", json=eido())
    assert response.status_code == 403
    assert await _stored(wf) == (0, 0)


async def test_accepted_data_survives_a_fresh_watchfloor(
    wf: Watchfloor, client: AsyncClient, settings: Settings
) -> None:
    response = await _post(wf, client, eido("urn:durable"))
    assert response.status_code == 200
    await wf.stop()

    fresh = build(settings, clock=wf.clock, migrate=False)
    try:
        rows = await fresh.incidents.queue()
    finally:
        await fresh.stop()
    assert [row.eido_id for row in rows] == ["urn:durable"]


async def test_cad_link_documents_are_stored_or_quarantined(wf: Watchfloor) -> None:
    await wf.intake.accept_document(orjson.dumps(eido("urn:link")), "cad-link")
    await wf.intake.accept_document(b"not json", "cad-link")

    assert [row.eido_id for row in await wf.incidents.queue()] == ["urn:link"]
    [held] = await wf.quarantine.list(source="cad-link")
    assert held.error_code == "malformed_input"


def _admin_context() -> RequestContext:
    return RequestContext(actor=Actor(user_id="u-admin", username="admin1", role=Role.ADMIN))
