"""The correlation's timeline writer: a moment's entries wait a little and go in one write."""

from __future__ import annotations

import asyncio

from sqlalchemy import func, select

from watchfloor.app import Watchfloor
from watchfloor.correlation.callouts import CORRELATION
from watchfloor.correlation.timeline import TimelineWriter
from watchfloor.domain.incidents.local import LocalIncident, open_local
from watchfloor.domain.incidents.models import IncidentTimelineEntry


async def _incident(wf: Watchfloor) -> str:
    now = wf.clock.now()
    spec = LocalIncident("SHOTS", 1, 39.74, -104.99, now, now, "Shots fired")
    return await open_local(wf.incidents, spec, CORRELATION)


async def _entries(wf: Watchfloor, incident_id: str) -> int:
    query = select(func.count()).where(
        IncidentTimelineEntry.incident_id == incident_id,
        IncidentTimelineEntry.kind.like("correlation.%"),
    )
    async with wf.db.read_session() as session:
        return int((await session.execute(query)).scalar_one())


async def test_entries_of_one_moment_wait_their_linger_and_go_in_one_write(wf: Watchfloor) -> None:
    incident_id = await _incident(wf)
    writer = TimelineWriter(wf.db, linger_s=0.3)
    running = asyncio.create_task(writer.run())
    try:
        for kind in ("alert_attached", "cameras_cued", "plates_swept", "units_listed"):
            writer.add(incident_id, wf.clock.now(), f"correlation.{kind}", {"n": kind})
            await asyncio.sleep(0.02)
        assert (await _entries(wf, incident_id), writer.writes) == (0, 0)  # still lingering
        async with asyncio.timeout(5):
            while writer.writes == 0:  # noqa: ASYNC110
                await asyncio.sleep(0.02)
    finally:
        running.cancel()
    assert (await _entries(wf, incident_id), writer.writes, writer.written) == (4, 1, 4)


async def test_a_flush_writes_at_once(wf: Watchfloor) -> None:
    incident_id = await _incident(wf)
    writer = TimelineWriter(wf.db, linger_s=60)
    writer.add(incident_id, wf.clock.now(), "correlation.alert_attached", {})
    await writer.flush()
    assert (await _entries(wf, incident_id), writer.writes) == (1, 1)
