"""Unit details over HTTP (create, edit: audited, by role), the trail route, the purge job and
`unit.changed` reaching the consoles through the live hub."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

import orjson
from httpx import AsyncClient

from tests.domain.units.support import FEED, feed_headers, position
from tests.support.auth import login_as
from watchfloor.app import Watchfloor
from watchfloor.audit.service import AuditFilter
from watchfloor.core.context import Role

RAPTOR = {
    "code": "RTCC-D1",
    "name": "Drone 1",
    "kind": "drone",
    "agency": "pd.example.gov",
    "crew": ["Pilot Ortiz"],
    "capabilities": ["thermal", "zoom-30x"],
}


async def test_a_supervisor_creates_and_edits_a_unit_audited(
    wf: Watchfloor, client: AsyncClient
) -> None:
    supervisor = await login_as(wf, client, Role.SUPERVISOR)
    created = await client.post("/api/units", json=RAPTOR)
    assert created.status_code == 201, created.text
    body = created.json()
    assert (body["kind"], body["crew"], body["capabilities"]) == (
        "drone",
        ["Pilot Ortiz"],
        ["thermal", "zoom-30x"],
    )
    assert (await client.post("/api/units", json=RAPTOR)).status_code == 409
    edited = await client.patch(
        "/api/units/RTCC-D1", json={"crew": ["Pilot Ortiz", "Obs. Kim"], "agency": None}
    )
    assert edited.status_code == 200, edited.text
    assert edited.json()["crew"] == ["Pilot Ortiz", "Obs. Kim"]
    assert edited.json()["agency"] is None
    assert edited.json()["capabilities"] == ["thermal", "zoom-30x"]
    assert (await wf.units.get("RTCC-D1")).crew == ["Pilot Ortiz", "Obs. Kim"]
    records = await wf.audit.query(AuditFilter(object_type="unit"))
    assert sorted((r.action, r.actor_username) for r in records) == [
        ("unit.created", supervisor.username),
        ("unit.edited", supervisor.username),
    ]


async def test_unit_details_are_refused_naming_the_field_or_the_role(
    wf: Watchfloor, client: AsyncClient
) -> None:
    await login_as(wf, client, Role.SUPERVISOR)
    bad_kind = await client.post("/api/units", json={**RAPTOR, "kind": "submarine"})
    assert bad_kind.status_code == 422
    assert [p["pointer"] for p in bad_kind.json()["error"]["problems"]] == ["/kind"]
    missing = await client.patch("/api/units/NOPE", json={"kind": "patrol"})
    assert missing.status_code == 404
    await login_as(wf, client, Role.OPERATOR)
    assert (await client.post("/api/units", json=RAPTOR)).status_code == 403
    assert (await client.patch("/api/units/RTCC-D1", json={"kind": "ems"})).status_code == 403


async def test_the_trail_route_answers_the_last_minutes(
    wf: Watchfloor, client: AsyncClient
) -> None:
    now = wf.clock.now()
    minutes_ago = [45, 20, 5, 1]
    for m in minutes_ago:
        at = now - timedelta(minutes=m)
        await wf.units.update_positions([position("1A10", 40.44, -80.0 + m / 1000, at)], FEED)
    await login_as(wf, client, Role.ANALYST)
    response = await client.get("/api/units/1A10/trail", params={"minutes": 30})
    assert response.status_code == 200, response.text
    assert [round(p["lon"], 3) for p in response.json()] == [-79.98, -79.995, -79.999]
    assert response.json()[0]["source"] == "feed"
    too_long = await client.get("/api/units/1A10/trail", params={"minutes": 100_000})
    assert too_long.status_code == 422
    assert (await client.get("/api/units/NOPE/trail")).status_code == 404


async def test_the_purge_job_drops_trail_points_past_the_retention(wf: Watchfloor) -> None:
    now = wf.clock.now()
    retention = timedelta(hours=wf.settings.units.trail_retention_h)
    for age in (retention + timedelta(minutes=1), retention - timedelta(minutes=1)):
        await wf.units.update_positions([position("1A10", 40.44, -80.0, now - age)], FEED)
    [job] = [j for j in wf.fieldlink.periodic_jobs() if j.name == "unit-trail-purge"]
    await job.run_once()
    assert job.failures == 0
    left = await wf.units.trail("1A10", now - 2 * retention)
    assert [p.at for p in left] == [now - retention + timedelta(minutes=1)]


async def _next_unit(outbox: asyncio.Queue[bytes]) -> dict[str, Any]:
    while True:
        message: dict[str, Any] = orjson.loads(await asyncio.wait_for(outbox.get(), 5))
        if message["type"] == "unit":
            return message


async def test_a_fed_position_reaches_the_consoles_as_a_unit_message(
    wf: Watchfloor, client: AsyncClient
) -> None:
    hub = asyncio.create_task(wf.live.run())
    await asyncio.sleep(0)  # let the hub subscribe to the bus
    try:
        console = wf.live.attach(None, None).listener
        headers = await feed_headers(wf, client)
        body = {"unit": "1A10", "latitude": 40.44, "longitude": -80.0, "heading": 45.0}
        body["at"] = wf.clock.now().isoformat()
        response = await client.post("/api/units/positions", json=body, headers=headers)
        assert response.status_code == 200, response.text
        message = await _next_unit(console.outbox)
        assert message["kind"] == "unit.changed"
        assert (message["unit"]["code"], message["unit"]["heading"]) == ("1A10", 45.0)
        assert message["unit"]["stale"] is False
    finally:
        hub.cancel()
