"""The evidence store: clips and snapshots kept with the SHA-256 taken as they arrive, every
access written to the item's chain of custody and to the audit log in one transaction.

Files live under the evidence directory as `items/<year>/<code><ext>`, read-only. A recording
handed over with move=True is linked (or copied) in and its original removed only once the
item is committed, so a failed registration never loses the recording."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from watchfloor.audit.service import AuditEntry, AuditLog
from watchfloor.core.clock import Clock
from watchfloor.core.context import RequestContext
from watchfloor.core.errors import FieldProblem, InvalidInput, NotFound
from watchfloor.db.engine import Database
from watchfloor.domain.evidence import files
from watchfloor.domain.evidence.custody import ITEM, custody_entry, custody_of, record_item_access
from watchfloor.domain.evidence.models import EvidenceItem
from watchfloor.domain.evidence.packages import PackageDesk
from watchfloor.domain.evidence.schemas import (
    CustodyAction,
    EvidenceDetail,
    EvidenceKind,
    EvidenceOut,
    EvidenceQuery,
    ItemCheck,
    PackageOut,
    VerifyReport,
)

DEFAULT_MAX_UPLOAD = 8 * 1024**3


@dataclass(frozen=True)
class ItemFacts:
    """What is known about an item besides its bytes."""

    kind: EvidenceKind
    media_type: str
    camera_code: str | None = None
    incident_ref: str | None = None
    alert_ref: str | None = None
    captured_from: datetime | None = None
    captured_to: datetime | None = None
    note: str | None = None


class EvidenceStore:
    """Keeps evidence items, their custody and packages; every access audited."""

    def __init__(
        self,
        db: Database,
        clock: Clock,
        audit: AuditLog,
        directory: Path,
        max_upload_bytes: int = DEFAULT_MAX_UPLOAD,
    ) -> None:
        self._db = db
        self._clock = clock
        self._audit = audit
        self.directory = directory
        directory.mkdir(parents=True, exist_ok=True)
        self.packages = PackageDesk(db, clock, audit, directory, max_upload_bytes)

    async def add_file(
        self,
        source: Path,
        *,
        kind: EvidenceKind | str,
        media_type: str,
        context: RequestContext,
        camera_code: str | None = None,
        incident_ref: str | None = None,
        alert_ref: str | None = None,
        captured_from: datetime | None = None,
        captured_to: datetime | None = None,
        note: str | None = None,
        move: bool = True,
        sha256: str | None = None,
    ) -> EvidenceOut:
        """Keep a finished file (a recording) as evidence, hashed as it is streamed in; a
        `sha256` the caller took while the file arrived spares a second pass over a linked file."""
        facts = _facts(
            kind, media_type, camera_code, incident_ref, alert_ref, captured_from, captured_to, note
        )
        landed = await asyncio.to_thread(files.land_file, self.directory, source, move, sha256)
        item = await self._register(landed, facts, context)
        if move:
            await asyncio.to_thread(source.unlink, missing_ok=True)
        return item

    async def add_bytes(
        self,
        data: bytes,
        *,
        context: RequestContext,
        kind: EvidenceKind | str = EvidenceKind.SNAPSHOT,
        media_type: str = "image/jpeg",
        camera_code: str | None = None,
        incident_ref: str | None = None,
        alert_ref: str | None = None,
        captured_from: datetime | None = None,
        captured_to: datetime | None = None,
        note: str | None = None,
    ) -> EvidenceOut:
        """Keep bytes (a JPEG snapshot) as evidence."""
        facts = _facts(
            kind, media_type, camera_code, incident_ref, alert_ref, captured_from, captured_to, note
        )
        landed = await asyncio.to_thread(files.land_bytes, self.directory, data)
        return await self._register(landed, facts, context)

    async def search(self, query: EvidenceQuery, context: RequestContext) -> list[EvidenceOut]:
        """Items by incident, camera, kind and time, newest first (the search is audited)."""
        async with self._db.session() as session:
            rows = (await session.execute(_filtered(query))).scalars().all()
            wanted = query.model_dump(mode="json", exclude_defaults=True)
            entry = AuditEntry(
                "evidence.searched", object_type=ITEM, details=wanted | {"count": len(rows)}
            )
            await self._audit.record(session, context, entry)
            return [EvidenceOut.model_validate(row) for row in rows]

    async def get(self, code: str, context: RequestContext) -> EvidenceDetail:
        """One item with its whole chain of custody (an audited read)."""
        async with self._db.session() as session:
            row = await find_item(session, code, deleted_ok=True)
            custody = (await custody_of(session, [row.id]))[row.id]
            entry = AuditEntry("evidence.read", object_type=ITEM, object_id=row.code)
            await self._audit.record(session, context, entry)
            return EvidenceDetail.model_validate(
                EvidenceOut.model_validate(row).model_dump() | {"custody": custody}
            )

    async def open_for_download(
        self, code: str, reason: str, context: RequestContext, inline: bool = False
    ) -> tuple[Path, EvidenceOut]:
        """The item's file to hand out, once its custody entry and audit record are written."""
        reason = _reason(reason)
        async with self._db.session() as session:
            row = await find_item(session, code)
            path = self.directory / row.stored_path
            if not await asyncio.to_thread(path.is_file):
                raise NotFound(f"the file of {code} is missing from the evidence store")
            action = CustodyAction.VIEWED if inline else CustodyAction.DOWNLOADED
            entry = custody_entry(row, action, context, self._clock.now(), reason=reason, detail={})
            await record_item_access(session, self._audit, context, entry, row)
            return path, EvidenceOut.model_validate(row)

    async def verify_item(self, code: str, context: RequestContext) -> ItemCheck:
        """Hash the stored file again and compare it with the hash taken at creation."""
        async with self._db.read_session() as session:
            row = await find_item(session, code, deleted_ok=True)
        check = await asyncio.to_thread(_check_file, self.directory, row)
        async with self._db.session() as session:
            row = await find_item(session, code, deleted_ok=True)
            detail = {"ok": check.ok, "actual_sha256": check.actual_sha256}
            if check.problem:
                detail["problem"] = check.problem
            entry = custody_entry(
                row, CustodyAction.VERIFIED, context, self._clock.now(), detail=detail
            )
            await record_item_access(session, self._audit, context, entry, row)
        return check

    async def build_package(
        self, codes: list[str], recipient: str, purpose: str, context: RequestContext
    ) -> PackageOut:
        """Build a package of items for a recipient (see PackageDesk.build)."""
        return await self.packages.build(codes, recipient, purpose, context)

    async def open_package_for_transfer(
        self, code: str, reason: str, context: RequestContext
    ) -> tuple[Path, PackageOut]:
        """The package's archive to hand to its recipient (custody: transferred)."""
        return await self.packages.open_for_transfer(code, _reason(reason), context)

    async def verify_upload(
        self, chunks: AsyncIterator[bytes], context: RequestContext
    ) -> VerifyReport:
        """Check a package someone sends back (streamed to a scratch file, then removed)."""
        return await self.packages.verify_upload(chunks, context)

    async def _register(
        self, landed: files.Landed, facts: ItemFacts, context: RequestContext
    ) -> EvidenceOut:
        settled: Path | None = None
        try:
            if landed.size_bytes == 0:
                raise InvalidInput("empty evidence", [FieldProblem("/source", "no bytes")])
            now = self._clock.now()
            async with self._db.session() as session:
                row = _new_row(facts, landed, now, context)
                session.add(row)
                await session.flush()
                row.code = f"EV-{now.year}-{row.id:06d}"
                row.stored_path = (
                    f"items/{now.year}/{row.code}{files.extension_for(row.media_type)}"
                )
                settled = await asyncio.to_thread(
                    files.settle, self.directory, landed.path, row.stored_path
                )
                detail = {"size_bytes": row.size_bytes, "media_type": row.media_type}
                entry = custody_entry(row, CustodyAction.CREATED, context, now, detail=detail)
                await record_item_access(session, self._audit, context, entry, row)
                return EvidenceOut.model_validate(row)
        except BaseException:
            await asyncio.to_thread(files.discard, settled or landed.path)
            raise


