"""The operator console: its page (at / and /wall), its built assets, its configuration and the
jurisdiction's basemap. Works with no internet: everything is served from here."""

from __future__ import annotations

import gzip
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

import orjson
from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import FileResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel
from starlette.types import Scope

from watchfloor.core.context import Role
from watchfloor.core.errors import Unavailable
from watchfloor.web.policy import Principal, allow, public

router = APIRouter(tags=["console"])

PEOPLE = (Role.OPERATOR, Role.SUPERVISOR, Role.ANALYST, Role.ADMIN, Role.AUDITOR)
Person = Annotated[Principal, allow(*PEOPLE)]
Reader = Annotated[Principal, allow(Role.OPERATOR, Role.SUPERVISOR, Role.ANALYST)]

# MapLibre draws in a blob: worker; styles are applied from code, never inline markup.
CONSOLE_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "worker-src 'self' blob:; child-src blob:; media-src 'self' blob:; connect-src 'self'; "
    "font-src 'self'; "
    "object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
)


class ConsoleUser(BaseModel):
    """Who is at the console."""

    username: str
    role: Role
    designator: str | None


class ConsoleConfig(BaseModel):
    """What the console needs to know about this installation and its session rules."""

    idle_lock_minutes: int
    server_time: datetime
    demo_mode: bool
    version: str
    user: ConsoleUser


@dataclass
class Basemap:
    """The jurisdiction's basemap as GeoJSON, loaded once and kept compressed for the wire."""

    path: Path
    _raw: bytes | None = None
    _gzipped: bytes | None = None

    def body(self, accepts_gzip: bool) -> tuple[bytes, bool]:
        """The document, gzipped when the client takes it; (bytes, is_gzipped)."""
        if self._raw is None:
            document: dict[str, Any] = orjson.loads(self.path.read_bytes())
            if document.get("type") != "FeatureCollection":
                raise ValueError(f"{self.path} is not a GeoJSON FeatureCollection")
            self._raw = orjson.dumps(document)
            self._gzipped = gzip.compress(self._raw, compresslevel=6, mtime=0)
        if accepts_gzip and self._gzipped is not None:
            return self._gzipped, True
        return self._raw, False


class ConsoleAssets(StaticFiles):
    """Built, content-hashed files: cacheable for good, so a shift change reloads in no time."""

    async def get_response(self, path: str, scope: Scope) -> Response:
        response = await super().get_response(path, scope)
        if response.status_code == 200:
            response.headers["cache-control"] = "public, max-age=31536000, immutable"
        return response


def _page(request: Request) -> FileResponse:
    console_dir: Path = request.app.state.console_dir
    index = console_dir / "index.html"
    if not index.is_file():
        raise Unavailable(
            f"the console is not built in {console_dir}: run `make console`", "console_not_built"
        )
    return FileResponse(
        index,
        media_type="text/html",
        headers={"content-security-policy": CONSOLE_CSP, "cache-control": "no-cache"},
    )


@router.get("/", include_in_schema=False, dependencies=[public()])
async def console_page(request: Request) -> FileResponse:
    """The operator console."""
    return _page(request)


@router.get("/wall", include_in_schema=False, dependencies=[public()])
async def wall_page(request: Request) -> FileResponse:
    """The video-wall view: map and live queue, no operator controls."""
    return _page(request)


@router.get("/api/console/config")
async def console_config(request: Request, principal: Person) -> ConsoleConfig:
    """Session rules, server time (for age counters) and who is logged on."""
    wf = request.app.state.watchfloor
    return ConsoleConfig(
        idle_lock_minutes=wf.settings.security.session_idle_minutes,
        server_time=wf.clock.now(),
        demo_mode=wf.settings.demo_mode,
        version=request.app.version,
        user=ConsoleUser(
            username=principal.username, role=principal.role, designator=principal.designator
        ),
    )


@router.get(
    "/api/map/basemap",
    responses={200: {"content": {"application/geo+json": {}}}},
    response_class=JSONResponse,
)
async def basemap(request: Request, principal: Reader) -> Response:
    """The jurisdiction's streets, buildings and places (GeoJSON; OpenStreetMap, ODbL)."""
    del principal
    store: Basemap = request.app.state.watchfloor.basemap
    gzip_ok = "gzip" in request.headers.get("accept-encoding", "")
    body, gzipped = store.body(gzip_ok)
    headers = {"cache-control": "private, max-age=300", "vary": "accept-encoding"}
    if gzipped:
        headers["content-encoding"] = "gzip"
    return Response(body, media_type="application/geo+json", headers=headers)


def install_console(app: FastAPI, console_dir: Path) -> None:
    """Serve the console page, its assets and its API routes."""
    app.state.console_dir = console_dir
    app.include_router(router)
    assets = console_dir / "assets"
    app.mount("/assets", ConsoleAssets(directory=assets, check_dir=False), name="console-assets")
