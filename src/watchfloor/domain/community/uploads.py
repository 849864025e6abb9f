"""Owners' uploads: files declared, then received in chunks at stated offsets (so a broken
transfer resumes where the server's fsynced bytes end), hashed as they stream, sniffed for type
once complete and kept as evidence of the request's incident.

A chunk is streamed from the request body to disk in a worker thread, a MiB at a time, and
fsynced before it is acknowledged; its SHA-256 is carried on in memory per upload (taken again
from the partial file after a restart)."""

from __future__ import annotations

import asyncio
import hashlib
import os
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from watchfloor.core.clock import Clock
from watchfloor.core.context import RequestContext
from watchfloor.core.errors import (
    Conflict,
    FieldProblem,
    Gone,
    InvalidInput,
    NotFound,
    PayloadTooLarge,
)
from watchfloor.db.engine import Database
from watchfloor.domain.community import links
from watchfloor.domain.community.models import CommunityLink, FootageRequest, FootageUpload
from watchfloor.domain.community.request_schemas import FileIn, UploadOut
from watchfloor.domain.community.sniff import HEAD_BYTES, NOT_ACCEPTED, sniff
from watchfloor.domain.community.vocabulary import OPEN_STATUSES, UploadStatus
from watchfloor.domain.evidence.schemas import EvidenceKind
from watchfloor.domain.evidence.store import EvidenceStore
from watchfloor.settings import Settings

WRITE_BYTES = 1024 * 1024
CLOSED = "This request is closed; nothing more can be sent for it."
NO_FILE = "No such file for this request."
_UNSAFE = re.compile(r"[\x00-\x1f\x7f]")


@dataclass
class _Hash:
    """The SHA-256 of an upload's first `offset` bytes, carried on chunk by chunk."""

    offset: int
    digest: Any  # hashlib's sha256 object (its type is private)


@dataclass(frozen=True)
class _Target:
    """What one chunk needs to know about its upload and request, read before streaming."""

    upload_id: str
    size: int
    filename: str
    request_id: str
    incident_id: str
    window_from: datetime
    window_to: datetime


def spool_dir(settings: Settings) -> Path:
    """Where partial uploads are received."""
    return settings.community.uploads_dir or settings.data_dir / "community-uploads"


def partial_path(root: Path, upload_id: str) -> Path:
    """The partial file of one upload."""
    return root / f"{upload_id}.part"


async def open_request(
    session: AsyncSession, token: str | None, now: datetime
) -> tuple[CommunityLink, FootageRequest]:
    """The open request an upload link names; 404/410 for unknown, spent or expired links."""
    link = await links.redeem(session, token, links.Purpose.UPLOAD, now)
    request = await session.get(FootageRequest, link.request_id) if link.request_id else None
    if request is None:
        raise NotFound(links.UNKNOWN)
    if request.status not in OPEN_STATUSES:
        raise Gone(CLOSED, code="request_closed")
    return link, request


async def discard_partials(session: AsyncSession, root: Path, request_id: str) -> list[Path]:
    """Mark a closing request's unfinished files rejected; their partial files, for the caller to
    delete once the transaction is committed."""
    rows = await session.execute(
        select(FootageUpload).where(
            FootageUpload.request_id == request_id,
            FootageUpload.status == UploadStatus.RECEIVING.value,
        )
    )
    paths = []
    for upload in rows.scalars():
        upload.status = UploadStatus.REJECTED.value
        upload.problem = "The request closed before this file was complete."
        paths.append(partial_path(root, upload.id))
    return paths


def remove_files(paths: list[Path]) -> None:
    """Delete partial files (blocking; run in a worker thread)."""
    for path in paths:
        path.unlink(missing_ok=True)


def safe_filename(name: str) -> str:
    """The file's own name as the owner's system gave it, without folders or control bytes."""
    base = re.split(r"[\\/]", name)[-1]
    return _UNSAFE.sub("", base).strip()[:255] or "file"


