"""Evidence packages: what the archive holds (files, manifest, custody, SHA256SUMS that
`sha256sum -c` accepts), custody written for packaging and transfer, and verification that
passes on a fresh package and fails, naming the file, on every kind of tampering."""

from __future__ import annotations

import asyncio
import hashlib
import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.domain.evidence.support import (
    CLIP,
    JPEG,
    OPERATOR,
    SUPERVISOR,
    audit_rows,
    evidence_of,
    flip_one_byte,
    make_writable,
    rewrite_zip,
    write_clip,
)
from watchfloor.app import Watchfloor
from watchfloor.core.errors import Conflict, InvalidInput
from watchfloor.domain.evidence.cli import evidence
from watchfloor.domain.evidence.schemas import EvidenceKind
from watchfloor.domain.evidence.store import EvidenceStore
from watchfloor.domain.evidence.verify import verify_package


@pytest.fixture
def store(wf: Watchfloor) -> EvidenceStore:
    return evidence_of(wf)


async def _package(store: EvidenceStore, tmp_path: Path) -> tuple[Path, list[str], str]:
    clip = await store.add_file(
        write_clip(tmp_path / "rec" / "a.mp4"),
        kind=EvidenceKind.CLIP,
        media_type="video/mp4",
        camera_code="CAM-ESPA-1",
        incident_ref="INC-26-0042",
        context=OPERATOR,
    )
    shot = await store.add_bytes(JPEG, camera_code="CAM-ESPA-1", context=OPERATOR)
    codes = [clip.code, shot.code]
    package = await store.build_package(codes, "Helsinki District Prosecutor", "trial", SUPERVISOR)
    path, _ = await store.open_package_for_transfer(package.code, "hand-over", SUPERVISOR)
    return path, codes, package.code


def _files(code: str, suffix: str) -> str:
    return f"files/{code}{suffix}"


async def test_the_archive_holds_files_manifest_custody_and_sums(
    wf: Watchfloor, store: EvidenceStore, tmp_path: Path
) -> None:
    path, (clip, shot), code = await _package(store, tmp_path)
    package = await store.packages.get(code)
    assert package.status == "ready"
    assert package.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    with zipfile.ZipFile(path) as archive:
        names = sorted(archive.namelist())
        manifest = json.loads(archive.read("manifest.json"))
        custody = json.loads(archive.read("custody.json"))
        sums = archive.read("SHA256SUMS").decode()
        assert archive.read(_files(clip, ".mp4")) == CLIP
        assert archive.read(_files(shot, ".jpg")) == JPEG
    assert names == sorted(
        ["SHA256SUMS", "custody.json", "manifest.json", _files(clip, ".mp4"), _files(shot, ".jpg")]
    )
    assert (manifest["package"], manifest["recipient"], manifest["purpose"]) == (
        code,
        "Helsinki District Prosecutor",
        "trial",
    )
    assert manifest["created_by"] == "rt700"
    by_code = {item["code"]: item for item in manifest["items"]}
    assert by_code[clip]["sha256"] == hashlib.sha256(CLIP).hexdigest()
    assert by_code[clip]["size_bytes"] == len(CLIP)
    assert by_code[clip]["incident_ref"] == "INC-26-0042"
    assert [e["action"] for e in custody["items"][clip]] == ["created", "packaged"]
    assert custody["items"][clip][1]["recipient"] == "Helsinki District Prosecutor"
    assert f"{hashlib.sha256(JPEG).hexdigest()}  {_files(shot, '.jpg')}" in sums.splitlines()
    assert len(sums.splitlines()) == 4  # two files, manifest.json, custody.json


