"""Group commit of read batches: while one transaction commits, the batches that arrive meanwhile
queue up and go in the next transaction together.

SQLite has one writer and each transaction writes every index page it touched to the WAL, so a
few large transactions cost much less than many small ones; PostgreSQL runs batches in parallel
on their own connections instead (the group there is always one batch). A batch's caller is
answered only once its transaction has committed, so nothing is acknowledged before it is
durable."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field

from watchfloor.core.events import Event
from watchfloor.db.engine import Database
from watchfloor.domain.lpr.alerts import AlertDraft, PlateAlerts
from watchfloor.domain.lpr.store import ReadRow, ReadStore
from watchfloor.events.lpr import PlateAlertRaised

log = logging.getLogger(__name__)

MAX_GROUP_ROWS = 20_000
AlertEvents = list[Event[PlateAlertRaised]]
Written = list[tuple[AlertDraft, Event[PlateAlertRaised]]]


@dataclass
class _Pending:
    rows: list[ReadRow]
    drafts: list[AlertDraft]
    done: asyncio.Future[AlertEvents] = field(default_factory=asyncio.Future)


class ReadWriter:
    """Writes a batch's reads and alerts durably, grouping concurrent batches on SQLite."""

    def __init__(self, db: Database, store: ReadStore, alerts: PlateAlerts) -> None:
        self._db = db
        self._store = store
        self._alerts = alerts
        self._queue: list[_Pending] = []
        self._drainer: asyncio.Task[None] | None = None
        self.transactions = 0

    async def write(self, rows: list[ReadRow], drafts: list[AlertDraft]) -> AlertEvents:
        """Commit the reads and their alerts; returns the alert events to publish."""
        if self._db.is_postgresql:
            return [event for _draft, event in await self._commit([_Pending(rows, drafts)])]
        pending = _Pending(rows, drafts)
        self._queue.append(pending)
        if self._drainer is None or self._drainer.done():
            self._drainer = asyncio.create_task(self._drain())
        return await asyncio.shield(pending.done)

    async def _drain(self) -> None:
        while self._queue:
            group = self._take()
            try:
                written = await self._commit(group)
            except Exception as error:
                if len(group) == 1:
                    group[0].done.set_exception(error)
                    continue
                # One batch must not fail the others: write each alone, each with its own answer.
                log.warning("group commit of %d batches failed; retrying one by one", len(group))
                for pending in group:
                    await self._alone(pending)
                continue
            for pending in group:
                mine = {id(draft) for draft in pending.drafts}
                pending.done.set_result([e for d, e in written if id(d) in mine])

    def _take(self) -> list[_Pending]:
        group: list[_Pending] = []
        rows = 0
        while self._queue and (not group or rows + len(self._queue[0].rows) <= MAX_GROUP_ROWS):
            pending = self._queue.pop(0)
            group.append(pending)
            rows += len(pending.rows)
        return group

    async def _alone(self, pending: _Pending) -> None:
        try:
            written = await self._commit([pending])
        except Exception as error:
            pending.done.set_exception(error)
            return
        pending.done.set_result([event for _draft, event in written])

    async def _commit(self, group: list[_Pending]) -> Written:
        rows = [row for pending in group for row in pending.rows]
        drafts = [draft for pending in group for draft in pending.drafts]
        async with self._db.session() as session:
            await self._store.write(session, rows)
            written = await self._alerts.write(session, drafts)
        self.transactions += 1
        return written
