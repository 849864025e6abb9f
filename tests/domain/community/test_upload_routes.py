"""The owner's answer page over HTTP: the token from the e-mail in X-Upload-Token, the CSRF token
on every write, chunks streamed past the body-size cap but held to the chunk limit, resume after a
mismatch, wrong types refused, links that are expired or spent refused with 410; transparency."""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient

from tests.domain.community.requests_support import (
    OPERATOR,
    add_incident,
    add_site,
    link_in,
    mp4_bytes,
    request_in,
)
from tests.support.smtp import SmtpServer, smtp_server  # noqa: F401
from watchfloor.app import Watchfloor, create_app
from watchfloor.core.clock import ManualClock
from watchfloor.settings import Settings, load_settings

CSRF = "c" * 43
CHUNK = 64 * 1024


@pytest.fixture
def settings(database_url: str, tmp_path: Path, smtp_server: SmtpServer) -> Settings:  # noqa: F811
    return load_settings(
        data_dir=tmp_path / "data",
        database_url=database_url,
        video={"smtp_url": smtp_server.url},
        max_body_bytes=32 * 1024,  # below a chunk: the chunk route must read its own body
        community={
            "public_base_url": "https://watch.example.gov",
            "chunk_bytes": CHUNK,
            "max_file_bytes": 1024 * 1024,
        },
    )


@pytest.fixture
def app(wf: Watchfloor) -> FastAPI:
    return create_app(wf)


@pytest.fixture
async def owner(app: FastAPI) -> AsyncIterator[AsyncClient]:
    """The owner's browser on the answer page (holding the page's CSRF cookie)."""
    transport = ASGITransport(app=app, client=("198.51.100.20", 40000))
    headers = {"Cookie": f"wfc_csrf={CSRF}", "X-CSRF-Token": CSRF}
    async with AsyncClient(
        transport=transport, base_url="https://testserver", headers=headers
    ) as http:
        yield http


async def _token(wf: Watchfloor, smtp_server: SmtpServer) -> str:  # noqa: F811
    incident = await add_incident(wf)
    site = await add_site(wf)
    await wf.community.requests.create(request_in(incident, site.camera_ids), OPERATOR)
    return link_in((await smtp_server.wait_for(1))[-1].body)


async def _put(owner: AsyncClient, token: str, file_id: str, offset: int, data: bytes) -> Any:
    return await owner.put(
        f"/community/api/answer/files/{file_id}",
        params={"offset": offset},
        content=data,
        headers={"X-Upload-Token": token, "Content-Type": "application/octet-stream"},
    )


async def test_an_owner_answers_with_a_clip_sent_in_chunks(
    wf: Watchfloor,
    owner: AsyncClient,
    smtp_server: SmtpServer,  # noqa: F811
) -> None:
    token = await _token(wf, smtp_server)
    auth = {"X-Upload-Token": token}
    view = await owner.get("/community/api/answer", headers=auth)
    assert view.status_code == 200, view.text
    assert view.json()["status"] == "opened"
    assert view.json()["chunk_bytes"] == CHUNK
    data = mp4_bytes(200 * 1024)
    declared = await owner.post(
        "/community/api/answer/files", json={"filename": "cam.mp4", "size": len(data)}, headers=auth
    )
    assert declared.status_code == 201, declared.text
    file_id = declared.json()["id"]

    assert (await _put(owner, token, file_id, 0, data[:CHUNK])).status_code == 200
    skipped = await _put(owner, token, file_id, 2 * CHUNK, data[2 * CHUNK : 3 * CHUNK])
    assert skipped.status_code == 409
    assert skipped.json()["error"]["code"] == "offset_mismatch"
    at = (await owner.get(f"/community/api/answer/files/{file_id}", headers=auth)).json()
    for offset in range(at["received"], len(data), CHUNK):
        last = await _put(owner, token, file_id, offset, data[offset : offset + CHUNK])
        assert last.status_code == 200, last.text
    assert last.json()["status"] == "stored"
    assert last.json()["sha256"] == hashlib.sha256(data).hexdigest()

    done = await owner.post("/community/api/answer/finish", json={"note": None}, headers=auth)
    assert done.status_code == 200
    assert done.json()["status"] == "uploaded"
    again = await owner.post("/community/api/answer/finish", json={}, headers=auth)
    assert again.status_code == 410
    assert (await owner.get("/community/api/answer", headers=auth)).status_code == 410


