"""Evidence packages for a partner agency or a prosecutor: built, handed over and checked, each
step in the items' chains of custody and in the audit log.

Building runs in three steps so no database transaction stays open while gigabytes are copied:
the package row is claimed (status building), the archive is written, then the items' "packaged"
entries (the same ones custody.json already carries) and the archive's hash are committed."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from watchfloor.audit.service import AuditEntry, AuditLog, Outcome
from watchfloor.core.clock import Clock
from watchfloor.core.context import RequestContext
from watchfloor.core.errors import Conflict, FieldProblem, InvalidInput, NotFound, PayloadTooLarge
from watchfloor.db.engine import Database
from watchfloor.domain.evidence import files
from watchfloor.domain.evidence.custody import (
    custody_document,
    custody_entry,
    custody_of,
    package_audit,
    record_item_access,
)
from watchfloor.domain.evidence.models import CustodyEntry, EvidenceItem, EvidencePackage
from watchfloor.domain.evidence.package import (
    FILES_DIR,
    FORMAT,
    ItemAltered,
    PackedItem,
    write_package,
)
from watchfloor.domain.evidence.schemas import (
    CustodyAction,
    CustodyOut,
    EvidenceOut,
    PackageOut,
    VerifyReport,
)
from watchfloor.domain.evidence.verify import verify_package

BUILDING, READY, FAILED = "building", "ready", "failed"


class PackageDesk:
    """Builds, hands over and checks evidence packages."""

    def __init__(
        self, db: Database, clock: Clock, audit: AuditLog, directory: Path, max_upload: int
    ) -> None:
        self._db = db
        self._clock = clock
        self._audit = audit
        self._directory = directory
        self._max_upload = max_upload

    async def build(
        self, codes: list[str], recipient: str, purpose: str, context: RequestContext
    ) -> PackageOut:
        """Package the items for a recipient: files, manifest, custody and SHA256SUMS."""
        now = self._clock.now()
        package, items, custody = await self._claim(codes, recipient, purpose, now, context)
        packaged = {item.id: self._packaged(item, package, context, now) for item in items}
        for item in items:
            custody[item.id].append(CustodyOut.model_validate(packaged[item.id]))
        target = self._directory / str(package.stored_path)
        manifest = _manifest(package, items)
        logs = {
            "format": FORMAT,
            "package": package.code,
            "items": {item.code: custody_document(custody[item.id]) for item in items},
        }
        packed = [_packed(self._directory, item) for item in items]
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            sha256, size = await asyncio.to_thread(
                write_package, target, packed, manifest, logs, now
            )
        except ItemAltered as exc:
            await self._fail(package.code, context, {"altered": exc.code})
            raise Conflict(
                f"{exc.code} no longer matches the hash taken at its creation", "evidence_altered"
            ) from exc
        except BaseException:
            await self._fail(package.code, context, {"error": "the archive could not be written"})
            raise
        return await self._complete(package.code, items, packaged, sha256, size, context)

    async def open_for_transfer(
        self, code: str, reason: str, context: RequestContext
    ) -> tuple[Path, PackageOut]:
        """The archive to hand to the recipient, once each item's transfer is recorded."""
        async with self._db.session() as session:
            package = await _find_package(session, code)
            if package.status != READY:
                raise Conflict(f"package {code} is {package.status}", "package_not_ready")
            path = self._directory / str(package.stored_path)
            if not await asyncio.to_thread(path.is_file):
                raise NotFound(f"the archive of {code} is missing from the evidence store")
            detail = {"package": code, "archive_sha256": package.sha256}
            for item in await _items(session, package.item_codes):
                entry = custody_entry(
                    item,
                    CustodyAction.TRANSFERRED,
                    context,
                    self._clock.now(),
                    reason=reason,
                    recipient=package.recipient,
                    detail=detail,
                )
                await record_item_access(session, self._audit, context, entry, item)
            audit = package_audit("transferred", code, _facts(package), reason)
            await self._audit.record(session, context, audit)
            return path, PackageOut.model_validate(package)

    async def get(self, code: str) -> PackageOut:
        """One package."""
        async with self._db.read_session() as session:
            return PackageOut.model_validate(await _find_package(session, code))

    async def recent(self, limit: int = 100) -> list[PackageOut]:
        """Packages, newest first."""
        query = select(EvidencePackage).order_by(EvidencePackage.id.desc()).limit(limit)
        async with self._db.read_session() as session:
            rows = (await session.execute(query)).scalars().all()
            return [PackageOut.model_validate(row) for row in rows]

    async def verify_upload(
        self, chunks: AsyncIterator[bytes], context: RequestContext
    ) -> VerifyReport:
        """Check an uploaded package against itself and, if built here, against its record."""
        scratch = files.incoming_path(self._directory)
        try:
            await self._receive(chunks, scratch)
            limit = (
                2 * self._max_upload
            )  # items are stored, not compressed: a package barely expands
            report = await asyncio.to_thread(verify_package, scratch, limit)
        finally:
            await asyncio.to_thread(files.discard, scratch)
        report = await self._against_record(report)
        details = {
            "ok": report.ok,
            "package": report.package,
            "archive_sha256": report.archive_sha256,
            "recorded_match": report.recorded_match,
            "altered": [a.path for a in report.altered],
            "missing": report.missing,
            "unexpected": report.unexpected,
        }
        entry = AuditEntry(
            "evidence.package_verified",
            object_type="evidence_package",
            object_id=report.package,
            details=details,
        )
        await self._audit.record_alone(context, entry)
        return report

    async def _receive(self, chunks: AsyncIterator[bytes], target: Path) -> None:
        size = 0
        handle = await asyncio.to_thread(open, target, "xb")
        try:
            async for chunk in chunks:
                size += len(chunk)
                if size > self._max_upload:
                    limit = self._max_upload
                    raise PayloadTooLarge(f"a package upload is limited to {limit} bytes")
                await asyncio.to_thread(handle.write, chunk)
        finally:
            await asyncio.to_thread(handle.close)

    async def _against_record(self, report: VerifyReport) -> VerifyReport:
        if report.package is None:
            return report
        async with self._db.read_session() as session:
            query = select(EvidencePackage).where(EvidencePackage.code == report.package)
            row = (await session.execute(query)).scalar_one_or_none()
        if row is None or row.sha256 is None:
            return report
        match = row.sha256 == report.archive_sha256
        problems = list(report.problems)
        if not match:
            problems.append(f"the archive is not the one built here as {row.code}")
        return report.model_copy(
            update={"recorded_match": match, "ok": report.ok and match, "problems": problems}
        )

    async def _claim(
        self,
        codes: list[str],
        recipient: str,
        purpose: str,
        now: datetime,
        context: RequestContext,
    ) -> tuple[EvidencePackage, list[EvidenceItem], dict[int, list[CustodyOut]]]:
        async with self._db.session() as session:
            items = await _items(session, codes, strict=True)
            package = EvidencePackage(
                code=f"pending-{uuid.uuid4().hex}",
                status=BUILDING,
                created_at=now,
                created_by=context.actor.username,
                recipient=recipient,
                purpose=purpose,
                item_codes=[item.code for item in items],
            )
            session.add(package)
            await session.flush()
            package.code = f"PKG-{now.year}-{package.id:06d}"
            package.stored_path = f"packages/{now.year}/{package.code}.zip"
            custody = await custody_of(session, [item.id for item in items])
            return package, items, custody

    def _packaged(
        self,
        item: EvidenceItem,
        package: EvidencePackage,
        context: RequestContext,
        now: datetime,
    ) -> CustodyEntry:
        return custody_entry(
            item,
            CustodyAction.PACKAGED,
            context,
            now,
            reason=package.purpose,
            recipient=package.recipient,
            detail={"package": package.code},
        )

    async def _complete(
        self,
        code: str,
        items: list[EvidenceItem],
        packaged: dict[int, CustodyEntry],
        sha256: str,
        size: int,
        context: RequestContext,
    ) -> PackageOut:
        async with self._db.session() as session:
            package = await _find_package(session, code)
            package.status, package.sha256, package.size_bytes = READY, sha256, size
            for item in items:
                await record_item_access(session, self._audit, context, packaged[item.id], item)
            audit = package_audit("created", code, _facts(package), package.purpose)
            await self._audit.record(session, context, audit)
            return PackageOut.model_validate(package)

    async def _fail(self, code: str, context: RequestContext, details: dict[str, Any]) -> None:
        async with self._db.session() as session:
            package = await _find_package(session, code)
            package.status = FAILED
            audit = package_audit("failed", code, _facts(package) | details, None, Outcome.ERROR)
            await self._audit.record(session, context, audit)


