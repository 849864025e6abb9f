"""Starting imports: an upload, a person's "refresh now", or the schedule; one at a time per list.

A source that has not changed since the list's last successful import is not imported again:
re-reading an old extract would reset the list's refresh time and hide that it is stale (the
NCIC extract stopped arriving). The schedule skips it quietly; "refresh now" answers 409.
"""

from __future__ import annotations

import asyncio
import logging
import os
import uuid
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import select

from watchfloor.audit.service import AuditLog
from watchfloor.core.bus import EventBus
from watchfloor.core.clock import Clock
from watchfloor.core.context import Actor, RequestContext
from watchfloor.core.errors import Conflict, InvalidInput
from watchfloor.db.engine import Database
from watchfloor.domain.hotlists.imports import Importer, ImportJob, Reindex, new_import_row
from watchfloor.domain.hotlists.lists import MANUAL, allowed_source, get_hotlist
from watchfloor.domain.hotlists.models import Hotlist, HotlistImport
from watchfloor.domain.hotlists.schemas import ImportOut, ImportStatus, ImportTrigger
from watchfloor.domain.hotlists.sources import Source, measure_source

log = logging.getLogger(__name__)

SCHEDULER = RequestContext(actor=Actor.system("hotlist-refresh"))

Signature = tuple[int, int] | None  # (size, mtime in ns) of a source file; None when missing


class Refresher:
    """Starts and tracks import tasks, and decides which lists the schedule refreshes."""

    def __init__(
        self,
        db: Database,
        clock: Clock,
        audit: AuditLog,
        bus: EventBus,
        reindex: Reindex,
        source_dir: Path | None = None,
    ) -> None:
        self._db = db
        self._source_dir = source_dir
        self._clock = clock
        self._importer = Importer(db, clock, audit, bus, reindex)
        self._running: dict[int, asyncio.Task[None]] = {}
        self._starting = asyncio.Lock()
        self._seen: dict[int, Signature] = {}  # source signature at the last scheduled look

    async def upload(
        self, hotlist_id: int, body: bytes, context: RequestContext, *, wait: bool
    ) -> ImportOut:
        """Import an uploaded extract (in the list's format)."""
        hotlist = await self._importable(hotlist_id)
        source = Source(label="upload", body=body)
        return await self._start(hotlist, source, ImportTrigger.UPLOAD, context, wait=wait)

    async def refresh_now(
        self, hotlist_id: int, context: RequestContext, *, wait: bool
    ) -> ImportOut:
        """Import the list's source now, unless it is the extract imported last time."""
        hotlist = await self._importable(hotlist_id)
        if not hotlist.source_uri:
            raise Conflict("the list has no source to refresh from", "no_source")
        path = allowed_source(hotlist.source_uri, self._source_dir)
        source = Source(label=hotlist.source_uri, path=path)
        if await self._unchanged(hotlist.id, source):
            raise Conflict("the source has not changed since the last import", "source_unchanged")
        return await self._start(hotlist, source, ImportTrigger.MANUAL, context, wait=wait)

    async def refresh_due(self) -> None:
        """Refresh, one after another, each list whose interval has passed and whose source
        holds a new extract."""
        now = self._clock.now()
        query = select(Hotlist).where(
            Hotlist.active,
            Hotlist.source_uri.is_not(None),
            Hotlist.refresh_every_minutes.is_not(None),
        )
        async with self._db.read_session() as session:
            due = [row for row in await session.scalars(query) if _is_due(row, now)]
        for hotlist in due:
            if hotlist.id in self._running or hotlist.source_uri is None:
                continue
            try:
                path = allowed_source(hotlist.source_uri, self._source_dir)
            except InvalidInput as error:
                log.warning("hotlist %s: %s", hotlist.name, error.problems[0].reason)
                continue
            source = Source(label=hotlist.source_uri, path=path)
            signature = await asyncio.to_thread(_signature, source)
            if hotlist.id in self._seen and self._seen[hotlist.id] == signature:
                continue  # looked at this very file before: unchanged, or it failed already
            self._seen[hotlist.id] = signature
            if signature is not None and await self._unchanged(hotlist.id, source):
                continue
            await self._start(hotlist, source, ImportTrigger.SCHEDULE, SCHEDULER, wait=True)

    async def wait(self) -> None:
        """Wait for every running import."""
        while self._running:
            await asyncio.gather(*self._running.values(), return_exceptions=True)

    async def cancel(self) -> None:
        """Cancel every running import."""
        for task in list(self._running.values()):
            task.cancel()
        await asyncio.gather(*self._running.values(), return_exceptions=True)

    async def _importable(self, hotlist_id: int) -> Hotlist:
        async with self._db.read_session() as session:
            hotlist = await get_hotlist(session, hotlist_id)
        if not hotlist.active:
            raise Conflict("the list is deactivated", "inactive")
        if hotlist.source_format == MANUAL:
            raise Conflict("the list takes manual entries only", "manual_only")
        return hotlist

    async def _unchanged(self, hotlist_id: int, source: Source) -> bool:
        try:
            measured = await asyncio.to_thread(measure_source, source)
        except OSError:
            return False  # the import itself will fail and say why
        query = (
            select(HotlistImport.source_sha256)
            .where(
                HotlistImport.hotlist_id == hotlist_id,
                HotlistImport.status == ImportStatus.SUCCEEDED.value,
            )
            .order_by(HotlistImport.finished_at.desc())
            .limit(1)
        )
        async with self._db.read_session() as session:
            last = await session.scalar(query)
        return last == measured.sha256

    async def _start(
        self,
        hotlist: Hotlist,
        source: Source,
        trigger: ImportTrigger,
        context: RequestContext,
        *,
        wait: bool,
    ) -> ImportOut:
        async with self._starting:
            if hotlist.id in self._running:
                raise Conflict("an import of this list is running", "import_running")
            job = ImportJob(
                import_id=str(uuid.uuid4()),
                hotlist_id=hotlist.id,
                hotlist_name=hotlist.name,
                source_format=hotlist.source_format,
                default_reason=hotlist.default_reason,
                source=source,
                trigger=trigger,
                context=context,
            )
            async with self._db.session() as session:
                row = await get_hotlist(session, hotlist.id, for_update=True)
                session.add(new_import_row(job, self._clock.now()))
                row.last_import_id = job.import_id
            task = asyncio.create_task(self._run(job), name=f"hotlist-import-{hotlist.id}")
            self._running[hotlist.id] = task
        if wait:
            await asyncio.shield(task)  # a caller that goes away does not stop the import
        async with self._db.read_session() as session:
            stored = await session.get(HotlistImport, job.import_id)
            if stored is None:
                raise Conflict("the import's row is gone", "import_gone")
            return ImportOut.of(stored)

    async def _run(self, job: ImportJob) -> None:
        try:
            await self._importer.run(job)
        except Exception:
            # The swap is committed; only the matcher rebuild or the event failed. The next
            # load() rebuilds the matcher from the store.
            log.exception("hotlist import %s: after the swap", job.import_id)
        finally:
            self._running.pop(job.hotlist_id, None)


def _is_due(hotlist: Hotlist, now: datetime) -> bool:
    if hotlist.refresh_every_minutes is None:
        return False
    if hotlist.last_refreshed_at is None:
        return True
    return now - hotlist.last_refreshed_at >= timedelta(minutes=hotlist.refresh_every_minutes)


def _signature(source: Source) -> Signature:
    if source.path is None:
        return None
    try:
        status = os.stat(source.path)
    except OSError:
        return None
    return (status.st_size, status.st_mtime_ns)
