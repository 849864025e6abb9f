"""The plate-reader registry: who may send reads, where fixed readers stand and face.

The intake looks readers up on every read, so they are cached in memory; a miss reloads the cache
(at most once a second) so a reader registered by another process is found."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from watchfloor.audit.service import AuditEntry, AuditLog
from watchfloor.core.clock import Clock
from watchfloor.core.context import RequestContext
from watchfloor.core.errors import Conflict, NotFound
from watchfloor.db.engine import Database
from watchfloor.domain.lpr.models import PlateReader
from watchfloor.domain.lpr.schemas import ReaderIn, ReaderOut

RELOAD_AFTER_S = 1.0


@dataclass(frozen=True)
class ReaderInfo:
    """What the intake needs to know about a reader."""

    id: int
    code: str
    name: str
    kind: str
    lat: float | None
    lon: float | None
    heading: float | None
    active: bool


class ReaderRegistry:
    """Registers readers (audited) and answers the intake's lookups from memory."""

    def __init__(self, db: Database, clock: Clock, audit: AuditLog) -> None:
        self._db = db
        self._clock = clock
        self._audit = audit
        self._by_code: dict[str, ReaderInfo] = {}
        self._by_id: dict[int, ReaderInfo] = {}
        self._loaded_at: float | None = None

    async def load(self) -> None:
        """Read every reader into the cache."""
        async with self._db.read_session() as session:
            rows = (await session.execute(select(PlateReader))).scalars().all()
        infos = [_info(row) for row in rows]
        self._by_code = {info.code: info for info in infos}
        self._by_id = {info.id: info for info in infos}
        self._loaded_at = self._clock.now().timestamp()

    async def find(self, code: str) -> ReaderInfo | None:
        """The reader with this code, reloading the cache once on a miss."""
        info = self._by_code.get(code)
        if info is not None:
            return info
        now = self._clock.now().timestamp()
        if self._loaded_at is None or now - self._loaded_at >= RELOAD_AFTER_S:
            await self.load()
        return self._by_code.get(code)

    def by_id(self, reader_id: int) -> ReaderInfo | None:
        """A cached reader by its row id."""
        return self._by_id.get(reader_id)

    async def list(self) -> list[ReaderOut]:
        """Every registered reader, by code."""
        async with self._db.read_session() as session:
            rows = await session.execute(select(PlateReader).order_by(PlateReader.code))
            return [ReaderOut.model_validate(row) for row in rows.scalars()]

    async def register(self, body: ReaderIn, context: RequestContext) -> ReaderOut:
        """Add a reader; 409 when the code is taken."""
        now = self._clock.now()
        async with self._db.session() as session:
            existing = await session.execute(
                select(PlateReader.id).where(PlateReader.code == body.code)
            )
            if existing.scalar_one_or_none() is not None:
                raise Conflict(f"reader {body.code} is already registered", "reader_exists")
            row = PlateReader(**body.model_dump(), created_at=now, updated_at=now)
            session.add(row)
            await session.flush()
            await self._audit.record(session, context, _entry("lpr.reader.registered", row))
            out = ReaderOut.model_validate(row)
        await self.load()
        return out

    async def update(self, code: str, body: ReaderIn, context: RequestContext) -> ReaderOut:
        """Change a reader's registration (its code stays)."""
        async with self._db.session() as session:
            query = select(PlateReader).where(PlateReader.code == code).with_for_update()
            row = (await session.execute(query)).scalar_one_or_none()
            if row is None:
                raise NotFound("no such reader")
            for name, value in body.model_dump(exclude={"code"}).items():
                setattr(row, name, value)
            row.updated_at = self._clock.now()
            await self._audit.record(session, context, _entry("lpr.reader.updated", row))
            out = ReaderOut.model_validate(row)
        await self.load()
        return out


def _info(row: PlateReader) -> ReaderInfo:
    return ReaderInfo(
        row.id, row.code, row.name, row.kind, row.lat, row.lon, row.heading, row.active
    )


def _entry(action: str, row: PlateReader) -> AuditEntry:
    return AuditEntry(
        action,
        object_type="lpr_reader",
        object_id=row.code,
        details={"kind": row.kind, "active": row.active},
    )
