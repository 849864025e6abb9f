"""The composed application: OpenAPI, health without records, and the CAD link end to end."""

from __future__ import annotations

import asyncio

from httpx import AsyncClient

from tests.domain.incidents.support import eido
from tests.support.auth import feed_token
from tests.support.cad_server import CadServer, eventually
from watchfloor.app import Watchfloor, build
from watchfloor.core.clock import ManualClock
from watchfloor.settings import Settings


async def test_openapi_lists_the_api(client: AsyncClient) -> None:
    response = await client.get("/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in (
        "/api/intake/eido",
        "/api/incidents/queue",
        "/EIDO/{incident_ref}",
        "/api/audit",
        "/api/auth/logon",
        "/api/admin/quarantine",
        "/healthz",
    ):
        assert path in paths, path


async def test_healthz_reports_components_and_feeds_but_no_records(
    wf: Watchfloor, client: AsyncClient
) -> None:
    token = await feed_token(wf, client)
    document = eido("urn:emergency:uid:incidentid:secret-77:cad.example.gov")
    posted = await client.post(
        "/api/intake/eido", json=document, headers={"Authorization": f"Bearer {token}"}
    )
    assert posted.status_code == 200, posted.text

    response = await client.get("/healthz")

    assert response.status_code == 200
    body = response.json()
    assert body["components"]["database"]["state"] == "ok"
    assert body["components"]["bus"]["state"] == "ok"
    assert body["feeds"]["eido-http"]["state"] == "ok"
    assert body["feeds"]["eido-http"]["last_event_age_s"] == 0
    assert "secret-77" not in response.text
    assert "ROBBERY" not in response.text


async def test_cad_link_feeds_the_queue_through_the_composed_app(
    settings: Settings, clock: ManualClock
) -> None:
    async with CadServer() as cad:
        linked = settings.model_copy(
            update={"cad_link": settings.cad_link.model_copy(update={"url": cad.url})}
        )
        wf = build(linked, clock=clock, migrate=False)
        await wf.start()
        try:
            await eventually(lambda: cad.subscription_id is not None)
            await cad.notify(eido("urn:emergency:uid:incidentid:linked-1:cad.example.gov"))

            for _ in range(100):
                if await wf.incidents.queue():
                    break
                await asyncio.sleep(0.05)
            [row] = await wf.incidents.queue()
            assert row.eido_id == "urn:emergency:uid:incidentid:linked-1:cad.example.gov"
            assert wf.health.feeds()["cad-link"].state.value == "ok"
        finally:
            await wf.stop()