class UploadDesk:
    """Receives owners' files for their requests and keeps the complete ones as evidence."""

    def __init__(
        self, db: Database, clock: Clock, evidence: EvidenceStore, settings: Settings
    ) -> None:
        self._db = db
        self._clock = clock
        self._evidence = evidence
        self._settings = settings.community
        self.root = spool_dir(settings)
        self._hashes: dict[str, _Hash] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    async def declare(self, token: str | None, data: FileIn) -> UploadOut:
        """Announce a file before its first chunk; too large → 413."""
        if data.size > self._settings.max_file_bytes:
            raise PayloadTooLarge(
                f"This file is larger than {_size_words(self._settings.max_file_bytes)}; "
                "please send a shorter clip or split it."
            )
        now = self._clock.now()
        async with self._db.session() as session:
            _, request = await open_request(session, token, now)
            await self._check_room(session, request.id)
            upload = FootageUpload(
                request_id=request.id,
                filename=safe_filename(data.filename),
                size=data.size,
                received=0,
                status=UploadStatus.RECEIVING.value,
                started_at=now,
            )
            session.add(upload)
            await session.flush()
            out = UploadOut.model_validate(upload)
        await asyncio.to_thread(self.root.mkdir, parents=True, exist_ok=True, mode=0o700)
        return out

    async def status(self, token: str | None, file_id: str) -> UploadOut:
        """Where one file stands (to resume after a broken transfer)."""
        async with self._db.session() as session:
            _, request = await open_request(session, token, self._clock.now())
            return UploadOut.model_validate(await _upload_of(session, request.id, file_id))

    async def put_chunk(
        self,
        token: str | None,
        file_id: str,
        offset: int,
        body: AsyncIterator[bytes],
        context: RequestContext,
    ) -> UploadOut:
        """Append one chunk at `offset` (409 offset_mismatch otherwise); the last one finishes
        the file: sniffed, then stored as evidence (or rejected, its bytes deleted: 422)."""
        lock = self._locks.setdefault(file_id, asyncio.Lock())
        async with lock:
            target = await self._check_chunk(token, file_id, offset)
            room = min(self._settings.chunk_bytes, target.size - offset)
            count = await self._receive(target.upload_id, offset, body, room)
            advanced = await self._advance(target.upload_id, offset, count)
            if advanced.received < advanced.size:
                return advanced
            return await self._finish(target, context)

    async def _check_room(self, session: AsyncSession, request_id: str) -> None:
        count = await session.scalar(
            select(func.count(FootageUpload.id)).where(
                FootageUpload.request_id == request_id,
                FootageUpload.status != UploadStatus.REJECTED.value,
            )
        )
        limit = self._settings.max_files_per_request
        if (count or 0) >= limit:
            problem = FieldProblem("/filename", f"at most {limit} files per request")
            raise InvalidInput(f"At most {limit} files can be sent for one request.", [problem])

    async def _check_chunk(self, token: str | None, file_id: str, offset: int) -> _Target:
        async with self._db.read_session() as session:
            _, request = await open_request(session, token, self._clock.now())
            upload = await _upload_of(session, request.id, file_id)
        if upload.status != UploadStatus.RECEIVING.value:
            raise Conflict("This file has already been received in full.", code="upload_closed")
        if offset != upload.received:
            raise Conflict(
                f"The server has {upload.received} bytes of this file; continue from there.",
                code="offset_mismatch",
            )
        if offset >= upload.size:
            raise PayloadTooLarge("This file already has all the bytes announced for it.")
        return _Target(
            upload.id,
            upload.size,
            upload.filename,
            request.id,
            request.incident_id,
            request.window_from,
            request.window_to,
        )

    async def _receive(
        self, upload_id: str, offset: int, body: AsyncIterator[bytes], room: int
    ) -> int:
        """Stream the body to the partial file at offset; the bytes written, fsynced."""
        path = partial_path(self.root, upload_id)
        digest = await self._digest_at(upload_id, path, offset)
        fd = await asyncio.to_thread(_open_at, path, offset)
        try:
            count = await _stream(fd, body, room, digest)
            await asyncio.to_thread(os.fsync, fd)
        except BaseException:
            self._hashes.pop(upload_id, None)
            await asyncio.to_thread(os.ftruncate, fd, offset)
            raise
        finally:
            await asyncio.to_thread(os.close, fd)
        self._hashes[upload_id] = _Hash(offset + count, digest)
        return count

    async def _digest_at(self, upload_id: str, path: Path, offset: int) -> Any:
        known = self._hashes.pop(upload_id, None)
        if known is not None and known.offset == offset:
            return known.digest
        return await asyncio.to_thread(_hash_prefix, path, offset)

    async def _advance(self, upload_id: str, offset: int, count: int) -> UploadOut:
        async with self._db.session() as session:
            upload = await session.get(FootageUpload, upload_id)
            if upload is None or upload.received != offset:
                self._hashes.pop(upload_id, None)
                raise Conflict(
                    "This file changed meanwhile; ask where it stands.", "offset_mismatch"
                )
            upload.received = offset + count
            return UploadOut.model_validate(upload)

    async def _finish(self, target: _Target, context: RequestContext) -> UploadOut:
        path = partial_path(self.root, target.upload_id)
        found = sniff(await asyncio.to_thread(_read_head, path))
        held = self._hashes.pop(target.upload_id, None)
        self._locks.pop(target.upload_id, None)
        if found is None:
            return await self._reject(target.upload_id, path)
        item = await self._evidence.add_file(
            path,
            kind=EvidenceKind.UPLOAD,
            media_type=found.media_type,
            context=context,
            incident_ref=target.incident_id,
            captured_from=target.window_from,
            captured_to=target.window_to,
            note=f"Community Connect footage request {target.request_id}: {target.filename}",
            sha256=held.digest.hexdigest() if held else None,
        )
        async with self._db.session() as session:
            row = await _upload_of(session, target.request_id, target.upload_id)
            row.status = UploadStatus.STORED.value
            row.media_type, row.sha256 = item.media_type, item.sha256
            row.evidence_code, row.finished_at = item.code, self._clock.now()
            return UploadOut.model_validate(row)

    async def _reject(self, upload_id: str, path: Path) -> UploadOut:
        async with self._db.session() as session:
            row = await session.get(FootageUpload, upload_id)
            if row is not None:
                row.status = UploadStatus.REJECTED.value
                row.problem = NOT_ACCEPTED
                row.finished_at = self._clock.now()
        await asyncio.to_thread(path.unlink, missing_ok=True)
        raise InvalidInput(NOT_ACCEPTED, [FieldProblem("/file", NOT_ACCEPTED)])


