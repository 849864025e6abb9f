"""Writing an evidence package: one ZIP a partner agency or a prosecutor can check on its own.

Layout: `files/<code><ext>` (the items, stored uncompressed: video and JPEG do not shrink),
`manifest.json` (the package and each item's metadata, size and SHA-256), `custody.json` (each
item's chain of custody up to and including its packaging) and `SHA256SUMS` (every other member,
in the format `sha256sum -c` reads). Each item's bytes are hashed again as they are copied in:
an item that no longer matches its recorded hash stops the package."""

from __future__ import annotations

import hashlib
import json
import os
import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from watchfloor.domain.evidence.files import READ_ONLY, copy_file, file_sha256, fsync_dir

FORMAT = "watchfloor-evidence-package/1"
FILES_DIR = "files/"
MANIFEST = "manifest.json"
CUSTODY = "custody.json"
SUMS = "SHA256SUMS"


@dataclass(frozen=True)
class PackedItem:
    """One item going into a package: where it lies, its name inside, its recorded hash."""

    code: str
    source: Path
    name: str
    sha256: str
    size_bytes: int


class ItemAltered(Exception):
    """A stored item's bytes no longer hash to what was recorded at its creation."""

    def __init__(self, code: str, expected: str, actual: str) -> None:
        super().__init__(f"{code} no longer matches its recorded SHA-256")
        self.code = code
        self.expected = expected
        self.actual = actual


def write_package(
    target: Path,
    items: list[PackedItem],
    manifest: dict[str, Any],
    custody: dict[str, Any],
    when: datetime,
) -> tuple[str, int]:
    """Write the archive (fsynced, read-only); the archive's SHA-256 and size."""
    stamp = _zip_time(when)
    sums: dict[str, str] = {}
    try:
        with zipfile.ZipFile(target, "x", allowZip64=True) as archive:
            for item in items:
                sums[item.name] = _add_item(archive, item, stamp)
            for name, document in ((MANIFEST, manifest), (CUSTODY, custody)):
                sums[name] = _add_bytes(archive, name, json_bytes(document), stamp)
            _add_bytes(archive, SUMS, sums_text(sums).encode(), stamp)
        with open(target, "rb") as handle:
            os.fsync(handle.fileno())
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    os.chmod(target, READ_ONLY)
    fsync_dir(target.parent)
    return file_sha256(target), target.stat().st_size


def json_bytes(document: dict[str, Any]) -> bytes:
    """A JSON document as the package stores it (stable key order, UTF-8)."""
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False).encode() + b"\n"


def sums_text(sums: dict[str, str]) -> str:
    """SHA256SUMS lines (`<hex>  <name>`), by name."""
    return "".join(f"{digest}  {name}\n" for name, digest in sorted(sums.items()))


def _add_item(archive: zipfile.ZipFile, item: PackedItem, stamp: tuple[int, ...]) -> str:
    info = _info(item.name, stamp, zipfile.ZIP_STORED)
    info.file_size = item.size_bytes  # lets zipfile choose ZIP64 for big clips up front
    with archive.open(info, "w") as member:
        digest, _size = copy_file(item.source, member)
    if digest != item.sha256:
        raise ItemAltered(item.code, item.sha256, digest)
    return digest


def _add_bytes(archive: zipfile.ZipFile, name: str, data: bytes, stamp: tuple[int, ...]) -> str:
    archive.writestr(_info(name, stamp, zipfile.ZIP_DEFLATED), data)
    return hashlib.sha256(data).hexdigest()


def _info(name: str, stamp: tuple[int, ...], compression: int) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=stamp)  # type: ignore[arg-type]
    info.compress_type = compression
    info.external_attr = 0o444 << 16
    return info


def _zip_time(when: datetime) -> tuple[int, ...]:
    return (max(when.year, 1980), when.month, when.day, when.hour, when.minute, when.second)
