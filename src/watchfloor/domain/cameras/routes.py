"""HTTP routes of the camera registry: thin, each declares who may call it. No route returns a
camera's stream addresses."""

from __future__ import annotations

from typing import Annotated, Literal, cast

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import JSONResponse

from watchfloor.core.context import Role
from watchfloor.domain.cameras.schemas import (
    CameraIn,
    CameraKind,
    CameraOut,
    CameraPatch,
    CameraStatus,
    ImportResult,
    PositionIn,
    RetireIn,
)
from watchfloor.domain.cameras.service import CameraRegistry
from watchfloor.domain.cameras.sight import CameraSight, SightingOut
from watchfloor.web.body import read_limited
from watchfloor.web.policy import Principal, allow

router = APIRouter(prefix="/api/cameras", tags=["cameras"])

Viewer = Annotated[Principal, allow(Role.OPERATOR, Role.SUPERVISOR, Role.ANALYST)]
Lister = Annotated[Principal, allow(Role.OPERATOR, Role.SUPERVISOR, Role.ANALYST, Role.ADMIN)]
Registrar = Annotated[Principal, allow(Role.SUPERVISOR, Role.ADMIN)]
Exporter = Annotated[Principal, allow(Role.SUPERVISOR, Role.ADMIN, Role.AUDITOR)]
Tracker = Annotated[Principal, allow(Role.FEED, Role.ADMIN)]
Format = Annotated[
    Literal["csv", "geojson"], Query(alias="format", description="the inventory's format")
]

_INVENTORY_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "text/csv": {"schema": {"type": "string"}},
            "application/geo+json": {"schema": {"type": "object"}},
        },
    }
}


def _cameras(request: Request) -> CameraRegistry:
    return cast(CameraRegistry, request.app.state.watchfloor.cameras)


@router.get("/seeing", response_model=list[SightingOut])
async def cameras_seeing(
    request: Request,
    principal: Viewer,
    lat: Annotated[float, Query(ge=-90, le=90)],
    lon: Annotated[float, Query(ge=-180, le=180)],
    near_m: Annotated[float, Query(gt=0, le=2000)] = 150.0,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> list[SightingOut]:
    """The cameras that can see a point now, ranked: in view, PTZ can turn to it, merely near."""
    del principal
    sight = cast(CameraSight, request.app.state.watchfloor.camera_sight)
    return await sight.can_see(lat, lon, near_m=near_m, limit=limit)


@router.get("", response_model=list[CameraOut])
async def list_cameras(
    request: Request,
    principal: Lister,
    kind: CameraKind | None = None,
    status: CameraStatus | None = None,
) -> list[CameraOut]:
    """Every camera (of a kind, of a status), by code."""
    del principal
    return await _cameras(request).list(kind, status)


@router.post("", response_model=CameraOut, status_code=201)
async def create_camera(request: Request, body: CameraIn, principal: Registrar) -> CameraOut:
    """Register a camera (audited)."""
    return await _cameras(request).create(body, principal.context)


@router.post("/imports", response_model=ImportResult, openapi_extra=_INVENTORY_BODY)
async def import_inventory(
    request: Request, principal: Registrar, fmt: Format = "csv"
) -> ImportResult:
    """Create or update cameras from a CSV or GeoJSON inventory (audited); bad rows are named by
    line or feature index and field, the good ones are kept."""
    limit: int = request.app.state.watchfloor.settings.max_body_bytes
    data = await read_limited(request, limit)
    registry = _cameras(request)
    if fmt == "geojson":
        return await registry.import_geojson(data, principal.context)
    return await registry.import_csv(data, principal.context)


@router.get(
    "/export",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}, "application/geo+json": {}}}},
)
async def export_inventory(request: Request, principal: Exporter, fmt: Format = "csv") -> Response:
    """The whole inventory as CSV or GeoJSON (audited; never the stream addresses)."""
    registry = _cameras(request)
    headers = {"Cache-Control": "no-store"}
    if fmt == "geojson":
        document = await registry.export_geojson(principal.context)
        return JSONResponse(document, media_type="application/geo+json", headers=headers)
    text = await registry.export_csv(principal.context)
    headers["Content-Disposition"] = 'attachment; filename="cameras.csv"'
    return Response(text, media_type="text/csv; charset=utf-8", headers=headers)


@router.get("/{code}", response_model=CameraOut)
async def get_camera(request: Request, code: str, principal: Lister) -> CameraOut:
    """One camera."""
    del principal
    return await _cameras(request).get(code)


@router.patch("/{code}", response_model=CameraOut)
async def update_camera(
    request: Request, code: str, body: CameraPatch, principal: Registrar
) -> CameraOut:
    """Change the fields given (audited); stream addresses change only when given."""
    return await _cameras(request).update(code, body, principal.context)


@router.post("/{code}/retire", response_model=CameraOut)
async def retire_camera(
    request: Request, code: str, body: RetireIn, principal: Registrar
) -> CameraOut:
    """Take a camera out of service (audited, with the reason)."""
    return await _cameras(request).retire(code, body.reason, principal.context)


@router.post("/{code}/position", response_model=CameraOut)
async def report_position(
    request: Request, code: str, body: PositionIn, principal: Tracker
) -> CameraOut:
    """Where a mobile camera (in-car, drone, body-worn) is now."""
    del principal
    return await _cameras(request).report_position(code, body.lat, body.lon, body.at)
