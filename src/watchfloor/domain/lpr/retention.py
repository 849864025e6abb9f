"""Retention of reads: state presets, legal holds, purge with receipts.

Limits come from the state statutes in shared/standards §10. Those statutes set how long non-hit
reads may be kept; none sets a separate period for a hit that never became part of a case, so a
preset keeps such hits exactly as long as non-hits ("same statute limit"). A hit whose plate has
an alert carrying a case number is kept with the case, whatever its age, and so is every read a
legal hold covers. Each purge leaves one receipt per class in the audit log, even when nothing
expired, so that the schedule's running is provable.
"""

from __future__ import annotations

import asyncio
import hashlib
import heapq
from array import array
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from watchfloor.audit.models import AuditRecord
from watchfloor.audit.service import AuditEntry, AuditLog
from watchfloor.core.clock import Clock
from watchfloor.core.context import Actor, RequestContext
from watchfloor.db.engine import Database
from watchfloor.domain.lpr import search_plan as plan
from watchfloor.domain.lpr.holds import HeldScope, LegalHolds
from watchfloor.domain.lpr.images import ImageStore
from watchfloor.domain.lpr.retention_policy import (
    iso_duration,
    resolve_policy,
)
from watchfloor.domain.lpr.search_schemas import PolicyOut, ReceiptOut, receipt_of
from watchfloor.settings import LprSettings

PURGED = "lpr.retention.purged"
CHUNK = 10_000
"""Reads deleted per transaction: short write locks even when millions expire at once."""
IMAGE_BATCH = 20_000
SYSTEM = RequestContext(actor=Actor.system("lpr-retention"))


@dataclass(frozen=True)
class PurgeReport:
    """What one purge did: a receipt per class (non_hit, hit)."""

    ran_at: datetime
    receipts: list[ReceiptOut]


@dataclass
class _Tally:
    """One class's running account during a purge."""

    hit: bool
    cutoff_ms: int
    count: int = 0
    oldest_ms: int | None = None
    newest_ms: int | None = None
    kept_by_hold: int = 0
    kept_with_case: int = 0
    images_deleted: int = 0
    plates_removed: int = 0
    id_runs: list[array[int]] = field(default_factory=list)

    @property
    def name(self) -> str:
        return "hit" if self.hit else "non_hit"

    def digest(self) -> str:
        """SHA-256 over the deleted ids ascending, each as decimal ASCII and a newline (so
        `sort -n ids | sha256sum` reproduces it)."""
        sha = hashlib.sha256()
        block: list[str] = []
        for read_id in heapq.merge(*self.id_runs):
            block.append(f"{read_id}\n")
            if len(block) >= 10_000:
                sha.update("".join(block).encode("ascii"))
                block.clear()
        sha.update("".join(block).encode("ascii"))
        return sha.hexdigest()