async def test_sha256sum_accepts_the_sums(store: EvidenceStore, tmp_path: Path) -> None:
    path, _codes, _code = await _package(store, tmp_path)
    unpacked = tmp_path / "unpacked"
    with zipfile.ZipFile(path) as archive:
        archive.extractall(unpacked)
    command = ["sha256sum", "-c", "SHA256SUMS"]
    done = await asyncio.to_thread(
        subprocess.run, command, cwd=unpacked, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.count(": OK") == 4


async def test_custody_and_audit_record_packaging_and_transfer(
    wf: Watchfloor, store: EvidenceStore, tmp_path: Path
) -> None:
    _path, (clip, _shot), code = await _package(store, tmp_path)
    custody = (await store.get(clip, SUPERVISOR)).custody
    assert [c.action for c in custody] == ["created", "packaged", "transferred"]
    transferred = custody[-1]
    assert transferred.recipient == "Helsinki District Prosecutor"
    assert transferred.reason == "hand-over"
    assert transferred.detail["package"] == code
    package = await store.packages.get(code)
    assert transferred.detail["archive_sha256"] == package.sha256
    actions = [row[0] for row in await audit_rows(wf)]
    assert actions.count("evidence.packaged") == 2
    assert actions.count("evidence.transferred") == 2
    assert "evidence.package_created" in actions
    assert "evidence.package_transferred" in actions


async def test_unknown_items_and_altered_items_are_not_packaged(
    wf: Watchfloor, store: EvidenceStore, tmp_path: Path
) -> None:
    clip = await store.add_bytes(JPEG, context=OPERATOR)
    with pytest.raises(InvalidInput) as unknown:
        await store.build_package([clip.code, "EV-1999-000009"], "DA", "trial", SUPERVISOR)
    assert [p.pointer for p in unknown.value.problems] == ["/codes/1"]
    stored, _ = await store.open_for_download(clip.code, "check", SUPERVISOR)
    make_writable(stored)
    stored.write_bytes(flip_one_byte(JPEG))
    with pytest.raises(Conflict) as altered:
        await store.build_package([clip.code], "DA", "trial", SUPERVISOR)
    assert clip.code in altered.value.message
    [package] = await store.packages.recent()
    assert package.status == "failed"
    assert not list((store.directory / "packages").rglob("*.zip"))
    assert "evidence.package_failed" in [row[0] for row in await audit_rows(wf)]


async def test_a_fresh_package_verifies(store: EvidenceStore, tmp_path: Path) -> None:
    path, _codes, code = await _package(store, tmp_path)
    report = verify_package(path)
    assert report.ok, report
    assert (report.package, report.files_checked) == (code, 5)
    assert report.altered == []
    assert report.unexpected == report.missing == []


async def test_one_changed_byte_fails_naming_the_file(store: EvidenceStore, tmp_path: Path) -> None:
    path, (clip, _shot), _code = await _package(store, tmp_path)
    name = _files(clip, ".mp4")
    bad = rewrite_zip(path, tmp_path / "bad.zip", lambda n, d: flip_one_byte(d) if n == name else d)
    report = verify_package(bad)
    assert not report.ok
    assert {(a.path, a.against) for a in report.altered} == {
        (name, "SHA256SUMS"),
        (name, "manifest"),
    }
    assert report.missing == report.unexpected == []


async def test_a_flipped_byte_in_the_raw_archive_fails(
    store: EvidenceStore, tmp_path: Path
) -> None:
    path, (_clip, shot), _code = await _package(store, tmp_path)
    raw = bytearray(path.read_bytes())
    at = raw.find(JPEG[:64])  # stored uncompressed, so the bytes are there as they are
    raw[at + 50] ^= 0x01
    bad = tmp_path / "raw.zip"
    bad.write_bytes(bytes(raw))
    report = verify_package(bad)
    assert not report.ok
    assert _files(shot, ".jpg") in [a.path for a in report.altered]


async def test_a_missing_file_fails_naming_it(store: EvidenceStore, tmp_path: Path) -> None:
    path, (clip, _shot), _code = await _package(store, tmp_path)
    name = _files(clip, ".mp4")
    bad = rewrite_zip(path, tmp_path / "bad.zip", lambda n, d: None if n == name else d)
    report = verify_package(bad)
    assert (report.ok, report.missing) == (False, [name])


async def test_an_added_file_fails_naming_it(store: EvidenceStore, tmp_path: Path) -> None:
    path, _codes, _code = await _package(store, tmp_path)
    extra = {"files/EV-2026-000099.mp4": b"planted", "../escape.txt": b"x"}
    bad = rewrite_zip(path, tmp_path / "bad.zip", lambda n, d: d, extra)
    report = verify_package(bad)
    assert not report.ok
    assert report.unexpected == ["../escape.txt", "files/EV-2026-000099.mp4"]


async def test_an_edited_manifest_fails(store: EvidenceStore, tmp_path: Path) -> None:
    path, (clip, _shot), _code = await _package(store, tmp_path)

    def edit(name: str, data: bytes) -> bytes:
        if name != "manifest.json":
            return data
        manifest = json.loads(data)
        manifest["recipient"] = "Someone Else"
        manifest["items"][0]["sha256"] = "0" * 64
        return json.dumps(manifest).encode()

    report = verify_package(rewrite_zip(path, tmp_path / "bad.zip", edit))
    assert not report.ok
    altered = {(a.path, a.against) for a in report.altered}
    assert ("manifest.json", "SHA256SUMS") in altered
    assert (_files(clip, ".mp4"), "manifest") in altered
    assert report.disagreements == [
        f"{_files(clip, '.mp4')}: the manifest and SHA256SUMS give different hashes"
    ]


async def test_not_a_zip_fails(tmp_path: Path) -> None:
    junk = tmp_path / "junk.zip"
    junk.write_bytes(b"this is not an archive")
    report = verify_package(junk)
    assert not report.ok
    assert "not a readable ZIP archive" in report.problems[0]


async def test_the_cli_verifies_and_names_the_altered_file(
    store: EvidenceStore, tmp_path: Path
) -> None:
    path, (clip, _shot), code = await _package(store, tmp_path)
    good = shutil.copyfile(path, tmp_path / "good.zip")
    runner = CliRunner()
    passed = runner.invoke(evidence, ["verify", str(good)])
    assert passed.exit_code == 0, passed.output
    assert f"{code} intact" in passed.output
    name = _files(clip, ".mp4")
    bad = rewrite_zip(path, tmp_path / "bad.zip", lambda n, d: d + b"x" if n == name else d)
    failed = runner.invoke(evidence, ["verify", str(bad)])
    assert failed.exit_code == 1
    assert f"altered: {name}" in failed.output
    as_json = runner.invoke(evidence, ["verify", "--json", str(bad)])
    assert json.loads(as_json.output)["ok"] is False


async def test_an_archive_that_would_expand_past_the_limit_is_not_read(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("files/EV-2026-000001.mp4", b"\0" * 4_000_000)
    assert bomb.stat().st_size < 100_000
    report = verify_package(bomb, max_expanded_bytes=1_000_000)
    assert not report.ok
    assert report.files_checked == 0
    assert "over the limit" in report.problems[0]
