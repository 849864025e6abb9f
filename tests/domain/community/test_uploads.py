"""Owners' uploads through the desk: chunks at offsets, resumed after a mismatch, a broken chunk
or a restart; hashed as they stream; sniffed; stored as evidence of the incident with custody, or
rejected with their bytes deleted; sizes and counts limited."""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.domain.community.requests_support import (
    OPERATOR,
    OWNER,
    add_incident,
    add_site,
    chunks,
    community_settings,
    link_in,
    mp4_bytes,
    request_in,
)
from tests.support.smtp import SmtpServer, smtp_server  # noqa: F401
from watchfloor.app import Watchfloor
from watchfloor.core.errors import Conflict, Gone, InvalidInput, PayloadTooLarge
from watchfloor.domain.community.request_schemas import FileIn, UploadOut
from watchfloor.domain.community.uploads import UploadDesk, partial_path
from watchfloor.domain.community.vocabulary import RequestStatus, UploadStatus
from watchfloor.domain.evidence.schemas import CustodyAction, EvidenceKind
from watchfloor.settings import Settings

CHUNK = 64 * 1024


@pytest.fixture
def settings(database_url: str, tmp_path: Path, smtp_server: SmtpServer) -> Settings:  # noqa: F811
    return community_settings(database_url, tmp_path, smtp_server.url)


async def _requested(wf: Watchfloor, smtp_server: SmtpServer) -> tuple[str, str, str]:  # noqa: F811
    """(incident id, request id, upload token) of a fresh request."""
    incident = await add_incident(wf)
    site = await add_site(wf)
    (made,) = await wf.community.requests.create(request_in(incident, site.camera_ids), OPERATOR)
    token = link_in((await smtp_server.wait_for(1))[-1].body)
    await wf.community.requests.answer_view(token, OWNER)
    return incident, made.id, token


async def _send(
    desk: UploadDesk, token: str, upload: UploadOut, data: bytes, start: int = 0
) -> UploadOut:
    out = upload
    for at in range(start, len(data), CHUNK):
        out = await desk.put_chunk(token, upload.id, at, chunks(data[at : at + CHUNK]), OWNER)
    return out


async def test_a_clip_sent_in_chunks_becomes_evidence_of_the_incident(
    wf: Watchfloor,
    smtp_server: SmtpServer,  # noqa: F811
) -> None:
    incident, request_id, token = await _requested(wf, smtp_server)
    desk = wf.community.uploads
    data = mp4_bytes(300 * 1024)
    upload = await desk.declare(token, FileIn(filename="C:\\NVR\\cam1 export.mp4", size=len(data)))
    assert upload.filename == "cam1 export.mp4"
    assert upload.status is UploadStatus.RECEIVING

    half = await _send(desk, token, upload, data[: 2 * CHUNK])
    with pytest.raises(Conflict) as mismatch:  # the page lost track: it must ask, then resume
        await desk.put_chunk(token, upload.id, 3 * CHUNK, chunks(data[:CHUNK]), OWNER)
    assert mismatch.value.code == "offset_mismatch"
    asked = await desk.status(token, upload.id)
    assert asked.received == half.received == 2 * CHUNK
    done = await _send(desk, token, upload, data, start=asked.received)

    assert done.status is UploadStatus.STORED
    assert done.sha256 == hashlib.sha256(data).hexdigest()
    assert done.media_type == "video/mp4"
    assert not partial_path(desk.root, upload.id).exists()
    view = await wf.community.requests.finish(token, "Two cameras, same clip", OWNER)
    assert view.status is RequestStatus.UPLOADED
    (listed,) = await wf.community.requests.for_incident(incident, OPERATOR)
    (kept,) = listed.files
    assert kept.evidence_code is not None
    item = await wf.evidence.get(kept.evidence_code, OPERATOR)
    assert item.kind is EvidenceKind.UPLOAD
    assert item.incident_ref == incident
    assert item.sha256 == done.sha256
    assert item.size_bytes == len(data)
    assert item.captured_from == listed.window_from
    assert item.captured_to == listed.window_to
    assert [c.action for c in item.custody][:1] == [CustodyAction.CREATED]
    (stored,) = wf.evidence.directory.glob(f"items/*/{item.code}.mp4")
    assert hashlib.sha256(stored.read_bytes()).hexdigest() == done.sha256
    with pytest.raises(Gone):  # the spent link does nothing more
        await desk.declare(token, FileIn(filename="more.mp4", size=10))
    rated = await wf.community.requests.mark_useful(request_id, True, OPERATOR)
    assert rated.useful is True