class RetentionService:
    """Deletes what has expired under the agency's policy and leaves a receipt in the audit log."""

    def __init__(
        self,
        db: Database,
        clock: Clock,
        audit: AuditLog,
        settings: LprSettings,
        images: ImageStore,
    ) -> None:
        self._db = db
        self._clock = clock
        self._audit = audit
        self._settings = settings
        self._images = images
        self.policy = resolve_policy(settings)
        self.holds = LegalHolds(db, clock, audit)
        self.chunk_size = CHUNK
        self._running = asyncio.Lock()

    def policy_out(self) -> PolicyOut:
        """The policy in force, for the console."""
        p = self.policy
        return PolicyOut(
            preset=p.preset,
            jurisdiction=p.jurisdiction,
            statute=p.statute,
            verification=p.verification,
            note=p.note,
            nonhit_limit_s=int(p.nonhit.total_seconds()),
            hit_limit_s=int(p.hit.total_seconds()),
            nonhit_limit=iso_duration(p.nonhit),
            hit_limit=iso_duration(p.hit),
            overridden=p.overridden,
        )

    async def last_receipts(self) -> list[ReceiptOut]:
        """The receipts of the latest purge (one per class), from the audit log."""
        query = (
            select(AuditRecord.details, AuditRecord.occurred_at)
            .where(AuditRecord.action == PURGED)
            .order_by(AuditRecord.seq.desc())
            .limit(2)
        )
        async with self._db.read_session() as session:
            rows = (await session.execute(query)).all()
        return [receipt_of(details, at) for details, at in reversed(rows)]

    async def purge(self, context: RequestContext | None = None) -> PurgeReport:
        """Scheduled job: delete expired reads and orphaned images; one receipt per class."""
        async with self._running:
            now = self._clock.now()
            tallies = [
                _Tally(False, _ms(now - self.policy.nonhit)),
                _Tally(True, _ms(now - self.policy.hit)),
            ]
            images: dict[str, _Tally] = {}
            for tally in tallies:
                await self._purge_class(tally, images)
            await self._flush_images(images)
            receipts = [await self._receipt(tally, context or SYSTEM) for tally in tallies]
            return PurgeReport(now, receipts)

    async def _purge_class(self, tally: _Tally, images: dict[str, _Tally]) -> None:
        after = (-(2**62), -1)
        while True:
            rows, doomed = await self._purge_chunk(tally, after)
            for row in doomed:
                for digest in (row[4], row[5]):
                    if digest:
                        images.setdefault(digest, tally)
            if len(images) >= IMAGE_BATCH:
                await self._flush_images(images)
            if len(rows) < self.chunk_size:
                break
            after = (rows[-1][3], rows[-1][0])

    async def _purge_chunk(
        self, tally: _Tally, after: tuple[int, int]
    ) -> tuple[list[Any], list[Any]]:
        """One transaction: the next expired reads of the class, minus the held and the
        case-linked ones, deleted with the dictionary plates nobody reads any more."""
        pg = self._db.is_postgresql
        removed: list[str] = []
        doomed: list[Any] = []
        async with self._db.session() as session:
            await self.holds.lock(session)
            params = {"cutoff": tally.cutoff_ms, "hit": tally.hit, "chunk": self.chunk_size}
            params.update(after_ms=after[0], after_id=after[1])
            rows = list((await session.execute(plan.EXPIRED, params)).all())
            if not rows:
                return rows, doomed
            scopes = await self.holds.active_scopes(session)
            cased = await self._cased_plates(session, tally, rows)
            doomed = [r for r in rows if not _kept(tally, r, scopes, cased)]
            if doomed:
                ids = [r[0] for r in doomed]
                await session.execute(plan.DELETE_READS, {"ids": ids})
                plates = sorted({r[1] for r in doomed})
                removed = await plan.remove_plates(session, plates)
                _count(tally, doomed)
        tally.plates_removed += len(removed)
        if pg and removed:
            # A read of one of these plates may have been committed beside the chunk: put its
            # dictionary row back (SQLite's single writer cannot interleave like that).
            async with self._db.session() as session:
                tally.plates_removed -= await plan.restore_plates(session, removed)
        return rows, doomed

    async def _cased_plates(
        self, session: AsyncSession, tally: _Tally, rows: list[Any]
    ) -> frozenset[str]:
        if not tally.hit:
            return frozenset()
        plates = sorted({r[1] for r in rows})
        return frozenset((await session.execute(plan.CASED_PLATES, {"plates": plates})).scalars())

    async def _flush_images(self, images: dict[str, _Tally]) -> None:
        """Delete the candidate images that no remaining read or alert refers to, counting each
        in the receipt of the class whose read brought it.

        No index covers the image columns (each one would slow ingest), so this scans lpr_read
        and lpr_alert once per batch of up to IMAGE_BATCH candidates, in a read transaction."""
        if not images:
            return
        candidates = sorted(images)
        async with self._db.read_session() as session:
            used = await plan.referenced_images(session, self._db.is_postgresql, candidates)
        orphans = [digest for digest in candidates if digest not in used]
        deleted = await asyncio.to_thread(self._delete_images, orphans)
        for digest in deleted:
            images[digest].images_deleted += 1
        images.clear()

    def _delete_images(self, digests: list[str]) -> list[str]:
        return [digest for digest in digests if self._images.delete(digest)]

    async def _receipt(self, tally: _Tally, context: RequestContext) -> ReceiptOut:
        details: dict[str, Any] = {
            "class": tally.name,
            "count": tally.count,
            "oldest": _iso(tally.oldest_ms),
            "newest": _iso(tally.newest_ms),
            "cutoff": _iso(tally.cutoff_ms),
            "rule": self.policy.rule(tally.hit),
            "digest": tally.digest(),
            "kept_by_hold": tally.kept_by_hold,
            "kept_with_case": tally.kept_with_case,
            "images_deleted": tally.images_deleted,
            "plates_removed": tally.plates_removed,
        }
        entry = AuditEntry(
            PURGED, object_type="lpr_retention", object_id=tally.name, details=details
        )
        await self._audit.record_alone(context, entry)
        return receipt_of(details, None)


def _kept(tally: _Tally, row: Any, scopes: list[HeldScope], cased: frozenset[str]) -> bool:
    plate, reader_id, captured_ms = row[1], row[2], row[3]
    if any(scope.covers(plate, reader_id, captured_ms) for scope in scopes):
        tally.kept_by_hold += 1
        return True
    if plate in cased:
        tally.kept_with_case += 1
        return True
    return False


def _count(tally: _Tally, doomed: list[Any]) -> None:
    tally.count += len(doomed)
    tally.id_runs.append(array("q", sorted(r[0] for r in doomed)))
    first, last = doomed[0][3], doomed[-1][3]
    tally.oldest_ms = first if tally.oldest_ms is None else min(tally.oldest_ms, first)
    tally.newest_ms = last if tally.newest_ms is None else max(tally.newest_ms, last)


def _ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def _iso(ms: int | None) -> str | None:
    return None if ms is None else datetime.fromtimestamp(ms / 1000, UTC).isoformat()
