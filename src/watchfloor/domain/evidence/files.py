"""Evidence bytes on disk: streamed in while hashed, fsynced, made read-only, hashed again later.

Everything here blocks; the store calls it from a worker thread. No function reads a whole file
into memory: video evidence runs to gigabytes."""

from __future__ import annotations

import hashlib
import os
import stat
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import IO

CHUNK = 1024 * 1024
READ_ONLY = stat.S_IRUSR | stat.S_IRGRP
EXTENSIONS = {
    "video/mp4": ".mp4",
    "video/quicktime": ".mov",
    "video/x-matroska": ".mkv",
    "video/mp2t": ".ts",
    "video/webm": ".webm",
    "video/x-msvideo": ".avi",
    "video/mpeg": ".mpg",
    "video/x-ms-asf": ".asf",
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "application/zip": ".zip",
}


@dataclass(frozen=True)
class Landed:
    """A file that has arrived in the evidence directory: where, its hash and size."""

    path: Path
    sha256: str
    size_bytes: int


def extension_for(media_type: str) -> str:
    """The file name extension for a media type (.bin when unknown)."""
    return EXTENSIONS.get(media_type.split(";", maxsplit=1)[0].strip().lower(), ".bin")


def copy_hashing(source: IO[bytes], target: IO[bytes]) -> tuple[str, int]:
    """Copy a stream chunk by chunk; the SHA-256 and the number of bytes copied."""
    digest = hashlib.sha256()
    size = 0
    while chunk := source.read(CHUNK):
        digest.update(chunk)
        target.write(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


def file_sha256(path: Path) -> str:
    """The SHA-256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def incoming_path(root: Path) -> Path:
    """A fresh name in the evidence directory's incoming area (same file system as the items)."""
    incoming = root / ".incoming"
    incoming.mkdir(parents=True, exist_ok=True)
    return incoming / f"{uuid.uuid4().hex}.partial"


def land_file(root: Path, source: Path, move: bool, known_sha256: str | None = None) -> Landed:
    """Bring a file into the incoming area, hashed and fsynced; the source is left in place.

    With move, a hard link stands in for the copy where both lie on one file system (the caller
    removes the source once the item is committed); a linked file keeps the `known_sha256` its
    caller took while receiving it instead of being read again."""
    partial = incoming_path(root)
    if move and _linked(source, partial):
        _fsync_file(partial)
        sha256 = known_sha256 or file_sha256(partial)
        return Landed(partial, sha256, partial.stat().st_size)
    with open(source, "rb") as reader, open(partial, "xb") as writer:
        sha256, size = copy_hashing(reader, writer)
        writer.flush()
        os.fsync(writer.fileno())
    return Landed(partial, sha256, size)


def land_bytes(root: Path, data: bytes) -> Landed:
    """Write bytes (a snapshot) into the incoming area, hashed and fsynced."""
    partial = incoming_path(root)
    with open(partial, "xb") as writer:
        writer.write(data)
        writer.flush()
        os.fsync(writer.fileno())
    return Landed(partial, hashlib.sha256(data).hexdigest(), len(data))


def settle(root: Path, landed: Path, relative: str) -> Path:
    """Move a landed file to its final name, read-only, with its directory fsynced."""
    target = root / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():
        raise FileExistsError(f"{relative} already exists")
    os.chmod(landed, READ_ONLY)
    os.replace(landed, target)
    fsync_dir(target.parent)
    return target


def discard(path: Path) -> None:
    """Remove a partial or orphaned file if it is there."""
    path.unlink(missing_ok=True)


def fsync_dir(directory: Path) -> None:
    """Make a directory's entries (a rename) durable."""
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def copy_file(source: Path, target: IO[bytes]) -> tuple[str, int]:
    """Copy a stored file into an open stream; its SHA-256 and size as read."""
    with open(source, "rb") as reader:
        return copy_hashing(reader, target)


def _fsync_file(path: Path) -> None:
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())


def _linked(source: Path, target: Path) -> bool:
    """Hard-link when the file system allows it (no copy); False when it does not."""
    try:
        os.link(source, target)
    except OSError:
        return False
    return True
