"""The packet over the API (audited reads) and kept current on the bus after an EIDO intake."""

from __future__ import annotations

import asyncio

from httpx import AsyncClient

from tests.domain.context.support import build_world
from tests.domain.incidents.support import eido
from tests.support.auth import feed_token, login_as
from watchfloor.app import Watchfloor
from watchfloor.audit.service import AuditFilter
from watchfloor.core.clock import ManualClock
from watchfloor.core.context import Role
from watchfloor.domain.context.keeper import context_message


async def test_the_packet_is_served_in_one_call_and_the_read_audited(
    wf: Watchfloor, client: AsyncClient, clock: ManualClock
) -> None:
    world = await build_world(wf, clock)
    analyst = await login_as(wf, client, Role.ANALYST)
    response = await client.get(f"/api/incidents/{world.incident_id}/context")
    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) == {
        "subject",
        "location",
        "assembled_at",
        "took_ms",
        "cameras",
        "units",
        "prior_incidents",
        "plate_activity",
        "gunshots",
        "premises",
        "community_cameras",
        "cautions",
        "alerts",
    }
    assert body["cameras"][0]["code"] == "CAM-1"
    alert = await client.get(f"/api/alerts/{world.gunshot_id}/context")
    assert alert.json()["subject"] == {"type": "alert", "id": world.gunshot_id}
    records = await wf.audit.query(AuditFilter(action="context.read"))
    assert [(r.actor_username, r.object_type, r.object_id) for r in records] == [
        (analyst.username, "incident", world.incident_id),
        (analyst.username, "alert", world.gunshot_id),
    ]
    assert (await client.get("/api/incidents/nope/context")).status_code == 404


async def test_an_auditor_may_not_read_packets(wf: Watchfloor, client: AsyncClient) -> None:
    await login_as(wf, client, Role.AUDITOR)
    assert (await client.get("/api/incidents/x/context")).status_code == 403


async def test_an_incident_from_eido_gets_its_packet_published(
    wf: Watchfloor, client: AsyncClient
) -> None:
    assembled = wf.bus.subscribe("context.packet.assembled")
    keeper = asyncio.create_task(wf.context_keeper.run())
    await asyncio.sleep(0)  # the keeper subscribes before the intake publishes
    token = await feed_token(wf, client)
    response = await client.post(
        "/api/intake/eido", json=eido(), headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 200, response.text
    incident_id = response.json()[0]["incident_id"]
    try:
        event = await assembled.get(timeout=10)
    finally:
        keeper.cancel()
    assert event.payload.subject.id == incident_id
    assert event.payload.packet.location.lat == 40.44
    message = await context_message(event)
    assert message is not None
    assert message["type"] == "context"
    assert message["subject"] == {"type": "incident", "id": incident_id}
    assert message["packet"]["plate_activity"]["reads"] == 0
