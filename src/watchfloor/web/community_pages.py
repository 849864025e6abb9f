"""The public Community Connect pages (no police account): register, the owner's private page and
the page that answers one footage request, with the public basemap for the pin map. The built
pages live in the console's dist under community/ and share its hashed /assets."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import FileResponse, Response

from watchfloor.core.errors import Unavailable
from watchfloor.web.console import Basemap
from watchfloor.web.policy import public

router = APIRouter(tags=["community pages"])

# Like the console's: MapLibre draws in a blob: worker; forms post only to this server; nothing
# leaves for a third party (no fonts, tiles or analytics).
COMMUNITY_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "worker-src 'self' blob:; child-src blob:; connect-src 'self'; font-src 'self'; "
    "media-src 'none'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; "
    "form-action 'self'"
)

PAGES = {"register": "index.html", "owner": "owner.html", "answer": "answer.html"}


def _page(request: Request, name: str) -> FileResponse:
    pages_dir: Path = request.app.state.community_pages_dir
    page = pages_dir / PAGES[name]
    if not page.is_file():
        raise Unavailable(
            f"the community pages are not built in {pages_dir}: run `make console`",
            "community_pages_not_built",
        )
    return FileResponse(
        page,
        media_type="text/html",
        headers={"content-security-policy": COMMUNITY_CSP, "cache-control": "no-cache"},
    )


@router.get("/community/", include_in_schema=False, dependencies=[public()])
async def register_page(request: Request) -> FileResponse:
    """Register a camera: what the programme is, the public numbers, the form."""
    return _page(request, "register")


@router.get("/community", include_in_schema=False, dependencies=[public()])
async def register_page_bare(request: Request) -> FileResponse:
    """The register page without the trailing slash."""
    return _page(request, "register")


@router.get("/community/owner", include_in_schema=False, dependencies=[public()])
async def owner_page(request: Request) -> FileResponse:
    """The owner's private page (the token arrives in the URL fragment)."""
    return _page(request, "owner")


@router.get("/community/answer", include_in_schema=False, dependencies=[public()])
async def answer_page(request: Request) -> FileResponse:
    """The page that answers one footage request: upload or decline."""
    return _page(request, "answer")


@router.get("/community/basemap.json", include_in_schema=False, dependencies=[public()])
async def public_basemap(request: Request) -> Response:
    """The jurisdiction's streets and places for the pin map (OpenStreetMap, ODbL)."""
    store: Basemap = request.app.state.watchfloor.basemap
    gzip_ok = "gzip" in request.headers.get("accept-encoding", "")
    body, gzipped = store.body(gzip_ok)
    headers = {"cache-control": "public, max-age=3600", "vary": "accept-encoding"}
    if gzipped:
        headers["content-encoding"] = "gzip"
    return Response(body, media_type="application/geo+json", headers=headers)


def install_community_pages(app: FastAPI, dist_dir: Path) -> None:
    """Serve the public pages from `dist_dir`/community (their assets come with the console's)."""
    app.state.community_pages_dir = dist_dir / "community"
    app.include_router(router)
