"""The evidence store: hashes taken at creation, read-only files, custody and audit written with
every access, searches, and stored items checked in place."""

from __future__ import annotations

import hashlib
import stat
import threading
import tracemalloc
from datetime import timedelta
from pathlib import Path

import pytest

from tests.domain.evidence.support import (
    CLIP,
    JPEG,
    OPERATOR,
    SUPERVISOR,
    audit_rows,
    evidence_of,
    make_writable,
    write_clip,
)
from watchfloor.app import Watchfloor
from watchfloor.core.errors import InvalidInput, NotFound
from watchfloor.domain.evidence.schemas import EvidenceKind, EvidenceQuery
from watchfloor.domain.evidence.store import EvidenceStore


@pytest.fixture
def store(wf: Watchfloor) -> EvidenceStore:
    return evidence_of(wf)


async def _clip(store: EvidenceStore, tmp_path: Path, **facts: object) -> str:
    source = write_clip(tmp_path / "rec" / "clip.mp4")
    item = await store.add_file(
        source,
        kind=EvidenceKind.CLIP,
        media_type="video/mp4",
        context=OPERATOR,
        **facts,  # type: ignore[arg-type]
    )
    return item.code


async def test_a_clip_keeps_the_hash_of_its_source_and_is_stored_read_only(
    wf: Watchfloor, store: EvidenceStore, tmp_path: Path
) -> None:
    source = write_clip(tmp_path / "rec" / "clip.mp4")
    start = wf.clock.now()
    item = await store.add_file(
        source,
        kind=EvidenceKind.CLIP,
        media_type="video/mp4",
        camera_code="CAM-ESPA-1",
        incident_ref="INC-26-0042",
        captured_from=start - timedelta(seconds=30),
        captured_to=start,
        note="suspect vehicle turns north",
        context=OPERATOR,
    )
    assert item.sha256 == hashlib.sha256(CLIP).hexdigest()
    assert item.size_bytes == len(CLIP)
    assert item.code == f"EV-{start.year}-000001"
    assert (item.created_by, item.created_at) == ("rt3", start)
    assert not source.exists()  # moved in: the recording now lives only as evidence
    stored = store.directory / "items" / str(start.year) / f"{item.code}.mp4"
    assert stored.read_bytes() == CLIP
    assert stat.S_IMODE(stored.stat().st_mode) & 0o222 == 0
    assert list((store.directory / ".incoming").iterdir()) == []
    detail = await store.get(item.code, SUPERVISOR)
    assert [entry.action for entry in detail.custody] == ["created"]
    assert detail.custody[0].actor_username == "rt3"
    actions = [row[0] for row in await audit_rows(wf)]
    assert actions == ["evidence.created", "evidence.read"]


async def test_a_copy_leaves_the_source_and_a_snapshot_is_kept_from_bytes(
    store: EvidenceStore, tmp_path: Path
) -> None:
    source = write_clip(tmp_path / "rec" / "keep.mp4")
    copied = await store.add_file(
        source, kind=EvidenceKind.EXPORT, media_type="video/mp4", context=OPERATOR, move=False
    )
    assert source.read_bytes() == CLIP
    assert copied.kind == EvidenceKind.EXPORT
    snapshot = await store.add_bytes(JPEG, camera_code="CAM-1", context=OPERATOR)
    assert (snapshot.kind, snapshot.media_type) == (EvidenceKind.SNAPSHOT, "image/jpeg")
    assert snapshot.sha256 == hashlib.sha256(JPEG).hexdigest()
    path, _item = await store.open_for_download(snapshot.code, "case file", OPERATOR)
    assert path.suffix == ".jpg"
    assert path.read_bytes() == JPEG


async def test_inconsistent_facts_and_empty_files_are_refused_and_nothing_is_left(
    store: EvidenceStore, tmp_path: Path
) -> None:
    now = store._clock.now()
    with pytest.raises(InvalidInput) as backwards:
        await _clip(store, tmp_path, captured_from=now, captured_to=now - timedelta(seconds=1))
    assert [p.pointer for p in backwards.value.problems] == ["/captured_to"]
    with pytest.raises(InvalidInput) as empty:
        await store.add_bytes(b"", context=OPERATOR)
    assert [p.pointer for p in empty.value.problems] == ["/source"]
    assert list((store.directory / ".incoming").iterdir()) == []
    assert await store.search(EvidenceQuery(), OPERATOR) == []


