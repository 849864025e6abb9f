"""Walking the hash chain in batches and naming the first record that breaks it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from watchfloor.audit.chain import GENESIS_HASH, record_hash
from watchfloor.audit.models import AuditChainHead, AuditRecord


class Tampering(StrEnum):
    """What was done to the first broken record."""

    EDITED = "edited"
    DELETED = "deleted"
    INSERTED = "inserted"
    REORDERED = "reordered"


@dataclass(frozen=True)
class VerifyResult:
    """The outcome of a chain walk: intact, or the first tampered record."""

    intact: bool
    records: int
    head_seq: int
    tampering: Tampering | None = None
    seq: int | None = None
    detail: str | None = None


@dataclass
class _Walk:
    expected_seq: int = 1
    prev_hash: str = GENESIS_HASH
    before_prev_hash: str | None = None
    count: int = 0


async def _stream(session: AsyncSession, batch_size: int) -> AsyncIterator[AuditRecord]:
    last = 0
    while True:
        query = select(AuditRecord).where(AuditRecord.seq > last).order_by(AuditRecord.seq)
        batch = list(await session.scalars(query.limit(batch_size)))
        for record in batch:
            yield record
        if len(batch) < batch_size:
            return
        last = batch[-1].seq
        session.expunge_all()


def _fields(record: AuditRecord) -> dict[str, object]:
    return {column: getattr(record, column) for column in AuditRecord.__table__.columns.keys()}  # noqa: SIM118


def _broken(  # noqa: PLR0911
    walk: _Walk, record: AuditRecord, following: AuditRecord | None
) -> VerifyResult | None:
    """The finding for one record given its predecessor's hash and its successor, if any."""
    seq = record.seq
    if seq != walk.expected_seq:
        return _found(
            walk,
            Tampering.DELETED,
            walk.expected_seq,
            f"records {walk.expected_seq}..{seq - 1} missing",
        )
    if record_hash(_fields(record), record.prev_hash) != record.hash:
        return _found(walk, Tampering.EDITED, seq, "content does not match its hash")
    if record.prev_hash == walk.prev_hash:
        return None
    if following is not None and following.hash == record.prev_hash:
        return _found(walk, Tampering.REORDERED, seq, f"records {seq} and {following.seq} swapped")
    if record.prev_hash == walk.before_prev_hash:
        return _found(walk, Tampering.INSERTED, seq - 1, "record does not belong to the chain")
    if following is not None and following.prev_hash == record.hash:
        return _found(walk, Tampering.DELETED, seq, f"records before {seq} missing")
    return _found(walk, Tampering.INSERTED, seq, "record does not link to its predecessor")


def _found(walk: _Walk, kind: Tampering, seq: int, detail: str) -> VerifyResult:
    return VerifyResult(False, walk.count, 0, kind, seq, detail)


def _check_head(walk: _Walk, head: AuditChainHead | None) -> VerifyResult:
    head_seq, head_hash = (head.seq, head.hash) if head else (0, GENESIS_HASH)
    last_seq = walk.expected_seq - 1
    if last_seq > head_seq:
        return VerifyResult(
            False,
            walk.count,
            head_seq,
            Tampering.INSERTED,
            head_seq + 1,
            "records after the chain head",
        )
    if last_seq < head_seq:
        return VerifyResult(
            False,
            walk.count,
            head_seq,
            Tampering.DELETED,
            last_seq + 1,
            "records at the end missing",
        )
    if walk.prev_hash != head_hash:
        return VerifyResult(
            False,
            walk.count,
            head_seq,
            Tampering.EDITED,
            last_seq,
            "last record differs from the chain head",
        )
    return VerifyResult(True, walk.count, head_seq)


async def verify_chain(
    session: AsyncSession, head: AuditChainHead | None, batch_size: int
) -> VerifyResult:
    """Walk every record in order (batch_size at a time) and check links, hashes and the head."""
    walk = _Walk()
    pending: AuditRecord | None = None
    async for record in _stream(session, batch_size):
        if pending is not None:
            problem = _step(walk, pending, record)
            if problem is not None:
                return problem
        pending = record
    if pending is not None:
        problem = _step(walk, pending, None)
        if problem is not None:
            return problem
    return _check_head(walk, head)


def _step(walk: _Walk, record: AuditRecord, following: AuditRecord | None) -> VerifyResult | None:
    problem = _broken(walk, record, following)
    if problem is None:
        walk.before_prev_hash, walk.prev_hash = walk.prev_hash, record.hash
        walk.expected_seq = record.seq + 1
        walk.count += 1
    return problem
