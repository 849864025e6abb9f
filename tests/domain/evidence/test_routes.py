"""Video evidence over HTTP: who may do what, a reason for every download (422 naming it),
custody for downloads and transfers, packages built, downloaded and checked by upload."""

from __future__ import annotations

import hashlib
import io
import zipfile
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from httpx import ASGITransport, AsyncClient

from tests.domain.evidence.support import (
    CLIP,
    JPEG,
    OPERATOR,
    evidence_of,
    flip_one_byte,
    write_clip,
)
from tests.support.auth import login_as
from watchfloor.app import Watchfloor, create_app
from watchfloor.core.context import Role
from watchfloor.domain.evidence.routes import router
from watchfloor.domain.evidence.schemas import EvidenceKind
from watchfloor.domain.evidence.store import EvidenceStore
from watchfloor.web.policy import declared_policy, iter_api_routes


@pytest.fixture
async def http(wf: Watchfloor) -> AsyncIterator[AsyncClient]:
    """A client to the app with the evidence routes (added here until app.py includes them)."""
    evidence_of(wf)
    app = create_app(wf)
    if not any(getattr(r, "path", "").startswith("/api/evidence") for r in app.routes):
        app.include_router(router)
    transport = ASGITransport(app=app, client=("203.0.113.7", 50000))
    async with AsyncClient(transport=transport, base_url="https://testserver") as client:
        yield client


@pytest.fixture
def store(wf: Watchfloor) -> EvidenceStore:
    return evidence_of(wf)


async def _items(store: EvidenceStore, tmp_path: Path) -> tuple[str, str]:
    clip = await store.add_file(
        write_clip(tmp_path / "clip.mp4"),
        kind=EvidenceKind.CLIP,
        media_type="video/mp4",
        incident_ref="INC-9",
        context=OPERATOR,
    )
    shot = await store.add_bytes(JPEG, incident_ref="INC-9", context=OPERATOR)
    return clip.code, shot.code


def test_every_evidence_route_declares_its_roles() -> None:
    routes = iter_api_routes(list(router.routes))
    assert len(routes) == 9
    for route in routes:
        assert declared_policy(list(route.dependant.dependencies)) is not None, route.path


async def test_the_floor_finds_and_downloads_with_a_reason(
    wf: Watchfloor, http: AsyncClient, store: EvidenceStore, tmp_path: Path
) -> None:
    clip, shot = await _items(store, tmp_path)
    await login_as(wf, http, Role.OPERATOR, username="rt4")
    listed = await http.get("/api/evidence", params={"incident_ref": "INC-9"})
    assert [item["code"] for item in listed.json()] == [shot, clip]
    assert "stored_path" not in listed.text
    no_reason = await http.get(f"/api/evidence/{clip}/download")
    assert no_reason.status_code == 422
    assert [p["pointer"] for p in no_reason.json()["error"]["problems"]] == ["/reason"]
    got = await http.get(f"/api/evidence/{clip}/download", params={"reason": "canvass INC-9"})
    assert got.status_code == 200, got.text
    assert got.content == CLIP
    assert got.headers["x-evidence-sha256"] == hashlib.sha256(CLIP).hexdigest()
    assert got.headers["content-type"] == "video/mp4"
    assert got.headers["content-disposition"].startswith("attachment")
    shown = await http.get(
        f"/api/evidence/{shot}/download", params={"reason": "look", "inline": "true"}
    )
    assert shown.headers["content-disposition"].startswith("inline")
    detail = (await http.get(f"/api/evidence/{clip}")).json()
    assert [(c["action"], c["actor_username"]) for c in detail["custody"]] == [
        ("created", "rt3"),
        ("downloaded", "rt4"),
    ]
    assert detail["custody"][1]["reason"] == "canvass INC-9"
    assert (await http.get("/api/evidence/EV-2000-000001")).status_code == 404
    assert (await http.post(f"/api/evidence/{clip}/verify")).json()["ok"] is True


