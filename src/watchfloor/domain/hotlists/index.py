"""Filling the matcher from the store: a list's matching entries, streamed into a fresh index."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Integer, String, bindparam, delete, select, text

from watchfloor.db.base import UTCDateTime
from watchfloor.db.engine import Database
from watchfloor.domain.hotlists.imports import ENTRY, STAGED
from watchfloor.domain.hotlists.matcher import HotlistMatcher, ListIndex
from watchfloor.domain.hotlists.models import HotlistImport
from watchfloor.domain.hotlists.schemas import ImportStatus

STREAM_ROWS = 20_000


_ACTIVE_ENTRIES = (
    text(
        "SELECT id, plate, state, expires_at FROM hotlist_entry "
        "WHERE hotlist_id = :hotlist_id AND removed_at IS NULL "
        "AND (expires_at IS NULL OR expires_at > :now)"
    )
    .bindparams(bindparam("hotlist_id", type_=Integer()), bindparam("now", type_=UTCDateTime()))
    .columns(id=BigInteger(), plate=String(), state=String(), expires_at=UTCDateTime())
)


async def build_index(
    db: Database, matcher: HotlistMatcher, hotlist_id: int, now: datetime
) -> ListIndex:
    """A new index of the list's entries that match now (not removed, not expired)."""
    index = matcher.new_list(hotlist_id)
    async with db.read_session() as session:
        connection = await session.connection()
        # A plain-text query streamed in partitions: a third cheaper per row than the ORM's
        # select, flat in memory, and the event loop gets a turn between partitions.
        result = await connection.stream(_ACTIVE_ENTRIES, {"hotlist_id": hotlist_id, "now": now})
        async for partition in result.partitions(STREAM_ROWS):
            for entry_id, plate, state, expires_at in partition:
                index.add(entry_id, plate, state, expires_at)
    return index


async def clear_interrupted(db: Database, now: datetime) -> int:
    """Mark imports left running by a stop as failed and delete their staged rows."""
    async with db.session() as session:
        rows = (
            await session.scalars(
                select(HotlistImport).where(HotlistImport.status == ImportStatus.RUNNING.value)
            )
        ).all()
        for row in rows:
            row.status = ImportStatus.FAILED.value
            row.finished_at = now
            row.message = "interrupted by a stop of Watchfloor; the previous entries stayed"
        for row in rows:
            await session.execute(
                delete(ENTRY).where(
                    ENTRY.c.hotlist_id == row.hotlist_id,
                    ENTRY.c.removed_by == f"{STAGED}{row.id}",
                )
            )
        return len(rows)
