"""Where no street data is loaded, travel times are refused with a reason; distances still work."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest
from httpx import AsyncClient

from tests.domain.units.support import FEED, position
from tests.support.auth import login_as
from watchfloor.app import Watchfloor
from watchfloor.core.context import Role
from watchfloor.settings import Settings, load_settings


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    """A jurisdiction whose basemap has water and parks but no streets."""
    basemap = tmp_path / "basemap.json"
    water = {
        "type": "Feature",
        "properties": {"layer": "water", "kind": "sea"},
        "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]},
    }
    basemap.write_bytes(orjson.dumps({"type": "FeatureCollection", "features": [water]}))
    data_dir = tmp_path / "data"
    return load_settings(data_dir=data_dir, database_url=database_url, basemap_path=basemap)


async def test_by_time_answers_409_and_by_distance_still_answers(
    wf: Watchfloor, client: AsyncClient
) -> None:
    await wf.units.update_positions([position("1A10", 60.17, 24.95, wf.clock.now())], FEED)
    await login_as(wf, client, Role.OPERATOR)
    point = {"lat": 60.171, "lon": 24.95}
    by_time = await client.get("/api/units/nearest", params={**point, "by": "time"})
    assert by_time.status_code == 409
    assert by_time.json()["error"]["code"] == "no_street_data"
    assert "no driveable streets" in by_time.json()["error"]["message"]
    by_distance = await client.get("/api/units/nearest", params={**point, "by": "distance"})
    assert by_distance.status_code == 200
    [unit] = by_distance.json()["units"]
    assert (unit["code"], unit["travel_s"], unit["route_m"]) == ("1A10", None, None)
    assert 100 < unit["distance_m"] < 120
