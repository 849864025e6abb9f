"""The unit roster: positions from a feed, nearest units, stale flags, status, CAD units."""

from __future__ import annotations

from datetime import timedelta

from httpx import AsyncClient
from sqlalchemy import select

from tests.domain.incidents.support import report, store, unit
from tests.support.auth import feed_token, login_as
from watchfloor.app import Watchfloor
from watchfloor.audit.service import AuditFilter
from watchfloor.core.context import Role
from watchfloor.core.geo import GeoPoint
from watchfloor.domain.quarantine.models import QuarantinedPayload
from watchfloor.events.cad import UnitStatus


def _position(
    code: str, lat: float, lon: float, at: str = "2026-11-21T13:59:00Z"
) -> dict[str, object]:
    return {"unit": code, "latitude": lat, "longitude": lon, "at": at, "kind": "PatrolCar"}


async def test_positions_from_the_feed_give_the_nearest_units_with_stale_flags(
    wf: Watchfloor, client: AsyncClient
) -> None:
    token = await feed_token(wf, client)
    body = [
        _position("1A10", 40.4405, -80.0),
        _position("1A11", 40.45, -80.0),
        _position("1A12", 40.4401, -80.0, at="2026-11-21T13:00:00Z"),
    ]
    response = await client.post(
        "/api/units/positions", json=body, headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 200, response.text
    assert response.json() == {"accepted": 3}
    near = await wf.units.nearest(40.44, -80.0, limit=2)
    assert [u.code for u in near] == ["1A12", "1A10"]
    assert near[0].stale
    assert not near[1].stale
    assert 50 < near[1].distance_m < 60
    await login_as(wf, client, Role.OPERATOR)
    listed = (await client.get("/api/units")).json()
    assert [u["code"] for u in listed] == ["1A10", "1A11", "1A12"]


async def test_a_bad_position_is_refused_naming_the_field_and_quarantined(
    wf: Watchfloor, client: AsyncClient
) -> None:
    token = await feed_token(wf, client)
    response = await client.post(
        "/api/units/positions",
        json=[_position("1A10", 40.44, -80.0), _position("1A11", 91.0, -80.0)],
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 422
    pointers = [p["pointer"] for p in response.json()["error"]["problems"]]
    assert pointers == ["/1/latitude"]
    async with wf.db.read_session() as session:
        held = (await session.execute(select(QuarantinedPayload))).scalars().all()
    assert [h.source for h in held] == ["units-positions"]
    assert await wf.units.list() == []


async def test_an_operator_may_not_feed_positions(wf: Watchfloor, client: AsyncClient) -> None:
    await login_as(wf, client, Role.OPERATOR)
    response = await client.post("/api/units/positions", json=_position("1A10", 40.44, -80.0))
    assert response.status_code == 403


async def test_status_change_is_audited_and_shown(wf: Watchfloor, client: AsyncClient) -> None:
    token = await feed_token(wf, client)
    await client.post(
        "/api/units/positions",
        json=_position("1A10", 40.44, -80.0),
        headers={"Authorization": f"Bearer {token}"},
    )
    operator = await login_as(wf, client, Role.OPERATOR)
    response = await client.put("/api/units/1A10/status", json={"status": "out_of_service"})
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "out_of_service"
    assert await wf.units.nearest(40.44, -80.0, available_only=True) == []
    records = await wf.audit.query(AuditFilter(action="unit.status.changed"))
    assert [(r.actor_username, r.object_id) for r in records] == [(operator.username, "1A10")]
    missing = await client.put("/api/units/NOPE/status", json={"status": "available"})
    assert missing.status_code == 404
    bad = await client.put("/api/units/1A10/status", json={"status": "napping"})
    assert bad.status_code == 422


async def test_the_roster_follows_cad_units_and_their_locations(wf: Watchfloor) -> None:
    reported = wf.bus.subscribe("cad.units.reported")
    at = wf.clock.now() - timedelta(minutes=1)
    cad_unit = unit("1b20", UnitStatus.EN_ROUTE, at).model_copy(
        update={"location": GeoPoint(lat=40.441, lon=-80.001)}
    )
    results = await store(wf, report(units=[cad_unit]))
    event = await reported.get(timeout=5)
    assert event.payload.incident_id == results[0].incident_id
    await wf.units.apply_cad(event.payload)
    listed = await wf.units.list()
    assert [(u.code, u.status, u.incident_id) for u in listed] == [
        ("1B20", "en_route", results[0].incident_id)
    ]
    assert (listed[0].lat, listed[0].lon) == (40.441, -80.001)