async def find_item(session: AsyncSession, code: str, deleted_ok: bool = False) -> EvidenceItem:
    """The item with this code; 404 when unknown (or deleted, unless deleted_ok)."""
    row = (
        await session.execute(select(EvidenceItem).where(EvidenceItem.code == code))
    ).scalar_one_or_none()
    if row is None or (row.deleted_at is not None and not deleted_ok):
        raise NotFound("no such evidence item")
    return row


def _new_row(
    facts: ItemFacts, landed: files.Landed, now: datetime, context: RequestContext
) -> EvidenceItem:
    return EvidenceItem(
        code=f"pending-{uuid.uuid4().hex}",
        kind=facts.kind.value,
        media_type=facts.media_type,
        size_bytes=landed.size_bytes,
        sha256=landed.sha256,
        stored_path="",
        camera_code=facts.camera_code,
        incident_ref=facts.incident_ref,
        alert_ref=facts.alert_ref,
        captured_from=facts.captured_from,
        captured_to=facts.captured_to,
        created_at=now,
        created_by=context.actor.username,
        note=facts.note,
        legal_hold=False,
    )


_LIMITS = {
    "media_type": 100,
    "camera_code": 64,
    "incident_ref": 100,
    "alert_ref": 100,
    "note": 2000,
}


def _facts(kind: EvidenceKind | str, media_type: str, *rest: Any) -> ItemFacts:
    """The item's facts, checked; InvalidInput naming each field that is wrong."""
    try:
        checked_kind = EvidenceKind(kind)
    except ValueError as exc:
        problem = FieldProblem("/kind", f"one of {', '.join(k.value for k in EvidenceKind)}")
        raise InvalidInput("unknown kind of evidence", [problem]) from exc
    facts = ItemFacts(checked_kind, media_type, *rest)
    _check_facts(facts)
    return facts


