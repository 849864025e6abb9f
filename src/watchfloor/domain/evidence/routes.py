"""HTTP routes of video evidence: thin, each declares who may call it.

The floor (operators, supervisors, analysts) finds, views and downloads evidence, each download
with a reason; supervisors build packages and hand them over; auditors read items and their
custody but not the media. Verifying a package needs no access to ours: it hashes what is sent."""

from __future__ import annotations

from typing import Annotated, cast

from fastapi import APIRouter, Query, Request
from fastapi.responses import FileResponse
from pydantic import AwareDatetime

from watchfloor.core.context import Role
from watchfloor.domain.evidence.schemas import (
    EvidenceDetail,
    EvidenceKind,
    EvidenceOut,
    EvidenceQuery,
    ItemCheck,
    PackageIn,
    PackageOut,
    VerifyReport,
)
from watchfloor.domain.evidence.store import EvidenceStore
from watchfloor.web.policy import Principal, allow

router = APIRouter(prefix="/api/evidence", tags=["evidence"])

Floor = Annotated[Principal, allow(Role.OPERATOR, Role.SUPERVISOR, Role.ANALYST)]
Reader = Annotated[Principal, allow(Role.OPERATOR, Role.SUPERVISOR, Role.ANALYST, Role.AUDITOR)]
Packager = Annotated[Principal, allow(Role.SUPERVISOR, Role.ANALYST)]
Verifier = Annotated[Principal, allow(Role.SUPERVISOR, Role.ANALYST, Role.AUDITOR)]
Reason = Annotated[
    str, Query(min_length=3, max_length=500, description="why the evidence is taken out")
]

_ZIP_BODY = {
    "requestBody": {
        "required": True,
        "description": "an evidence package (ZIP) to check",
        "content": {"application/zip": {"schema": {"type": "string", "format": "binary"}}},
    }
}


def _evidence(request: Request) -> EvidenceStore:
    return cast(EvidenceStore, request.app.state.watchfloor.evidence)


def _attachment(name: str, sha256: str | None, inline: bool = False) -> dict[str, str]:
    headers = {
        "Cache-Control": "no-store",
        "Content-Disposition": f'{"inline" if inline else "attachment"}; filename="{name}"',
    }
    if sha256:
        headers["X-Evidence-SHA256"] = sha256
    return headers


@router.get("", response_model=list[EvidenceOut])
async def search_evidence(
    request: Request,
    principal: Reader,
    incident_ref: str | None = None,
    camera_code: str | None = None,
    kind: EvidenceKind | None = None,
    since: AwareDatetime | None = None,
    until: AwareDatetime | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> list[EvidenceOut]:
    """Items by incident, camera, kind and capture time, newest first (audited)."""
    query = EvidenceQuery(
        incident_ref=incident_ref,
        camera_code=camera_code,
        kind=kind,
        since=since,
        until=until,
        limit=limit,
    )
    return await _evidence(request).search(query, principal.context)


@router.get("/packages", response_model=list[PackageOut])
async def list_packages(
    request: Request, principal: Reader, limit: Annotated[int, Query(ge=1, le=500)] = 100
) -> list[PackageOut]:
    """Packages built, newest first."""
    del principal
    return await _evidence(request).packages.recent(limit)


@router.post("/packages", response_model=PackageOut, status_code=201)
async def build_package(request: Request, body: PackageIn, principal: Packager) -> PackageOut:
    """Build a package of items for a recipient, with manifest, custody log and SHA256SUMS."""
    return await _evidence(request).build_package(
        body.codes, body.recipient, body.purpose, principal.context
    )


@router.post("/packages/verify", response_model=VerifyReport, openapi_extra=_ZIP_BODY)
async def verify_package_upload(request: Request, principal: Verifier) -> VerifyReport:
    """Check a package (the body, a ZIP): altered, missing and unexpected files are named."""
    return await _evidence(request).verify_upload(request.stream(), principal.context)


@router.get("/packages/{code}", response_model=PackageOut)
async def get_package(request: Request, code: str, principal: Reader) -> PackageOut:
    """One package."""
    del principal
    return await _evidence(request).packages.get(code)


@router.get(
    "/packages/{code}/download",
    response_class=FileResponse,
    responses={200: {"content": {"application/zip": {}}}},
)
async def download_package(
    request: Request, code: str, reason: Reason, principal: Packager
) -> FileResponse:
    """The package's archive, handed to its recipient (custody: transferred; audited)."""
    path, package = await _evidence(request).open_package_for_transfer(
        code, reason, principal.context
    )
    headers = _attachment(f"{package.code}.zip", package.sha256)
    return FileResponse(path, media_type="application/zip", headers=headers)


@router.get("/{code}", response_model=EvidenceDetail)
async def get_evidence(request: Request, code: str, principal: Reader) -> EvidenceDetail:
    """One item with its chain of custody (audited)."""
    return await _evidence(request).get(code, principal.context)


@router.get(
    "/{code}/download",
    response_class=FileResponse,
    responses={200: {"content": {"video/mp4": {}, "image/jpeg": {}}}},
)
async def download_evidence(
    request: Request, code: str, reason: Reason, principal: Floor, inline: bool = False
) -> FileResponse:
    """The item's file, with the reason recorded (custody: downloaded, or viewed when inline)."""
    path, item = await _evidence(request).open_for_download(
        code, reason, principal.context, inline=inline
    )
    headers = _attachment(path.name, item.sha256, inline)
    return FileResponse(path, media_type=item.media_type, headers=headers)


@router.post("/{code}/verify", response_model=ItemCheck)
async def verify_evidence(request: Request, code: str, principal: Reader) -> ItemCheck:
    """Hash the stored file again and compare it with the hash taken at creation (audited)."""
    return await _evidence(request).verify_item(code, principal.context)
