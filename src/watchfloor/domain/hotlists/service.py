"""Hotlists: lists, imports and scheduled refresh, manual entries, staleness, and the matcher
kept in step with the store."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import or_, select

from watchfloor.audit.service import AuditEntry, AuditLog
from watchfloor.core.bus import EventBus
from watchfloor.core.clock import Clock
from watchfloor.core.context import RequestContext
from watchfloor.core.errors import Conflict, NotFound
from watchfloor.db.engine import Database
from watchfloor.domain.hotlists import lists, manual
from watchfloor.domain.hotlists.imports import STAGED
from watchfloor.domain.hotlists.index import build_index, clear_interrupted
from watchfloor.domain.hotlists.matcher import HotlistMatcher
from watchfloor.domain.hotlists.models import Hotlist, HotlistEntry, HotlistImport
from watchfloor.domain.hotlists.refresh import Refresher
from watchfloor.domain.hotlists.schemas import (
    EntryOut,
    HotlistIn,
    HotlistOut,
    ImportOut,
    ManualEntryIn,
)
from watchfloor.events.lpr import normalize_plate
from watchfloor.settings import LprSettings

MAX_ENTRIES_PAGE = 500


@dataclass(frozen=True)
class EntryFacts:
    """What an alert copies from a hotlist entry at the moment of the hit."""

    entry_id: int
    hotlist_id: int
    hotlist_name: str
    stale: bool
    reason_code: str
    plate: str
    state: str | None = None
    plate_type: str | None = None
    list_code: str | None = None
    make: str | None = None
    model: str | None = None
    colour: str | None = None
    vehicle_year: int | None = None
    description: str | None = None
    nic: str | None = None
    ori: str | None = None
    oca: str | None = None
    entered_at: datetime | None = None
    expires_at: datetime | None = None
    entered_by: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


class HotlistService:
    """Owns the hotlist tables and keeps the matcher in step with them."""

    def __init__(
        self,
        db: Database,
        clock: Clock,
        audit: AuditLog,
        bus: EventBus,
        settings: LprSettings,
        matcher: HotlistMatcher,
    ) -> None:
        self._db = db
        self._clock = clock
        self._audit = audit
        self._bus = bus
        self._settings = settings
        self.matcher = matcher
        matcher.bind_clock(clock)  # expiry is judged by the same clock as everything else
        # One lock per list: a reindex and a manual change never interleave (no lost entry).
        self._locks: defaultdict[int, asyncio.Lock] = defaultdict(asyncio.Lock)
        self._refresher = Refresher(
            db, clock, audit, bus, self._reindex, settings.hotlist_source_dir
        )

    async def load(self) -> None:
        """Build the matcher from the stored, active, unexpired entries (at start)."""
        await clear_interrupted(self._db, self._clock.now())
        async with self._db.read_session() as session:
            ids = list(await session.scalars(select(Hotlist.id).where(Hotlist.active)))
        for hotlist_id in ids:
            await self._reindex(hotlist_id)

    async def refresh_due(self) -> None:
        """Scheduled job: refresh every list whose refresh interval has passed; sweep expired
        manual entries out of the matcher."""
        swept = self.matcher.sweep_expired()
        if swept:
            await self._recount_lists_of(swept)
        await self._refresher.refresh_due()

    async def entries(self, entry_ids: list[int]) -> dict[int, EntryFacts]:
        """The facts of these entries (with their list's name and staleness now)."""
        if not entry_ids:
            return {}
        now = self._clock.now()
        query = (
            select(HotlistEntry, Hotlist)
            .join(Hotlist, Hotlist.id == HotlistEntry.hotlist_id)
            .where(HotlistEntry.id.in_(entry_ids))
        )
        async with self._db.read_session() as session:
            rows = (await session.execute(query)).all()
        return {entry.id: _facts(entry, hotlist, now) for entry, hotlist in rows}

    # --- lists

    async def create_list(self, body: HotlistIn, context: RequestContext) -> HotlistOut:
        """A new list (audited); 409 when the name is taken."""
        lists.check_new_list(body, self._settings.hotlist_source_dir)
        now = self._clock.now()
        async with self._db.session() as session:
            taken = await session.scalar(select(Hotlist.id).where(Hotlist.name == body.name))
            if taken is not None:
                raise Conflict("a list of that name exists", "name_taken")
            row = Hotlist(
                **body.model_dump(),
                active=True,
                entry_count=0,
                created_at=now,
                created_by=context.actor.username,
            )
            session.add(row)
            await session.flush()
            details = body.model_dump(mode="json")
            await self._audit.record(session, context, _list_audit("hotlist.created", row, details))
            [out] = await lists.statuses(session, [row], now)
        return out

    async def all_lists(self) -> list[HotlistOut]:
        """Every list with its status, active ones first, by name."""
        async with self._db.read_session() as session:
            rows = list(
                await session.scalars(select(Hotlist).order_by(Hotlist.active.desc(), Hotlist.name))
            )
            return await lists.statuses(session, rows, self._clock.now())

    async def get_list(self, hotlist_id: int) -> HotlistOut:
        """One list with its status."""
        async with self._db.read_session() as session:
            row = await lists.get_hotlist(session, hotlist_id)
            [out] = await lists.statuses(session, [row], self._clock.now())
        return out

    async def deactivate(self, hotlist_id: int, reason: str, context: RequestContext) -> HotlistOut:
        """Stop matching a list (audited with the reason); its rows stay."""
        async with self._locks[hotlist_id]:
            async with self._db.session() as session:
                row = await lists.get_hotlist(session, hotlist_id, for_update=True)
                if not row.active:
                    raise Conflict("the list is already deactivated", "inactive")
                row.active = False
                entry = _list_audit("hotlist.deactivated", row, {"reason": reason})
                await self._audit.record(session, context, entry)
                [out] = await lists.statuses(session, [row], self._clock.now())
            self.matcher.drop_list(hotlist_id)
        return out

    # --- imports

    async def upload(
        self, hotlist_id: int, body: bytes, context: RequestContext, *, wait: bool = False
    ) -> ImportOut:
        """Import an uploaded extract into the list (progress on the returned import row)."""
        return await self._refresher.upload(hotlist_id, body, context, wait=wait)

    async def refresh_now(
        self, hotlist_id: int, context: RequestContext, *, wait: bool = False
    ) -> ImportOut:
        """Import the list's source now (409 source_unchanged when it is the last one)."""
        return await self._refresher.refresh_now(hotlist_id, context, wait=wait)

    async def imports(self, hotlist_id: int, limit: int = 50) -> list[ImportOut]:
        """The list's imports, newest first."""
        query = (
            select(HotlistImport)
            .where(HotlistImport.hotlist_id == hotlist_id)
            .order_by(HotlistImport.started_at.desc(), HotlistImport.id)
            .limit(limit)
        )
        async with self._db.read_session() as session:
            await lists.get_hotlist(session, hotlist_id)
            return [ImportOut.of(row) for row in await session.scalars(query)]

    async def import_status(self, hotlist_id: int, import_id: str) -> ImportOut:
        """One import with its progress."""
        async with self._db.read_session() as session:
            row = await session.get(HotlistImport, import_id)
            if row is None or row.hotlist_id != hotlist_id:
                raise NotFound("no such import of this list")
            return ImportOut.of(row)

    async def wait_imports(self) -> None:
        """Wait until no import is running (tests, orderly stop)."""
        await self._refresher.wait()

    async def close(self) -> None:
        """Cancel running imports (their rows are cleared at the next load)."""
        await self._refresher.cancel()

    # --- entries

    async def add_entry(
        self, hotlist_id: int, body: ManualEntryIn, context: RequestContext
    ) -> EntryOut:
        """A manual entry on a local list (audited with its reason); it matches at once."""
        now = self._clock.now()
        async with self._locks[hotlist_id]:
            async with self._db.session() as session:
                hotlist = await lists.get_hotlist(session, hotlist_id, for_update=True)
                manual.check_takes_manual(hotlist)
                row = await manual.add_manual(session, self._audit, hotlist, body, context, now)
                hotlist.entry_count = await lists.count_active(session, hotlist_id, now)
            self.matcher.add(hotlist_id, row.id, row.plate, row.state, row.expires_at)
        return EntryOut.of(row)

    async def remove_entry(
        self, hotlist_id: int, entry_id: int, reason: str, context: RequestContext
    ) -> EntryOut:
        """Mark a manual entry removed (audited with the reason); it stops matching at once."""
        now = self._clock.now()
        async with self._locks[hotlist_id]:
            async with self._db.session() as session:
                hotlist = await lists.get_hotlist(session, hotlist_id, for_update=True)
                row = await manual.remove_manual(
                    session, self._audit, hotlist, entry_id, reason, context, now
                )
                hotlist.entry_count = await lists.count_active(session, hotlist_id, now)
            self.matcher.remove(entry_id)
        return EntryOut.of(row)

    async def list_entries(
        self,
        hotlist_id: int,
        context: RequestContext,
        *,
        plate: str | None = None,
        after_id: int = 0,
        limit: int = 100,
        include_removed: bool = False,
    ) -> list[EntryOut]:
        """A page of a list's entries, by id (an audited read: entries are CJI)."""
        query = (
            select(HotlistEntry)
            .where(HotlistEntry.hotlist_id == hotlist_id, HotlistEntry.id > after_id)
            .order_by(HotlistEntry.id)
            .limit(min(max(limit, 1), MAX_ENTRIES_PAGE))
        )
        if plate:
            query = query.where(HotlistEntry.plate == normalize_plate(plate))
        if include_removed:
            query = query.where(
                or_(HotlistEntry.removed_by.is_(None), ~HotlistEntry.removed_by.startswith(STAGED))
            )
        else:
            query = query.where(HotlistEntry.removed_at.is_(None))
        async with self._db.session() as session:
            hotlist = await lists.get_hotlist(session, hotlist_id)
            rows = [EntryOut.of(row) for row in await session.scalars(query)]
            details = {"plate": plate, "after_id": after_id, "returned": len(rows)}
            await self._audit.record(
                session, context, _list_audit("hotlist.entries.read", hotlist, details)
            )
        return rows

    # --- internals

    async def _reindex(self, hotlist_id: int) -> int:
        """Rebuild a list's matcher index from the store (or drop it when inactive)."""
        async with self._locks[hotlist_id]:
            async with self._db.read_session() as session:
                active = await session.scalar(
                    select(Hotlist.active).where(Hotlist.id == hotlist_id)
                )
            if not active:
                self.matcher.drop_list(hotlist_id)
                return 0
            index = await build_index(self._db, self.matcher, hotlist_id, self._clock.now())
            self.matcher.install(index)
            return index.live

    async def _recount_lists_of(self, entry_ids: list[int]) -> None:
        now = self._clock.now()
        async with self._db.session() as session:
            hotlist_ids: set[int] = set()
            for start in range(0, len(entry_ids), 1000):
                chunk = entry_ids[start : start + 1000]
                query = select(HotlistEntry.hotlist_id).where(HotlistEntry.id.in_(chunk))
                hotlist_ids.update(await session.scalars(query.distinct()))
            for hotlist_id in hotlist_ids:
                hotlist = await session.get(Hotlist, hotlist_id)
                if hotlist is not None:
                    hotlist.entry_count = await lists.count_active(session, hotlist_id, now)


def _facts(entry: HotlistEntry, hotlist: Hotlist, now: datetime) -> EntryFacts:
    # A manual entry was reviewed by a person when entered and expires on its own: never stale.
    stale = entry.manual_reason is None and lists.is_stale(hotlist, now)
    extra = {
        name: value
        for name, value in (
            ("style", entry.style),
            ("case_number", entry.case_number),
            ("manual_reason", entry.manual_reason),
            ("removed_at", entry.removed_at.isoformat() if entry.removed_at else None),
        )
        if value is not None
    }
    return EntryFacts(
        entry_id=entry.id,
        hotlist_id=hotlist.id,
        hotlist_name=hotlist.name,
        stale=stale,
        reason_code=entry.reason_code,
        plate=entry.plate,
        state=entry.state,
        plate_type=entry.plate_type,
        list_code=entry.list_code,
        make=entry.make,
        model=entry.model,
        colour=entry.colour,
        vehicle_year=entry.vehicle_year,
        description=entry.description,
        nic=entry.nic,
        ori=entry.ori,
        oca=entry.oca,
        entered_at=entry.entered_at,
        expires_at=entry.expires_at,
        entered_by=entry.entered_by,
        extra=extra,
    )


def _list_audit(action: str, hotlist: Hotlist, details: dict[str, Any]) -> AuditEntry:
    return AuditEntry(
        action,
        object_type="hotlist",
        object_id=str(hotlist.id),
        reason=details.get("reason"),
        details={"name": hotlist.name, **details},
    )