async def _upload_of(session: AsyncSession, request_id: str, file_id: str) -> FootageUpload:
    upload = await session.get(FootageUpload, file_id[:36])
    if upload is None or upload.request_id != request_id:
        raise NotFound(NO_FILE)
    return upload


async def _stream(fd: int, body: AsyncIterator[bytes], room: int, digest: Any) -> int:
    """Write the body in pieces of about a MiB; more than `room` bytes → 413."""
    count = 0
    pending: list[bytes] = []
    pending_bytes = 0
    async for piece in body:
        count += len(piece)
        if count > room:
            raise PayloadTooLarge(f"A chunk may carry at most {room} bytes here.")
        pending.append(piece)
        pending_bytes += len(piece)
        if pending_bytes >= WRITE_BYTES:
            await asyncio.to_thread(_write, fd, pending, digest)
            pending, pending_bytes = [], 0
    if pending:
        await asyncio.to_thread(_write, fd, pending, digest)
    if count == 0:
        raise InvalidInput("The chunk is empty.", [FieldProblem("/body", "no bytes")])
    return count


def _open_at(path: Path, offset: int) -> int:
    """The partial file open for writing at offset, anything past it (a broken chunk) cut off."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        if os.fstat(fd).st_size < offset:
            raise Conflict("The partial file is shorter than recorded.", code="offset_mismatch")
        os.ftruncate(fd, offset)
        os.lseek(fd, offset, os.SEEK_SET)
    except BaseException:
        os.close(fd)
        raise
    return fd


def _write(fd: int, pieces: list[bytes], digest: Any) -> None:
    data = b"".join(pieces)
    digest.update(data)
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _hash_prefix(path: Path, offset: int) -> Any:
    """The SHA-256 object over the first offset bytes of the partial file (after a restart)."""
    digest = hashlib.sha256()
    if offset == 0:
        return digest
    left = offset
    with open(path, "rb") as handle:
        while left > 0:
            block = handle.read(min(WRITE_BYTES, left))
            if not block:
                raise Conflict("The partial file is shorter than recorded.", code="offset_mismatch")
            digest.update(block)
            left -= len(block)
    return digest


def _read_head(path: Path) -> bytes:
    with open(path, "rb") as handle:
        return handle.read(HEAD_BYTES)


def _size_words(size: int) -> str:
    if size >= 1024**3:
        return f"{size / 1024**3:g} GiB"
    return f"{size / 1024**2:g} MiB"
