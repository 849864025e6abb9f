"""Shared bits of the evidence tests: a store on the test installation, a fake clip, audit rows,
and a helper that rewrites a package's archive with one member changed."""

from __future__ import annotations

import os
import zipfile
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import text

from watchfloor.app import Watchfloor
from watchfloor.core.context import Actor, RequestContext, Role
from watchfloor.domain.evidence.store import EvidenceStore

OPERATOR = RequestContext(actor=Actor(user_id="u1", username="rt3", role=Role.OPERATOR))
SUPERVISOR = RequestContext(actor=Actor(user_id="u2", username="rt700", role=Role.SUPERVISOR))
CLIP = b"\x00\x00\x00\x18ftypmp42" + bytes(range(256)) * 40  # not real video: bytes are bytes
JPEG = b"\xff\xd8\xff\xe0" + b"snapshot" * 100 + b"\xff\xd9"


def evidence_of(wf: Watchfloor) -> EvidenceStore:
    """The installation's evidence store (made here until app.py builds one)."""
    store = getattr(wf, "evidence", None)
    if isinstance(store, EvidenceStore):
        return store
    directory = wf.settings.video.evidence_dir or wf.settings.data_dir / "evidence"
    store = EvidenceStore(wf.db, wf.clock, wf.audit, directory)
    wf.__dict__["evidence"] = store
    return store


def write_clip(path: Path, data: bytes = CLIP) -> Path:
    """A finished recording on disk, as the recorder leaves it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


async def audit_rows(wf: Watchfloor) -> list[tuple[str, str | None, str | None, str]]:
    """(action, object id, reason, details as text) of every evidence audit record, in order."""
    query = text(
        "SELECT action, object_id, reason, details FROM audit_record "
        "WHERE object_type LIKE 'evidence%' ORDER BY seq"
    )
    async with wf.db.read_session() as session:
        rows = (await session.execute(query)).all()
    return [(row[0], row[1], row[2], str(row[3])) for row in rows]


def rewrite_zip(
    source: Path,
    target: Path,
    change: Callable[[str, bytes], bytes | None],
    extra: dict[str, bytes] | None = None,
) -> Path:
    """Copy an archive member by member through change(name, data) (None drops the member)."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for info in old.infolist():
            data = change(info.filename, old.read(info.filename))
            if data is not None:
                new.writestr(info.filename, data)
        for name, data in (extra or {}).items():
            new.writestr(name, data)
    return target


def flip_one_byte(data: bytes) -> bytes:
    """The same bytes with one changed (in the middle)."""
    middle = len(data) // 2
    return data[:middle] + bytes([data[middle] ^ 0x01]) + data[middle + 1 :]


def make_writable(path: Path) -> None:
    """Undo the store's read-only mode so a test can tamper with the file."""
    os.chmod(path, 0o644)
