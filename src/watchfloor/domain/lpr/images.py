"""Plate and vehicle images, stored content-addressed outside the database: the file's name is
the SHA-256 of its bytes, so an image is stored once however many reads refer to it, and its
integrity can be checked at any time by hashing it again."""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

from watchfloor.core.errors import FieldProblem, InvalidInput, NotFound

_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
)


def sniff_media_type(data: bytes) -> str | None:
    """The image type the bytes really are (JPEG, PNG or WebP), whatever the sender said."""
    for magic, media_type in _MAGIC:
        if data.startswith(magic):
            return media_type
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return None


def is_sha256(value: str) -> bool:
    """True for a lower-case hex SHA-256 digest."""
    return bool(_SHA256.match(value))


class ImageStore:
    """A directory of images named by their SHA-256, two hex characters of fan-out."""

    def __init__(self, root: Path, max_bytes: int) -> None:
        self.root = root
        self.max_bytes = max_bytes
        root.mkdir(parents=True, exist_ok=True)

    def check(self, data: bytes, pointer: str) -> str:
        """The media type of acceptable image bytes; InvalidInput naming the field otherwise."""
        if len(data) > self.max_bytes:
            raise InvalidInput(
                "image too large", [FieldProblem(pointer, f"over {self.max_bytes} bytes")]
            )
        media_type = sniff_media_type(data)
        if media_type is None:
            raise InvalidInput(
                "not an image", [FieldProblem(pointer, "not a JPEG, PNG or WebP image")]
            )
        return media_type

    def put(self, data: bytes) -> str:
        """Store the bytes durably (written, fsynced, renamed into place); returns the digest."""
        digest = hashlib.sha256(data).hexdigest()
        target = self._path(digest)
        if target.exists():
            return digest
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_suffix(f".{os.getpid()}.partial")
        with open(partial, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(partial, target)
        _fsync_dir(target.parent)
        return digest

    def exists(self, digest: str) -> bool:
        """True when an image with this digest is stored."""
        return is_sha256(digest) and self._path(digest).is_file()

    def read(self, digest: str) -> tuple[bytes, str]:
        """The image's bytes and media type; NotFound when it is not (or no longer) stored."""
        if not self.exists(digest):
            raise NotFound("no such image")
        data = self._path(digest).read_bytes()
        return data, sniff_media_type(data) or "application/octet-stream"

    def verify(self, digest: str) -> bool:
        """True when the stored bytes still hash to their name."""
        data, _ = self.read(digest)
        return hashlib.sha256(data).hexdigest() == digest

    def delete(self, digest: str) -> bool:
        """Remove an image; False when it was not there."""
        if not is_sha256(digest):
            return False
        try:
            self._path(digest).unlink()
        except FileNotFoundError:
            return False
        return True

    def _path(self, digest: str) -> Path:
        return self.root / digest[:2] / digest


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
