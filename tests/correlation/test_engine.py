"""The engine end to end: the real bus, alert desk, incidents and store (SQLite or PostgreSQL)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from tests.correlation.conftest import FEED, raise_alert, report
from watchfloor.app import Watchfloor
from watchfloor.correlation.engine import CorrelationEngine
from watchfloor.domain.incidents.local import EIDO_PREFIX
from watchfloor.domain.incidents.models import IncidentTimelineEntry
from watchfloor.events.alerts import AlertKind, AlertStatus

GUNSHOT: dict[str, Any] = {"details": {"type": "multiple", "rounds": 7}, "priority": 1}


async def _timeline(wf: Watchfloor, incident_id: str) -> dict[str, dict[str, Any]]:
    query = select(IncidentTimelineEntry).where(IncidentTimelineEntry.incident_id == incident_id)
    async with wf.db.read_session() as session:
        rows = (await session.scalars(query.order_by(IncidentTimelineEntry.id))).all()
    return {row.kind: row.details for row in rows}


async def test_a_gunshot_opens_a_local_incident_with_its_context_on_the_timeline(
    wf: Watchfloor, engine: CorrelationEngine
) -> None:
    created = wf.bus.subscribe("incident.created")
    (alert_id,) = await raise_alert(wf, engine, report(wf, **GUNSHOT))
    alert = await wf.alerts.get(alert_id)
    assert alert.incident_id is not None
    assert alert.priority == 1
    (row,) = await wf.incidents.queue()
    assert (row.id, row.priority, row.type) == (alert.incident_id, 1, "Shots Fired")
    assert row.eido_id.startswith(EIDO_PREFIX)
    event = await created.get(timeout=1)
    assert event.payload.incident_id == alert.incident_id
    timeline = await _timeline(wf, alert.incident_id)
    assert timeline["correlation.alert_attached"]["alert_id"] == alert_id
    assert timeline["correlation.cameras_cued"] == {"alert_id": alert_id, "cameras": [], "cued": []}
    assert timeline["correlation.plate_sweep"]["reads"] == 0
    assert timeline["correlation.units_nearby"] == {"alert_id": alert_id, "units": []}


async def test_a_second_vendor_merges_and_a_nearby_alert_attaches(
    wf: Watchfloor, engine: CorrelationEngine
) -> None:
    (first,) = await raise_alert(wf, engine, report(wf, **GUNSHOT))
    second_report = report(wf, source="gunshot-b", ref="b-77", north_m=40, after_s=1, **GUNSHOT)
    (second,) = await raise_alert(wf, engine, second_report)
    camera_alert = report(
        wf, AlertKind.ANALYTICS, source="frigate", ref="review-1", east_m=200, after_s=30
    )
    (analytics,) = await raise_alert(wf, engine, camera_alert)
    kept, duplicate = await wf.alerts.get(first), await wf.alerts.get(second)
    assert duplicate.status is AlertStatus.MERGED
    assert duplicate.merged_into == first
    assert {s.source for s in kept.sources} == {"gunshot-http", "gunshot-b"}
    attached = await wf.alerts.get(analytics)
    assert attached.incident_id == kept.incident_id
    assert len(await wf.incidents.queue()) == 1
    assert engine.executor.failed == 0


async def test_a_single_shot_far_away_opens_its_own_priority_2_incident(
    wf: Watchfloor, engine: CorrelationEngine
) -> None:
    await raise_alert(wf, engine, report(wf, **GUNSHOT))
    single = report(wf, ref="det-2", north_m=3000, details={"type": "single", "rounds": 1})
    (alert_id,) = await raise_alert(wf, engine, single)
    alert = await wf.alerts.get(alert_id)
    assert alert.priority == 2
    rows = {row.id: row for row in await wf.incidents.queue()}
    assert len(rows) == 2
    assert rows[alert.incident_id or ""].priority == 2


async def test_gunshots_at_once_share_one_incident_while_it_is_being_opened(
    wf: Watchfloor, engine: CorrelationEngine
) -> None:
    panic = report(wf, AlertKind.PANIC, source="panic-app", ref="dev-1", east_m=250, priority=1)
    receipts = await wf.alerts.receive([report(wf, **GUNSHOT), panic], FEED)
    await engine.settle()
    shot, button = [await wf.alerts.get(r.alert_id) for r in receipts]
    assert shot.incident_id is not None
    assert button.incident_id == shot.incident_id  # attached to the incident still being opened
    assert len(await wf.incidents.queue()) == 1


async def test_warm_start_remembers_open_alerts_and_incidents(
    wf: Watchfloor, engine: CorrelationEngine
) -> None:
    (first,) = await raise_alert(wf, engine, report(wf, **GUNSHOT))
    await engine.stop()
    restarted = CorrelationEngine(
        wf.settings.correlation, wf.clock, wf.bus, engine.executor.effects, wf.incidents.queue
    )
    await restarted.start()
    try:
        assert first in restarted.memory.alerts
        incident_id = (await wf.alerts.get(first)).incident_id
        assert incident_id in restarted.memory.incidents
        later = report(wf, source="gunshot-b", ref="b-1", north_m=30, after_s=5, **GUNSHOT)
        (second,) = await raise_alert(wf, restarted, later)
        assert (await wf.alerts.get(second)).merged_into == first
    finally:
        await restarted.stop()
