"""The console page, its assets, its configuration and the basemap."""

from __future__ import annotations

import gzip
from pathlib import Path

import orjson
import pytest
from httpx import ASGITransport, AsyncClient

from tests.support.auth import login_as
from watchfloor.app import Watchfloor, create_app
from watchfloor.core.clock import ManualClock
from watchfloor.core.context import Role
from watchfloor.web.console import CONSOLE_CSP


@pytest.fixture
def built_console(tmp_path: Path, wf: Watchfloor) -> Path:
    folder = tmp_path / "console"
    (folder / "assets").mkdir(parents=True)
    (folder / "index.html").write_text("<!doctype html><title>Watchfloor</title>")
    (folder / "assets" / "app-1a2b.js").write_text("console.log('floor')")
    return folder


async def _client_for(wf: Watchfloor) -> AsyncClient:
    transport = ASGITransport(app=create_app(wf), client=("203.0.113.7", 50000))
    return AsyncClient(transport=transport, base_url="https://testserver")


@pytest.mark.parametrize("path", ["/", "/wall"])
async def test_the_page_is_served_with_a_strict_policy(
    wf: Watchfloor, built_console: Path, path: str
) -> None:
    wf.settings = wf.settings.model_copy(update={"console_dir": built_console})
    async with await _client_for(wf) as http:
        response = await http.get(path)
    assert response.status_code == 200
    assert "<title>Watchfloor</title>" in response.text
    assert response.headers["content-security-policy"] == CONSOLE_CSP
    assert "'unsafe-inline'" not in CONSOLE_CSP
    assert response.headers["cache-control"] == "no-cache"


async def test_hashed_assets_are_cached_for_good(wf: Watchfloor, built_console: Path) -> None:
    wf.settings = wf.settings.model_copy(update={"console_dir": built_console})
    async with await _client_for(wf) as http:
        found = await http.get("/assets/app-1a2b.js")
        missing = await http.get("/assets/nope.js")
    assert found.status_code == 200
    assert "immutable" in found.headers["cache-control"]
    assert missing.status_code == 404


async def test_an_unbuilt_console_says_how_to_build_it(wf: Watchfloor, tmp_path: Path) -> None:
    wf.settings = wf.settings.model_copy(update={"console_dir": tmp_path / "empty"})
    async with await _client_for(wf) as http:
        response = await http.get("/")
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "console_not_built"
    assert "make console" in response.json()["error"]["message"]


async def test_config_tells_the_console_its_session_rules_and_user(
    wf: Watchfloor, client: AsyncClient, clock: ManualClock
) -> None:
    assert (await client.get("/api/console/config")).status_code == 401
    me = await login_as(wf, client, Role.OPERATOR, designator="RT3")
    response = await client.get("/api/console/config")
    assert response.status_code == 200
    config = response.json()
    assert config["idle_lock_minutes"] == 30
    assert config["server_time"].startswith(clock.now().isoformat()[:19])
    assert config["user"] == {"username": me.username, "role": "operator", "designator": "RT3"}
    assert config["demo_mode"] is False


async def test_the_bundled_basemap_is_real_osm_geography(
    wf: Watchfloor, client: AsyncClient
) -> None:
    assert (await client.get("/api/map/basemap")).status_code == 401
    await login_as(wf, client, Role.OPERATOR)
    response = await client.get("/api/map/basemap")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/geo+json"
    basemap = response.json()
    assert basemap["type"] == "FeatureCollection"
    assert "OpenStreetMap" in basemap["attribution"]
    layers = {feature["properties"]["layer"] for feature in basemap["features"]}
    assert {"street", "building", "place"} <= layers


async def test_the_basemap_travels_gzipped_when_the_browser_takes_it(
    wf: Watchfloor, tmp_path: Path
) -> None:
    path = tmp_path / "town.json"
    town = {"type": "FeatureCollection", "name": "Town", "features": [], "attribution": "OSM"}
    path.write_bytes(orjson.dumps(town))
    wf.basemap.path = path
    async with await _client_for(wf) as http:
        await login_as(wf, http, Role.ANALYST)
        zipped = await http.get("/api/map/basemap", headers={"accept-encoding": "gzip"})
        plain = await http.get("/api/map/basemap", headers={"accept-encoding": "identity"})
    assert zipped.headers["content-encoding"] == "gzip"
    assert zipped.json() == town  # httpx decodes
    assert "content-encoding" not in plain.headers
    assert orjson.loads(plain.content) == town
    raw = await _raw_body(wf, "gzip")
    assert orjson.loads(gzip.decompress(raw)) == town


async def _raw_body(wf: Watchfloor, encoding: str) -> bytes:
    body, gzipped = wf.basemap.body(encoding == "gzip")
    assert gzipped
    return body


async def test_the_basemap_is_not_for_feed_accounts(wf: Watchfloor, client: AsyncClient) -> None:
    _feed, token = await wf.auth.create_feed("cad")
    response = await client.get("/api/map/basemap", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 403
