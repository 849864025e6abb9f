"""The audit log service: append records to the hash chain, query them, verify the chain."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Connection, Row, Select, bindparam, insert, or_, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from watchfloor.audit.chain import GENESIS_HASH, record_hash
from watchfloor.audit.models import AuditChainHead, AuditRecord
from watchfloor.audit.verify import VerifyResult, verify_chain
from watchfloor.core.clock import Clock
from watchfloor.core.context import RequestContext
from watchfloor.db.engine import Database

# Any constant works: it names the one advisory lock that serializes chain appends.
CHAIN_LOCK_KEY = 0x5746_4155_4449_54  # "WFAUDIT"
HEAD_ID = 1

# Statements built once; appends run on the session's connection, not through the ORM's unit of
# work, which cost more than the hash chain itself on the paths an alert's first seconds wait on.
_READ_HEAD = (
    select(AuditChainHead.seq, AuditChainHead.hash)
    .where(AuditChainHead.id == HEAD_ID)
    .with_for_update()
)
_MOVE_HEAD = (
    update(AuditChainHead)
    .where(AuditChainHead.id == HEAD_ID)
    .values(seq=bindparam("new_seq"), hash=bindparam("new_hash"))
)
_FIRST_HEAD = insert(AuditChainHead)
_ADD_RECORDS = insert(AuditRecord)
_CHAIN_LOCK = text("SELECT pg_advisory_xact_lock(:key)")


class Outcome(StrEnum):
    """How an audited attempt ended."""

    SUCCESS = "success"
    DENIED = "denied"
    ERROR = "error"


@dataclass(frozen=True)
class AuditEntry:
    """What happened, to what, and why: the caller's part of an audit record."""

    action: str
    outcome: Outcome = Outcome.SUCCESS
    object_type: str | None = None
    object_id: str | None = None
    reason: str | None = None
    case_number: str | None = None
    details: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class AuditFilter:
    """Which records a query wants; every field narrows the result."""

    person: str | None = None
    action: str | None = None
    object_type: str | None = None
    object_id: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    after_seq: int | None = None
    limit: int = 100


class AuditLog:
    """Append-only, hash-chained audit records."""

    def __init__(self, db: Database, clock: Clock) -> None:
        self._db = db
        self._clock = clock

    async def record(
        self, session: AsyncSession, context: RequestContext, entry: AuditEntry
    ) -> str:
        """Append a record inside the caller's transaction (atomic with the change it records);
        returns the record's chain hash, which can serve as its receipt."""
        return (await self.record_many(session, context, [entry]))[0]

    async def record_many(
        self, session: AsyncSession, context: RequestContext, entries: Sequence[AuditEntry]
    ) -> list[str]:
        """Append records in order inside the caller's transaction, chained as one by one but
        with one read and one update of the chain head; their chain hashes."""
        return await session.run_sync(self.append, context, entries)

    def append(
        self, session: Session, context: RequestContext, entries: Sequence[AuditEntry]
    ) -> list[str]:
        """`record_many` for a synchronous session (a unit of work run in a worker thread)."""
        session.flush()  # the caller's changes first, then its records
        if not entries:
            return []
        connection = session.connection()
        head = self._lock_head(connection)
        seq, prev = (head[0], head[1]) if head is not None else (0, GENESIS_HASH)
        rows: list[dict[str, Any]] = []
        for entry in entries:
            fields = self._fields(context, entry)
            digest = record_hash(fields, prev)
            seq += 1
            rows.append({**fields, "seq": seq, "prev_hash": prev, "hash": digest})
            prev = digest
        connection.execute(_ADD_RECORDS, rows)
        if head is None:
            connection.execute(_FIRST_HEAD, {"id": HEAD_ID, "seq": seq, "hash": prev})
        else:
            connection.execute(_MOVE_HEAD, {"new_seq": seq, "new_hash": prev})
        return [row["hash"] for row in rows]

    async def record_alone(self, context: RequestContext, entry: AuditEntry) -> None:
        """Append a record in its own committed transaction (denials, failed logons)."""
        async with self._db.session() as session:
            await self.record(session, context, entry)

    async def query(self, wanted: AuditFilter) -> list[AuditRecord]:
        """Records matching the filter, oldest first, at most wanted.limit of them."""
        async with self._db.read_session() as session:
            result = await session.scalars(_filtered(wanted))
            return list(result)

    async def verify(self, batch_size: int = 500) -> VerifyResult:
        """Walk the whole chain and name the first record that was tampered with."""
        async with self._db.read_session() as session:
            head = await session.get(AuditChainHead, HEAD_ID)
            return await verify_chain(session, head, batch_size)

    def _lock_head(self, connection: Connection) -> Row[int, str] | None:
        """The chain head's (seq, hash), locked for this transaction; None before the first."""
        # SQLite writers already hold the database's only write lock (BEGIN IMMEDIATE).
        if self._db.is_postgresql:
            connection.execute(_CHAIN_LOCK, {"key": CHAIN_LOCK_KEY})
        return connection.execute(_READ_HEAD).first()

    def _fields(self, context: RequestContext, entry: AuditEntry) -> dict[str, Any]:
        actor, origin = context.actor, context.origin
        return {
            "id": str(uuid.uuid4()),
            "occurred_at": self._clock.now(),
            "actor_user_id": actor.user_id,
            "actor_username": actor.username,
            "actor_role": actor.role.value if actor.role else None,
            "actor_designator": actor.designator,
            "action": entry.action,
            "object_type": entry.object_type,
            "object_id": entry.object_id,
            "outcome": entry.outcome.value,
            "reason": entry.reason,
            "case_number": entry.case_number,
            "address": origin.address,
            "user_agent": origin.user_agent,
            "request_id": context.request_id,
            "details": dict(entry.details),
        }


def _filtered(wanted: AuditFilter) -> Select[AuditRecord]:
    query = select(AuditRecord).order_by(AuditRecord.seq).limit(wanted.limit)
    if wanted.person:
        query = query.where(
            or_(
                AuditRecord.actor_username == wanted.person,
                AuditRecord.actor_user_id == wanted.person,
            )
        )
    if wanted.action:
        query = query.where(AuditRecord.action.startswith(wanted.action, autoescape=True))
    if wanted.object_type:
        query = query.where(AuditRecord.object_type == wanted.object_type)
    if wanted.object_id:
        query = query.where(AuditRecord.object_id == wanted.object_id)
    if wanted.since:
        query = query.where(AuditRecord.occurred_at >= wanted.since)
    if wanted.until:
        query = query.where(AuditRecord.occurred_at < wanted.until)
    if wanted.after_seq is not None:
        query = query.where(AuditRecord.seq > wanted.after_seq)
    return query