def _check_facts(facts: ItemFacts) -> None:
    problems = [
        FieldProblem(f"/{name}", f"at most {limit} characters")
        for name, limit in _LIMITS.items()
        if len(getattr(facts, name) or "") > limit
    ]
    if not facts.media_type.strip():
        problems.append(FieldProblem("/media_type", "required"))
    for name in ("captured_from", "captured_to"):
        value = getattr(facts, name)
        if value is not None and value.tzinfo is None:
            problems.append(FieldProblem(f"/{name}", "needs a time zone"))
    span = facts.captured_from, facts.captured_to
    if not problems and span[0] and span[1] and span[1] < span[0]:
        problems.append(FieldProblem("/captured_to", "before captured_from"))
    if problems:
        raise InvalidInput("the evidence item is not consistent", problems)


def _reason(reason: str) -> str:
    reason = reason.strip()
    if len(reason) < 3 or len(reason) > 500:
        raise InvalidInput("a reason is required", [FieldProblem("/reason", "3 to 500 characters")])
    return reason


def _check_file(root: Path, row: EvidenceItem) -> ItemCheck:
    path = root / row.stored_path
    actual_sha256: str | None = None
    actual_size: int | None = None
    problem: str | None = None
    if path.is_file():
        actual_size = path.stat().st_size
        actual_sha256 = files.file_sha256(path)
        if actual_sha256 != row.sha256:
            problem = "the stored bytes differ from those hashed at creation"
    else:
        problem = "the stored file is missing"
    return ItemCheck(
        code=row.code,
        ok=problem is None,
        expected_sha256=row.sha256,
        actual_sha256=actual_sha256,
        expected_size=row.size_bytes,
        actual_size=actual_size,
        problem=problem,
    )


def _filtered(query: EvidenceQuery) -> Select[EvidenceItem]:
    stmt = select(EvidenceItem).order_by(EvidenceItem.created_at.desc(), EvidenceItem.id.desc())
    if query.incident_ref:
        stmt = stmt.where(EvidenceItem.incident_ref == query.incident_ref)
    if query.camera_code:
        stmt = stmt.where(EvidenceItem.camera_code == query.camera_code)
    if query.kind:
        stmt = stmt.where(EvidenceItem.kind == query.kind.value)
    if query.since:
        ends = func.coalesce(EvidenceItem.captured_to, EvidenceItem.created_at)
        stmt = stmt.where(ends >= query.since)
    if query.until:
        starts = func.coalesce(EvidenceItem.captured_from, EvidenceItem.created_at)
        stmt = stmt.where(starts < query.until)
    if not query.include_deleted:
        stmt = stmt.where(EvidenceItem.deleted_at.is_(None))
    return stmt.limit(query.limit)
