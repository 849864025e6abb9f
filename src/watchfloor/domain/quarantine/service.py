"""The quarantine: nothing an inbound feed sends is lost; rejected payloads wait here for a fix."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import asdict, replace

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from watchfloor.audit.service import AuditEntry, AuditLog, Outcome
from watchfloor.core.clock import Clock
from watchfloor.core.context import RequestContext
from watchfloor.core.errors import Conflict, DomainError, NotFound
from watchfloor.db.engine import Database
from watchfloor.domain.quarantine.models import QuarantinedPayload
from watchfloor.domain.quarantine.schemas import (
    QuarantinedDetail,
    QuarantinedOut,
    QuarantineStatus,
)

Replayer = Callable[[bytes], Awaitable[str]]
"""Re-runs a stored payload through its intake; returns a short outcome, raises DomainError."""

HEAD_BYTES = 64 * 1024


class QuarantineService:
    """Holds rejected payloads, lists them, and replays or discards them on an admin's word."""

    def __init__(self, db: Database, clock: Clock, audit: AuditLog) -> None:
        self._db = db
        self._clock = clock
        self._audit = audit
        self._replayers: dict[str, Replayer] = {}

    def register_replayer(self, source: str, replayer: Replayer) -> None:
        """Name the function that re-runs payloads of a source (e.g. "eido-http")."""
        self._replayers[source] = replayer

    async def hold(
        self,
        source: str,
        body: bytes,
        content_type: str | None,
        error: DomainError,
        *,
        size: int | None = None,
    ) -> str:
        """Keep a rejected payload (its first 64 KiB when it was cut short); returns its id."""
        row = QuarantinedPayload(
            id=str(uuid.uuid4()),
            source=source,
            received_at=self._clock.now(),
            content_type=content_type[:200] if content_type else None,
            body=body[:HEAD_BYTES] if size is not None else body,
            size=size if size is not None else len(body),
            truncated=size is not None,
            status=QuarantineStatus.HELD.value,
            error_code=error.code,
            message=error.message[:4000],
            problems=[asdict(p) for p in error.problems],
        )
        async with self._db.session() as session:
            session.add(row)
        return row.id

    async def list(
        self,
        *,
        source: str | None = None,
        status: QuarantineStatus | None = None,
        limit: int = 200,
    ) -> list[QuarantinedOut]:
        """Quarantined payloads, newest first, without bodies."""
        query = select(QuarantinedPayload).order_by(
            QuarantinedPayload.received_at.desc(), QuarantinedPayload.id
        )
        if source is not None:
            query = query.where(QuarantinedPayload.source == source)
        if status is not None:
            query = query.where(QuarantinedPayload.status == status.value)
        async with self._db.read_session() as session:
            rows = await session.execute(query.limit(limit))
            return [QuarantinedOut.of(row) for row in rows.scalars()]

    async def get(self, payload_id: str, context: RequestContext) -> QuarantinedDetail:
        """One payload with its body: an audited read."""
        async with self._db.session() as session:
            row = await _get(session, payload_id)
            await self._audit.record(session, context, _entry("quarantine.read", row))
            return QuarantinedDetail.of_with_body(row)

    async def replay(self, payload_id: str, context: RequestContext) -> QuarantinedOut:
        """Re-run a held payload: replayed on success, held with the new problems on failure."""
        async with self._db.read_session() as session:
            row = await _get(session, payload_id)
        if row.status != QuarantineStatus.HELD.value:
            raise Conflict(f"payload is {row.status}, not held", "not_held")
        if row.truncated:
            raise Conflict(
                "payload was cut short when it arrived; it cannot be replayed", "truncated"
            )
        replayer = self._replayers.get(row.source)
        if replayer is None:
            raise Conflict(f"no replayer for source {row.source!r}", "no_replayer")
        try:
            outcome, error = await replayer(row.body), None
        except DomainError as exc:
            outcome, error = None, exc
        return await self._record_replay(payload_id, context, outcome, error)

    async def _record_replay(
        self,
        payload_id: str,
        context: RequestContext,
        outcome: str | None,
        error: DomainError | None,
    ) -> QuarantinedOut:
        async with self._db.session() as session:
            row = await _get(session, payload_id, for_update=True)
            if error is None:
                row.status = QuarantineStatus.REPLAYED.value
                row.replayed_at = self._clock.now()
                row.replayed_by = context.actor.username
                row.replay_outcome = outcome
                entry = _entry("quarantine.replayed", row, {"outcome": outcome})
            else:
                row.error_code = error.code
                row.message = error.message[:4000]
                row.problems = [asdict(p) for p in error.problems]
                entry = _entry("quarantine.replayed", row, {"error": error.code}, Outcome.ERROR)
            await self._audit.record(session, context, entry)
            return QuarantinedOut.of(row)

    async def discard(
        self, payload_id: str, reason: str, context: RequestContext
    ) -> QuarantinedOut:
        """Drop a held payload for a recorded reason (the row stays, marked discarded)."""
        async with self._db.session() as session:
            row = await _get(session, payload_id, for_update=True)
            if row.status != QuarantineStatus.HELD.value:
                raise Conflict(f"payload is {row.status}, not held", "not_held")
            row.status = QuarantineStatus.DISCARDED.value
            row.discarded_reason = reason
            entry = replace(_entry("quarantine.discarded", row), reason=reason)
            await self._audit.record(session, context, entry)
            return QuarantinedOut.of(row)


def _entry(
    action: str,
    row: QuarantinedPayload,
    details: dict[str, str | None] | None = None,
    outcome: Outcome = Outcome.SUCCESS,
) -> AuditEntry:
    return AuditEntry(
        action,
        outcome=outcome,
        object_type="quarantined_payload",
        object_id=row.id,
        details={"source": row.source, **(details or {})},
    )


async def _get(
    session: AsyncSession, payload_id: str, *, for_update: bool = False
) -> QuarantinedPayload:
    query = select(QuarantinedPayload).where(QuarantinedPayload.id == payload_id)
    if for_update:
        query = query.with_for_update()
    row = (await session.execute(query)).scalar_one_or_none()
    if row is None:
        raise NotFound("no such quarantined payload")
    return row
