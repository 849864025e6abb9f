"""Floor plan files: checked by their first bytes, stored once per SHA-256."""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

from watchfloor.core.errors import FieldProblem, InvalidInput, NotFound, PayloadTooLarge

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"%PDF-", "application/pdf"),
)
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


def media_type_of(data: bytes) -> str:
    """PNG, JPEG or PDF by magic bytes; InvalidInput otherwise."""
    for magic, media_type in _MAGIC:
        if data.startswith(magic):
            return media_type
    raise InvalidInput(
        "not a floor plan file", [FieldProblem("", "must be a PNG, JPEG or PDF file")]
    )


class FloorPlanFiles:
    """A directory of floor plan files named by their SHA-256."""

    def __init__(self, root: Path, max_bytes: int) -> None:
        self.root = root
        self.max_bytes = max_bytes

    def check(self, data: bytes) -> str:
        """The file's media type, or an error naming why it is refused."""
        if len(data) > self.max_bytes:
            raise PayloadTooLarge(f"a floor plan may be at most {self.max_bytes} bytes")
        if not data:
            raise InvalidInput("empty file", [FieldProblem("", "the file is empty")])
        return media_type_of(data)

    def put(self, data: bytes) -> str:
        """Store the bytes (once) and return their SHA-256."""
        digest = hashlib.sha256(data).hexdigest()
        target = self.root / digest
        if not target.is_file():
            self.root.mkdir(parents=True, exist_ok=True)
            partial = target.with_suffix(".partial")
            with partial.open("wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            partial.replace(target)
        return digest

    def get(self, digest: str) -> bytes:
        """The stored bytes of a SHA-256, checked against it."""
        if not _SHA256.match(digest):
            raise NotFound("no such floor plan file")
        path = self.root / digest
        if not path.is_file():
            raise NotFound("floor plan file is missing from the store")
        data = path.read_bytes()
        if hashlib.sha256(data).hexdigest() != digest:
            raise NotFound("floor plan file does not match its recorded SHA-256")
        return data
