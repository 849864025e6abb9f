"""Checking an evidence package anywhere, with nothing but the archive: every member is hashed
again and compared with SHA256SUMS and with the manifest.

A package is ok only when every listed file is present and matches, nothing unlisted was added,
and the manifest agrees with SHA256SUMS. Members are read as streams, never extracted, so a name
like `../x` can do no harm; it is reported as unexpected."""

from __future__ import annotations

import hashlib
import json
import re
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from watchfloor.domain.evidence.files import CHUNK, file_sha256
from watchfloor.domain.evidence.package import CUSTODY, FILES_DIR, MANIFEST, SUMS
from watchfloor.domain.evidence.schemas import AlteredFile, VerifyReport

_SUM_LINE = re.compile(r"^([0-9a-fA-F]{64}) [ *](.+)$")


@dataclass
class _Findings:
    altered: list[AlteredFile] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    unexpected: list[str] = field(default_factory=list)
    disagreements: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def alter(self, path: str, against: str, expected: str | None, actual: str | None) -> None:
        if not any(a.path == path and a.against == against for a in self.altered):
            self.altered.append(
                AlteredFile(path=path, against=against, expected=expected, actual=actual)
            )

    def lack(self, path: str) -> None:
        if path not in self.missing:
            self.missing.append(path)


def verify_package(path: Path, max_expanded_bytes: int | None = None) -> VerifyReport:
    """Check a package archive: ok only if every file matches the manifest and SHA256SUMS.

    max_expanded_bytes refuses, unread, an archive whose members would expand beyond it (a
    ZIP bomb sent to the upload route)."""
    try:
        archive_sha256 = file_sha256(path)
        with zipfile.ZipFile(path) as archive:
            expanded = sum(info.file_size for info in archive.infolist())
            if max_expanded_bytes is not None and expanded > max_expanded_bytes:
                return _unreadable(f"its members expand to {expanded} bytes, over the limit")
            return _verify(archive, archive_sha256)
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        return _unreadable(f"not a readable ZIP archive: {exc}")


def _unreadable(problem: str) -> VerifyReport:
    return VerifyReport(
        ok=False,
        package=None,
        archive_sha256=None,
        files_checked=0,
        altered=[],
        missing=[],
        unexpected=[],
        disagreements=[],
        problems=[problem],
    )


def _verify(archive: zipfile.ZipFile, archive_sha256: str) -> VerifyReport:
    found = _Findings()
    names = [info.filename for info in archive.infolist() if not info.is_dir()]
    for name, count in Counter(names).items():
        if count > 1:
            found.problems.append(f"{name} appears {count} times in the archive")
    actual = {name: _member_sha256(archive, name, found) for name in set(names)}
    sums = _read_sums(archive, found)
    manifest = _read_manifest(archive, found)
    listed = _manifest_files(manifest, found)
    _check_sums(sums, actual, found)
    _check_manifest(listed, sums, actual, archive, found)
    for name in sorted(sums):
        if name.startswith(FILES_DIR) and name not in listed:
            found.disagreements.append(f"{name} is in {SUMS} but not in the manifest")
    for name in (MANIFEST, CUSTODY):
        if name in actual and name not in sums:
            found.disagreements.append(f"{name} is not listed in {SUMS}")
    known = set(sums) | set(listed) | {SUMS}
    found.unexpected.extend(sorted(name for name in actual if name not in known))
    return VerifyReport(
        ok=not (found.altered or found.missing or found.unexpected)
        and not (found.disagreements or found.problems),
        package=str(manifest.get("package")) if manifest.get("package") else None,
        archive_sha256=archive_sha256,
        files_checked=len(actual),
        altered=sorted(found.altered, key=lambda a: (a.path, a.against)),
        missing=sorted(found.missing),
        unexpected=found.unexpected,
        disagreements=found.disagreements,
        problems=found.problems,
    )


def _member_sha256(archive: zipfile.ZipFile, name: str, found: _Findings) -> str | None:
    """The member's SHA-256, or None (reported as altered) when its bytes fail the ZIP's CRC."""
    digest = hashlib.sha256()
    try:
        with archive.open(name) as member:
            while chunk := member.read(CHUNK):
                digest.update(chunk)
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError) as exc:
        found.alter(name, "archive", None, None)
        found.problems.append(f"{name} cannot be read intact: {exc}")
        return None
    return digest.hexdigest()


def _read_sums(archive: zipfile.ZipFile, found: _Findings) -> dict[str, str]:
    text = _read_text(archive, SUMS, found)
    sums: dict[str, str] = {}
    for number, line in enumerate((text or "").splitlines(), start=1):
        match = _SUM_LINE.match(line)
        if match is None:
            found.problems.append(f"{SUMS} line {number} is not '<sha256>  <name>'")
            continue
        sums[match.group(2)] = match.group(1).lower()
    return sums


def _read_manifest(archive: zipfile.ZipFile, found: _Findings) -> dict[str, Any]:
    text = _read_text(archive, MANIFEST, found)
    if text is None:
        return {}
    try:
        document = json.loads(text)
    except ValueError as exc:
        found.problems.append(f"{MANIFEST} is not JSON: {exc}")
        return {}
    if not isinstance(document, dict):
        found.problems.append(f"{MANIFEST} is not a JSON object")
        return {}
    return document


def _read_text(archive: zipfile.ZipFile, name: str, found: _Findings) -> str | None:
    try:
        return archive.read(name).decode("utf-8")
    except KeyError:
        found.lack(name)
    except (zipfile.BadZipFile, UnicodeDecodeError, OSError) as exc:
        found.problems.append(f"{name} cannot be read: {exc}")
    return None


def _manifest_files(manifest: dict[str, Any], found: _Findings) -> dict[str, dict[str, Any]]:
    """The manifest's items by file name."""
    listed: dict[str, dict[str, Any]] = {}
    items = manifest.get("items", [])
    if not isinstance(items, list):
        found.problems.append(f"{MANIFEST} has no list of items")
        return listed
    for index, item in enumerate(items):
        name = item.get("file") if isinstance(item, dict) else None
        if not isinstance(name, str):
            found.problems.append(f"{MANIFEST} item {index} names no file")
            continue
        listed[name] = item
    return listed


def _check_sums(sums: dict[str, str], actual: dict[str, str | None], found: _Findings) -> None:
    for name, expected in sums.items():
        if name not in actual:
            found.lack(name)
        elif actual[name] is not None and actual[name] != expected:
            found.alter(name, SUMS, expected, actual[name])


def _check_manifest(
    listed: dict[str, dict[str, Any]],
    sums: dict[str, str],
    actual: dict[str, str | None],
    archive: zipfile.ZipFile,
    found: _Findings,
) -> None:
    for name, item in listed.items():
        expected = str(item.get("sha256", "")).lower()
        if name not in sums:
            found.disagreements.append(f"{name} is in the manifest but not in {SUMS}")
        elif sums[name] != expected:
            found.disagreements.append(f"{name}: the manifest and {SUMS} give different hashes")
        if name not in actual:
            found.lack(name)
            continue
        if actual[name] is not None and actual[name] != expected:
            found.alter(name, "manifest", expected, actual[name])
        size = item.get("size_bytes")
        if isinstance(size, int) and archive.getinfo(name).file_size != size:
            found.alter(name, "manifest size", str(size), str(archive.getinfo(name).file_size))
