"""The public Community Connect pages: public, with a strict policy; the public basemap."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest
from httpx import ASGITransport, AsyncClient

from watchfloor.app import Watchfloor, create_app
from watchfloor.web.community_pages import COMMUNITY_CSP

PAGES = {
    "/community/": "register",
    "/community": "register",
    "/community/owner": "owner",
    "/community/answer": "answer",
}


@pytest.fixture
def built_pages(tmp_path: Path) -> Path:
    folder = tmp_path / "console"
    (folder / "community").mkdir(parents=True)
    (folder / "assets").mkdir()
    (folder / "index.html").write_text("<!doctype html><title>Watchfloor</title>")
    for name, file in (("register", "index"), ("owner", "owner"), ("answer", "answer")):
        (folder / "community" / f"{file}.html").write_text(f"<!doctype html><title>{name}</title>")
    return folder


async def _client_for(wf: Watchfloor) -> AsyncClient:
    transport = ASGITransport(app=create_app(wf), client=("203.0.113.7", 50000))
    return AsyncClient(transport=transport, base_url="https://testserver")


@pytest.mark.parametrize(("path", "page"), PAGES.items())
async def test_each_page_is_public_with_a_strict_policy(
    wf: Watchfloor, built_pages: Path, path: str, page: str
) -> None:
    wf.settings = wf.settings.model_copy(update={"console_dir": built_pages})
    async with await _client_for(wf) as http:
        response = await http.get(path)
    assert response.status_code == 200, response.text
    assert f"<title>{page}</title>" in response.text
    assert response.headers["content-type"].startswith("text/html")
    assert response.headers["content-security-policy"] == COMMUNITY_CSP
    assert response.headers["cache-control"] == "no-cache"
    assert response.headers["referrer-policy"] == "no-referrer"


def test_the_policy_allows_only_this_server_and_maplibre_workers() -> None:
    directives = dict(d.strip().split(" ", 1) for d in COMMUNITY_CSP.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["connect-src"] == "'self'"
    assert directives["form-action"] == "'self'"
    assert directives["worker-src"] == "'self' blob:"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe" not in COMMUNITY_CSP
    assert "http" not in COMMUNITY_CSP


async def test_unbuilt_pages_say_how_to_build_them(wf: Watchfloor, tmp_path: Path) -> None:
    wf.settings = wf.settings.model_copy(update={"console_dir": tmp_path / "empty"})
    async with await _client_for(wf) as http:
        response = await http.get("/community/owner")
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "community_pages_not_built"
    assert "make console" in response.json()["error"]["message"]


async def test_the_basemap_is_public_and_gzipped_when_taken(wf: Watchfloor, tmp_path: Path) -> None:
    path = tmp_path / "town.json"
    town = {"type": "FeatureCollection", "name": "Town", "features": [], "attribution": "OSM"}
    path.write_bytes(orjson.dumps(town))
    wf.basemap.path = path
    async with await _client_for(wf) as http:  # no log-on
        zipped = await http.get("/community/basemap.json", headers={"accept-encoding": "gzip"})
        plain = await http.get("/community/basemap.json", headers={"accept-encoding": "identity"})
        console_one = await http.get("/api/map/basemap")
    assert zipped.status_code == 200
    assert zipped.headers["content-type"] == "application/geo+json"
    assert zipped.headers["content-encoding"] == "gzip"
    assert zipped.json() == town
    assert "content-encoding" not in plain.headers
    assert orjson.loads(plain.content) == town
    assert console_one.status_code == 401  # the console's own stays behind log-on


def test_the_built_pages_exist_in_the_package() -> None:
    """`make console` builds the three pages into the package beside the console."""
    dist = Path(__file__).parents[2] / "src" / "watchfloor" / "web" / "console_dist" / "community"
    for name in ("index.html", "owner.html", "answer.html"):
        html = (dist / name).read_text()
        assert '<script type="module"' in html
        assert "http://" not in html
        assert "https://" not in html
