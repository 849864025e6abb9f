"""Nearest available units to an incident in the demo city (Helsinki), by straight-line distance
and by travel time over its real streets."""

from __future__ import annotations

from datetime import timedelta

from httpx import AsyncClient

from tests.domain.incidents.support import report, store
from tests.domain.units.support import FEED, position
from tests.support.auth import login_as
from watchfloor.app import Watchfloor
from watchfloor.core.context import Role
from watchfloor.core.geo import GeoPoint
from watchfloor.events.cad import LocationReport

INCIDENT = GeoPoint(lat=60.17252, lon=24.950596)  # on Unioninkatu
# On the service lane by pedestrian Keskuskatu: ~500 m away, but ~1.7 km to drive round.
LANE = (60.170197, 24.942934)
# Down Unioninkatu: farther in a straight line (~570 m), straight up the same street to drive.
DOWN_THE_STREET = (60.167392, 24.95111)
BUSY = (60.1722, 24.9504)  # nearest of all, but out of service


async def _units(wf: Watchfloor) -> str:
    at = wf.clock.now() - timedelta(seconds=30)
    location = LocationReport(point=INCIDENT, address="Unioninkatu 20")
    incident_id = (await store(wf, report(location=location)))[0].incident_id
    await wf.units.update_positions(
        [
            position("2A1", *LANE, at),
            position("2A2", *DOWN_THE_STREET, at),
            position("2A3", *BUSY, at, status="out_of_service"),
        ],
        FEED,
    )
    return incident_id


async def test_by_travel_time_the_unit_down_the_street_comes_first(
    wf: Watchfloor, client: AsyncClient
) -> None:
    incident_id = await _units(wf)
    await login_as(wf, client, Role.OPERATOR)
    url = f"/api/incidents/{incident_id}/nearest-units"
    by_distance = (await client.get(url, params={"by": "distance"})).json()
    assert [u["code"] for u in by_distance["units"]] == ["2A1", "2A2"]
    by_time = await client.get(url, params={"by": "time"})
    assert by_time.status_code == 200, by_time.text
    units = by_time.json()["units"]
    assert [u["code"] for u in units] == ["2A2", "2A1"]
    lane, down = units[1], units[0]
    assert lane["distance_m"] < down["distance_m"]
    assert lane["route_m"] > 2.5 * lane["distance_m"]
    assert down["route_m"] < 1.1 * down["distance_m"]
    assert down["travel_s"] < lane["travel_s"]
    assert by_distance["units"][0]["travel_s"] == lane["travel_s"]  # distance ranks carry times
    everyone = await client.get(url, params={"by": "distance", "available": "false"})
    assert everyone.json()["units"][0]["code"] == "2A3"


async def test_nearest_to_a_point_and_refusals(wf: Watchfloor, client: AsyncClient) -> None:
    await _units(wf)
    await login_as(wf, client, Role.ANALYST)
    point = {"lat": INCIDENT.lat, "lon": INCIDENT.lon}
    response = await client.get("/api/units/nearest", params={**point, "by": "time", "limit": 1})
    assert response.status_code == 200, response.text
    assert [u["code"] for u in response.json()["units"]] == ["2A2"]
    bad = await client.get("/api/units/nearest", params={**point, "by": "crow"})
    assert bad.status_code == 422
    assert (await client.get("/api/incidents/nope/nearest-units")).status_code == 404
    sea = await client.get("/api/units/nearest", params={"lat": 59.9, "lon": 24.9, "by": "time"})
    assert sea.status_code == 409  # out at sea: no street within reach
    assert sea.json()["error"]["code"] == "no_street_data"


async def test_the_roster_ranks_a_fed_unit_at_once(wf: Watchfloor) -> None:
    await _units(wf)
    nearest = await wf.fieldlink.unit_nearest.to_point(INCIDENT.lat, INCIDENT.lon, "time", 5)
    assert [u.code for u in nearest.units] == ["2A2", "2A1"]
    moved = position("2A1", *BUSY, wf.clock.now())
    await wf.units.update_positions([moved], FEED)
    nearest = await wf.fieldlink.unit_nearest.to_point(INCIDENT.lat, INCIDENT.lon, "time", 5)
    assert [u.code for u in nearest.units] == ["2A1", "2A2"]