async def _items(
    session: AsyncSession, codes: list[str], strict: bool = False
) -> list[EvidenceItem]:
    """The items with these codes, in the order given; with strict, 422 naming unknown ones."""
    query = select(EvidenceItem).where(EvidenceItem.code.in_(codes))
    by_code = {row.code: row for row in (await session.execute(query)).scalars()}
    problems = [
        FieldProblem(f"/codes/{index}", "no such evidence item")
        for index, code in enumerate(codes)
        if code not in by_code or by_code[code].deleted_at is not None
    ]
    if problems and strict:
        raise InvalidInput("the package names unknown evidence", problems)
    return [by_code[code] for code in codes if code in by_code]


async def _find_package(session: AsyncSession, code: str) -> EvidencePackage:
    query = select(EvidencePackage).where(EvidencePackage.code == code)
    row = (await session.execute(query)).scalar_one_or_none()
    if row is None:
        raise NotFound("no such evidence package")
    return row


def _packed(directory: Path, item: EvidenceItem) -> PackedItem:
    name = f"{FILES_DIR}{item.code}{files.extension_for(item.media_type)}"
    return PackedItem(item.code, directory / item.stored_path, name, item.sha256, item.size_bytes)


def _manifest(package: EvidencePackage, items: list[EvidenceItem]) -> dict[str, Any]:
    entries = []
    for item in items:
        metadata = EvidenceOut.model_validate(item).model_dump(mode="json")
        metadata["file"] = f"{FILES_DIR}{item.code}{files.extension_for(item.media_type)}"
        entries.append(metadata)
    return {
        "format": FORMAT,
        "hash_algorithm": "SHA-256",
        "package": package.code,
        "created_at": package.created_at.isoformat(),
        "created_by": package.created_by,
        "recipient": package.recipient,
        "purpose": package.purpose,
        "items": entries,
    }


def _facts(package: EvidencePackage) -> dict[str, Any]:
    return {
        "recipient": package.recipient,
        "items": list(package.item_codes),
        "archive_sha256": package.sha256,
        "size_bytes": package.size_bytes,
    }
