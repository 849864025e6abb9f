"""Legal holds: the reads a case needs (by plate, reader and/or time range) outlive their retention
limit until a supervisor releases the hold."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from watchfloor.audit.service import AuditEntry, AuditLog
from watchfloor.core.clock import Clock
from watchfloor.core.context import RequestContext
from watchfloor.core.errors import Conflict, FieldProblem, InvalidInput, NotFound
from watchfloor.db.engine import Database
from watchfloor.domain.lpr.models import LegalHold, PlateReader, new_id
from watchfloor.domain.lpr.search_schemas import HoldIn, HoldOut
from watchfloor.events.lpr import normalize_plate

# Any constant works: it names the advisory lock that orders hold placement and purge chunks on
# PostgreSQL, so a hold committed before a chunk starts is always seen by that chunk.
HOLD_LOCK_KEY = 0x5746_4C50_5248_4C44  # "WFLPRHLD"


@dataclass(frozen=True, slots=True)
class HeldScope:
    """What one active hold keeps: every read matching all of its set fields."""

    plate: str | None
    reader_id: int | None
    since_ms: int | None
    until_ms: int | None

    def covers(self, plate: str, reader_id: int, captured_ms: int) -> bool:
        """True when the read falls under this hold."""
        return (
            (self.plate is None or self.plate == plate)
            and (self.reader_id is None or self.reader_id == reader_id)
            and (self.since_ms is None or captured_ms >= self.since_ms)
            and (self.until_ms is None or captured_ms < self.until_ms)
        )


class LegalHolds:
    """Places, releases and lists legal holds; tells the purge what they cover."""

    def __init__(self, db: Database, clock: Clock, audit: AuditLog) -> None:
        self._db = db
        self._clock = clock
        self._audit = audit

    async def place(self, hold: HoldIn, context: RequestContext) -> HoldOut:
        """Put reads on hold for a case (audited as `lpr.hold.placed`)."""
        plate = _plate(hold.plate)
        _check_scope(hold, plate)
        async with self._db.session() as session:
            await self.lock(session)
            reader_id = await _reader_id(session, hold.reader_code)
            row = LegalHold(
                id=new_id(),
                case_number=hold.case_number.strip(),
                reason=hold.reason.strip(),
                plate=plate,
                reader_id=reader_id,
                since=hold.since,
                until=hold.until,
                created_by=context.actor.username,
                created_at=self._clock.now(),
            )
            session.add(row)
            await session.flush()
            entry = _entry("lpr.hold.placed", row, hold.reason, hold.reader_code)
            await self._audit.record(session, context, entry)
            return _out(row, hold.reader_code)

    async def release(self, hold_id: str, reason: str, context: RequestContext) -> HoldOut:
        """End a hold; its reads fall back under the retention policy (`lpr.hold.released`)."""
        async with self._db.session() as session:
            await self.lock(session)
            query = select(LegalHold).where(LegalHold.id == hold_id).with_for_update()
            row = (await session.execute(query)).scalar_one_or_none()
            if row is None:
                raise NotFound("no such legal hold")
            if row.released_at is not None:
                raise Conflict("the legal hold is already released", "already_released")
            row.released_at = self._clock.now()
            row.released_by = context.actor.username
            row.release_reason = reason
            code = await _reader_code(session, row.reader_id)
            await self._audit.record(
                session, context, _entry("lpr.hold.released", row, reason, code)
            )
            return _out(row, code)

    async def find(
        self, context: RequestContext, *, active_only: bool = False, case_number: str | None = None
    ) -> list[HoldOut]:
        """Holds, newest first (an audited read: `lpr.hold.list`)."""
        query = select(LegalHold).order_by(LegalHold.created_at.desc(), LegalHold.id)
        if active_only:
            query = query.where(LegalHold.released_at.is_(None))
        if case_number:
            query = query.where(LegalHold.case_number == case_number)
        async with self._db.session() as session:
            rows = list((await session.scalars(query)).all())
            codes = await _reader_codes(session, {r.reader_id for r in rows if r.reader_id})
            details = {"active_only": active_only, "case_number": case_number, "count": len(rows)}
            entry = AuditEntry("lpr.hold.list", object_type="lpr_legal_hold", details=details)
            await self._audit.record(session, context, entry)
        return [_out(row, codes.get(row.reader_id or 0)) for row in rows]

    async def lock(self, session: AsyncSession) -> None:
        """Order this transaction with hold changes (SQLite writers are serialised already)."""
        if self._db.is_postgresql:
            await session.execute(
                text("SELECT pg_advisory_xact_lock(:key)"), {"key": HOLD_LOCK_KEY}
            )

    async def active_scopes(self, session: AsyncSession) -> list[HeldScope]:
        """What every unreleased hold covers, read inside the caller's transaction."""
        query = select(LegalHold).where(LegalHold.released_at.is_(None))
        return [
            HeldScope(row.plate, row.reader_id, _ms(row.since), _ms(row.until))
            for row in (await session.scalars(query)).all()
        ]


def _plate(raw: str | None) -> str | None:
    if raw is None:
        return None
    plate = normalize_plate(raw)
    if not plate or len(plate) > 16:
        raise InvalidInput("invalid plate", [FieldProblem("/plate", "1 to 16 letters or digits")])
    return plate


def _check_scope(hold: HoldIn, plate: str | None) -> None:
    if plate is None and hold.reader_code is None and hold.since is None and hold.until is None:
        raise InvalidInput(
            "a hold needs a scope",
            [FieldProblem("/plate", "name a plate, a reader or a time range (since/until)")],
        )
    if hold.since is not None and hold.until is not None and hold.since >= hold.until:
        raise InvalidInput("invalid time range", [FieldProblem("/until", "must be after since")])


async def _reader_id(session: AsyncSession, code: str | None) -> int | None:
    if code is None:
        return None
    found = await session.scalar(select(PlateReader.id).where(PlateReader.code == code))
    if found is None:
        raise InvalidInput("unknown reader", [FieldProblem("/reader_code", "no such reader")])
    return found


async def _reader_code(session: AsyncSession, reader_id: int | None) -> str | None:
    if reader_id is None:
        return None
    return await session.scalar(select(PlateReader.code).where(PlateReader.id == reader_id))


async def _reader_codes(session: AsyncSession, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    query = select(PlateReader.id, PlateReader.code).where(PlateReader.id.in_(ids))
    return {rid: code for rid, code in (await session.execute(query)).all()}


def _ms(moment: datetime | None) -> int | None:
    return None if moment is None else int(moment.timestamp() * 1000)


def _entry(action: str, row: LegalHold, reason: str, reader_code: str | None) -> AuditEntry:
    return AuditEntry(
        action,
        object_type="lpr_legal_hold",
        object_id=row.id,
        reason=reason,
        case_number=row.case_number,
        details={
            "plate": row.plate,
            "reader_code": reader_code,
            "since": row.since.isoformat() if row.since else None,
            "until": row.until.isoformat() if row.until else None,
        },
    )


def _out(row: LegalHold, reader_code: str | None) -> HoldOut:
    return HoldOut(
        id=row.id,
        case_number=row.case_number,
        reason=row.reason,
        plate=row.plate,
        reader_code=reader_code,
        since=row.since,
        until=row.until,
        created_by=row.created_by,
        created_at=row.created_at,
        released_by=row.released_by,
        released_at=row.released_at,
        release_reason=row.release_reason,
        active=row.released_at is None,
    )