async def test_after_a_restart_the_hash_is_taken_again_from_the_partial_file(
    wf: Watchfloor,
    smtp_server: SmtpServer,  # noqa: F811
) -> None:
    _, _, token = await _requested(wf, smtp_server)
    data = mp4_bytes(200 * 1024)
    first = wf.community.uploads
    upload = await first.declare(token, FileIn(filename="a.mp4", size=len(data)))
    await _send(first, token, upload, data[:CHUNK])

    again = UploadDesk(wf.db, wf.clock, wf.evidence, wf.settings)  # nothing in memory
    done = await _send(again, token, upload, data, start=CHUNK)

    assert done.sha256 == hashlib.sha256(data).hexdigest()


async def _breaks(data: bytes) -> AsyncIterator[bytes]:
    yield data[: CHUNK // 2]
    raise ConnectionResetError("the owner's connection dropped")


async def test_a_broken_chunk_leaves_nothing_and_the_chunk_is_sent_again(
    wf: Watchfloor,
    smtp_server: SmtpServer,  # noqa: F811
) -> None:
    _, _, token = await _requested(wf, smtp_server)
    desk = wf.community.uploads
    data = mp4_bytes(150 * 1024)
    upload = await desk.declare(token, FileIn(filename="a.mp4", size=len(data)))
    await _send(desk, token, upload, data[:CHUNK])

    with pytest.raises(ConnectionResetError):
        await desk.put_chunk(token, upload.id, CHUNK, _breaks(data[CHUNK:]), OWNER)

    assert (await desk.status(token, upload.id)).received == CHUNK
    assert partial_path(desk.root, upload.id).stat().st_size == CHUNK
    done = await _send(desk, token, upload, data, start=CHUNK)
    assert done.sha256 == hashlib.sha256(data).hexdigest()


async def test_a_file_that_is_not_footage_is_rejected_and_its_bytes_deleted(
    wf: Watchfloor,
    smtp_server: SmtpServer,  # noqa: F811
) -> None:
    _, _, token = await _requested(wf, smtp_server)
    desk = wf.community.uploads
    data = b"MZ\x90\x00" + bytes(100 * 1024)  # a program named like a video
    upload = await desk.declare(token, FileIn(filename="clip.mp4", size=len(data)))

    with pytest.raises(InvalidInput) as refused:
        await _send(desk, token, upload, data)

    assert "not a video or photo" in refused.value.message
    status = await desk.status(token, upload.id)
    assert status.status is UploadStatus.REJECTED
    assert status.problem
    assert not partial_path(desk.root, upload.id).exists()
    assert list(wf.evidence.directory.rglob("*.mp4")) == []
    with pytest.raises(InvalidInput):  # a rejected file is no reason to finish
        await wf.community.requests.finish(token, None, OWNER)


async def test_sizes_and_counts_are_limited(
    wf: Watchfloor,
    smtp_server: SmtpServer,  # noqa: F811
) -> None:
    _, _, token = await _requested(wf, smtp_server)
    desk = wf.community.uploads
    limit = wf.settings.community.max_file_bytes
    with pytest.raises(PayloadTooLarge):
        await desk.declare(token, FileIn(filename="big.mp4", size=limit + 1))
    small = await desk.declare(token, FileIn(filename="a.mp4", size=CHUNK // 2))
    with pytest.raises(PayloadTooLarge):  # more than the file announced
        await desk.put_chunk(token, small.id, 0, chunks(mp4_bytes(CHUNK)), OWNER)
    big = await desk.declare(token, FileIn(filename="b.mp4", size=4 * CHUNK))
    with pytest.raises(PayloadTooLarge):  # more than a chunk may carry
        await desk.put_chunk(token, big.id, 0, chunks(mp4_bytes(CHUNK + 1)), OWNER)
    assert (await desk.status(token, big.id)).received == 0
    await desk.declare(token, FileIn(filename="c.mp4", size=10))
    with pytest.raises(InvalidInput) as too_many:
        await desk.declare(token, FileIn(filename="d.mp4", size=10))
    assert too_many.value.problems[0].pointer == "/filename"


async def test_withdrawing_a_request_deletes_files_still_arriving(
    wf: Watchfloor,
    smtp_server: SmtpServer,  # noqa: F811
) -> None:
    _, request_id, token = await _requested(wf, smtp_server)
    desk = wf.community.uploads
    data = mp4_bytes(200 * 1024)
    upload = await desk.declare(token, FileIn(filename="a.mp4", size=len(data)))
    await _send(desk, token, upload, data[:CHUNK])

    out = await wf.community.requests.withdraw(request_id, "No longer needed", OPERATOR)

    assert out.files[0].status is UploadStatus.REJECTED
    assert not partial_path(desk.root, upload.id).exists()