async def test_wrong_types_and_sizes_are_refused(
    wf: Watchfloor,
    owner: AsyncClient,
    smtp_server: SmtpServer,  # noqa: F811
) -> None:
    token = await _token(wf, smtp_server)
    auth = {"X-Upload-Token": token}
    huge = await owner.post(
        "/community/api/answer/files", json={"filename": "a.mp4", "size": 2**21}, headers=auth
    )
    assert huge.status_code == 413
    page = b"<html><body>" + b"x" * 1000 + b"</body></html>"
    declared = await owner.post(
        "/community/api/answer/files", json={"filename": "a.mp4", "size": len(page)}, headers=auth
    )
    file_id = declared.json()["id"]
    too_big = await _put(owner, token, file_id, 0, b"\0" * (CHUNK + 1))
    assert too_big.status_code == 413
    refused = await _put(owner, token, file_id, 0, page)
    assert refused.status_code == 422
    assert "not a video or photo" in refused.json()["error"]["message"]
    status = await owner.get(f"/community/api/answer/files/{file_id}", headers=auth)
    assert status.json()["status"] == "rejected"
    bad_name = await owner.post(
        "/community/api/answer/files", json={"filename": "", "size": 10}, headers=auth
    )
    assert bad_name.status_code == 422


async def test_writes_need_the_page_csrf_token_and_a_live_link(
    wf: Watchfloor,
    owner: AsyncClient,
    clock: ManualClock,
    smtp_server: SmtpServer,  # noqa: F811
) -> None:
    token = await _token(wf, smtp_server)
    auth = {"X-Upload-Token": token}
    no_csrf = await owner.post(
        "/community/api/answer/decline", json={}, headers=auth | {"X-CSRF-Token": "other"}
    )
    assert no_csrf.status_code == 403
    cross = await owner.post(
        "/community/api/answer/decline", json={}, headers=auth | {"Origin": "https://evil.test"}
    )
    assert cross.status_code == 403
    unknown = await owner.get("/community/api/answer", headers={"X-Upload-Token": "x" * 43})
    assert unknown.status_code == 404
    assert (await owner.get("/community/api/answer")).status_code == 404
    clock.advance(timedelta(days=wf.settings.community.request_link_days, seconds=1))
    expired = await owner.get("/community/api/answer", headers=auth)
    assert expired.status_code == 410


async def test_an_owner_declines_without_giving_a_reason(
    wf: Watchfloor,
    owner: AsyncClient,
    smtp_server: SmtpServer,  # noqa: F811
) -> None:
    token = await _token(wf, smtp_server)
    auth = {"X-Upload-Token": token}
    declined = await owner.post("/community/api/answer/decline", json={}, headers=auth)
    assert declined.status_code == 200
    assert declined.json()["status"] == "declined"
    again = await owner.post("/community/api/answer/decline", json={}, headers=auth)
    assert again.status_code == 410


async def test_the_public_transparency_numbers(
    wf: Watchfloor,
    owner: AsyncClient,
    smtp_server: SmtpServer,  # noqa: F811
) -> None:
    await _token(wf, smtp_server)
    numbers = await owner.get("/community/api/transparency")
    assert numbers.status_code == 200
    body = numbers.json()
    assert (body["registrations"], body["cameras"], body["requests"]) == (1, 2, 1)
    assert body["months"][-1] == {"month": "2026-11", "requests": 1, "answered": 0}