async def test_operators_cannot_build_or_hand_over_packages(
    wf: Watchfloor, http: AsyncClient, store: EvidenceStore, tmp_path: Path
) -> None:
    clip, _shot = await _items(store, tmp_path)
    await login_as(wf, http, Role.OPERATOR)
    body = {"codes": [clip], "recipient": "DA", "purpose": "trial"}
    assert (await http.post("/api/evidence/packages", json=body)).status_code == 403
    assert (await http.post("/api/evidence/packages/verify", content=b"x")).status_code == 403


async def test_auditors_read_custody_but_not_the_media(
    wf: Watchfloor, http: AsyncClient, store: EvidenceStore, tmp_path: Path
) -> None:
    clip, _shot = await _items(store, tmp_path)
    await login_as(wf, http, Role.AUDITOR)
    detail = await http.get(f"/api/evidence/{clip}")
    assert detail.status_code == 200
    assert detail.json()["custody"][0]["action"] == "created"
    assert (await http.get("/api/evidence/packages")).status_code == 200
    download = await http.get(f"/api/evidence/{clip}/download", params={"reason": "curious"})
    assert download.status_code == 403


async def test_admins_and_feeds_have_no_evidence(wf: Watchfloor, http: AsyncClient) -> None:
    await login_as(wf, http, Role.ADMIN)
    assert (await http.get("/api/evidence")).status_code == 403
    assert (await http.get("/api/evidence/packages")).status_code == 403


async def test_a_supervisor_builds_downloads_and_verifies_a_package(
    wf: Watchfloor, http: AsyncClient, store: EvidenceStore, tmp_path: Path
) -> None:
    clip, shot = await _items(store, tmp_path)
    await login_as(wf, http, Role.SUPERVISOR, username="rt710")
    body = {"codes": [clip, shot], "recipient": "Espoo PD", "purpose": "joint investigation"}
    bad = await http.post("/api/evidence/packages", json={**body, "codes": [clip, clip]})
    assert bad.status_code == 422
    assert [p["pointer"] for p in bad.json()["error"]["problems"]] == ["/codes"]
    built = await http.post("/api/evidence/packages", json=body)
    assert built.status_code == 201, built.text
    code = built.json()["code"]
    path = f"/api/evidence/packages/{code}/download"
    assert (await http.get(path)).status_code == 422
    archive = await http.get(path, params={"reason": "courier to Espoo"})
    assert archive.status_code == 200
    assert hashlib.sha256(archive.content).hexdigest() == built.json()["sha256"]
    custody = (await http.get(f"/api/evidence/{clip}")).json()["custody"]
    assert [c["action"] for c in custody] == ["created", "packaged", "transferred"]
    assert custody[-1]["recipient"] == "Espoo PD"

    report = await http.post(
        "/api/evidence/packages/verify",
        content=archive.content,
        headers={"Content-Type": "application/zip"},
    )
    assert report.json()["ok"] is True
    assert report.json()["recorded_match"] is True
    tampered = _with_member_changed(archive.content, f"files/{shot}.jpg")
    failed = (await http.post("/api/evidence/packages/verify", content=tampered)).json()
    assert failed["ok"] is False
    assert f"files/{shot}.jpg" in [a["path"] for a in failed["altered"]]
    assert failed["recorded_match"] is False


async def test_a_package_upload_over_the_limit_is_refused(
    wf: Watchfloor, http: AsyncClient, store: EvidenceStore
) -> None:
    await login_as(wf, http, Role.ANALYST)
    store.packages._max_upload = 1024
    response = await http.post("/api/evidence/packages/verify", content=b"z" * 4096)
    assert response.status_code == 413
    assert list((store.directory / ".incoming").iterdir()) == []


def _with_member_changed(data: bytes, name: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as old, zipfile.ZipFile(out, "w") as new:
        for info in old.infolist():
            member = old.read(info.filename)
            new.writestr(info.filename, flip_one_byte(member) if info.filename == name else member)
    return out.getvalue()