async def test_downloads_need_a_reason_and_leave_custody_and_audit(
    wf: Watchfloor, store: EvidenceStore, tmp_path: Path
) -> None:
    code = await _clip(store, tmp_path, incident_ref="INC-7")
    with pytest.raises(InvalidInput) as no_reason:
        await store.open_for_download(code, "  ", OPERATOR)
    assert [p.pointer for p in no_reason.value.problems] == ["/reason"]
    path, item = await store.open_for_download(code, "court exhibit 4", SUPERVISOR)
    assert path.read_bytes() == CLIP
    assert item.code == code
    await store.open_for_download(code, "review on the floor", OPERATOR, inline=True)
    with pytest.raises(NotFound):
        await store.open_for_download("EV-2026-999999", "nope", OPERATOR)
    custody = (await store.get(code, SUPERVISOR)).custody
    assert [(c.action, c.actor_username, c.reason) for c in custody] == [
        ("created", "rt3", None),
        ("downloaded", "rt700", "court exhibit 4"),
        ("viewed", "rt3", "review on the floor"),
    ]
    rows = await audit_rows(wf)
    downloaded = [row for row in rows if row[0] == "evidence.downloaded"]
    assert [(row[1], row[2]) for row in downloaded] == [(code, "court exhibit 4")]
    assert item.sha256 in downloaded[0][3]


async def test_search_by_incident_camera_kind_and_time_is_audited(
    wf: Watchfloor, store: EvidenceStore, tmp_path: Path
) -> None:
    now = wf.clock.now()
    early = await _clip(
        store,
        tmp_path,
        incident_ref="INC-1",
        camera_code="CAM-A",
        captured_from=now - timedelta(hours=3),
        captured_to=now - timedelta(hours=2),
    )
    late = await _clip(store, tmp_path, incident_ref="INC-1", camera_code="CAM-B")
    shot = (await store.add_bytes(JPEG, incident_ref="INC-2", context=OPERATOR)).code

    async def codes(**wanted: object) -> list[str]:
        query = EvidenceQuery.model_validate(wanted)
        return [item.code for item in await store.search(query, OPERATOR)]

    assert await codes(incident_ref="INC-1") == [late, early]
    assert await codes(camera_code="CAM-A") == [early]
    assert await codes(kind="snapshot") == [shot]
    assert await codes(until=now - timedelta(hours=1)) == [early]
    assert await codes(since=now - timedelta(minutes=1)) == [shot, late]
    searched = [row for row in await audit_rows(wf) if row[0] == "evidence.searched"]
    assert len(searched) == 5
    assert "INC-1" in searched[0][3]


async def test_verify_item_detects_a_changed_or_missing_file(
    wf: Watchfloor, store: EvidenceStore, tmp_path: Path
) -> None:
    code = await _clip(store, tmp_path)
    assert (await store.verify_item(code, SUPERVISOR)).ok
    path, _ = await store.open_for_download(code, "check", SUPERVISOR)
    make_writable(path)
    data = bytearray(path.read_bytes())
    data[100] ^= 0xFF
    path.write_bytes(bytes(data))
    tampered = await store.verify_item(code, SUPERVISOR)
    assert not tampered.ok
    assert tampered.actual_sha256 == hashlib.sha256(bytes(data)).hexdigest()
    assert tampered.expected_sha256 == hashlib.sha256(CLIP).hexdigest()
    path.unlink()
    gone = await store.verify_item(code, SUPERVISOR)
    assert (gone.ok, gone.problem) == (False, "the stored file is missing")
    custody = (await store.get(code, SUPERVISOR)).custody
    verified = [c.detail["ok"] for c in custody if c.action == "verified"]
    assert verified == [True, False, False]
    assert "evidence.verified" in [row[0] for row in await audit_rows(wf)]


async def test_a_50_mb_clip_is_streamed_not_loaded(store: EvidenceStore, tmp_path: Path) -> None:
    block = hashlib.sha256(b"seed").digest() * (1024 * 1024 // 32)
    source = tmp_path / "big.mp4"
    expected = hashlib.sha256()
    for _ in range(50):
        expected.update(block)
    source.write_bytes(b"")
    with source.open("ab") as handle:  # small local writes before the test starts measuring
        for _ in range(50):
            handle.write(block)
    threads = threading.active_count()
    tracemalloc.start()
    try:
        item = await store.add_file(
            source, kind=EvidenceKind.CLIP, media_type="video/mp4", context=OPERATOR, move=False
        )
        check = await store.verify_item(item.code, OPERATOR)
        package = await store.build_package([item.code], "County DA", "prosecution", SUPERVISOR)
        _size, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert item.sha256 == expected.hexdigest()
    assert check.ok
    assert package.size_bytes is not None
    assert package.size_bytes > 50 * 1024 * 1024
    assert peak < 8 * 1024 * 1024, f"peak {peak} bytes: the file was loaded"
    assert threading.active_count() <= threads + 8  # to_thread's pool, no stray threads of ours


async def test_an_unknown_kind_is_refused_naming_the_field(store: EvidenceStore) -> None:
    with pytest.raises(InvalidInput) as unknown:
        await store.add_bytes(JPEG, kind="hologram", context=OPERATOR)
    assert [p.pointer for p in unknown.value.problems] == ["/kind"]
    item = await store.add_bytes(JPEG, kind="upload", context=OPERATOR)
    assert item.kind == EvidenceKind.UPLOAD
