"""After-hours callouts end to end: a gunshot on a Saturday mails the on-call supervisors through
a real SMTP server (aiosmtpd); a refused message is retried; all of it audited and on the
incident's timeline."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, text

from tests.correlation.conftest import raise_alert, report
from tests.support.smtp import SmtpServer
from watchfloor.app import Watchfloor
from watchfloor.core.clock import ManualClock
from watchfloor.correlation.engine import CorrelationEngine
from watchfloor.domain.incidents.models import IncidentTimelineEntry
from watchfloor.settings import Settings, load_settings

ON_CALL = [
    {"name": "Sgt. Virtanen", "email": "virtanen@example.test"},
    {"name": "Lt. Korhonen", "email": "korhonen@example.test"},
]
SHOTS: dict[str, Any] = {
    "details": {"type": "automatic", "rounds": 12},
    "address": "Mannerheimintie 1",
}


@pytest.fixture
def settings(database_url: str, tmp_path: Path, smtp_server: SmtpServer) -> Settings:
    return load_settings(
        data_dir=tmp_path / "data",
        database_url=database_url,
        video={"smtp_url": smtp_server.url},
        correlation={"on_call": ON_CALL, "timezone": "Europe/Helsinki", "callout_retry_s": 60},
    )


async def _audit_actions(wf: Watchfloor) -> list[str]:
    query = text(
        "SELECT action FROM audit_record WHERE action LIKE 'correlation.callout%' ORDER BY seq"
    )
    async with wf.db.read_session() as session:
        return list((await session.execute(query)).scalars())


async def _timeline_kinds(wf: Watchfloor, incident_id: str) -> list[str]:
    query = select(IncidentTimelineEntry.kind).where(
        IncidentTimelineEntry.incident_id == incident_id
    )
    async with wf.db.read_session() as session:
        return list((await session.scalars(query)).all())


async def test_a_gunshot_after_hours_mails_every_on_call_supervisor_once(
    wf: Watchfloor,
    engine: CorrelationEngine,
    smtp_server: SmtpServer,
) -> None:
    (alert_id,) = await raise_alert(wf, engine, report(wf, **SHOTS))  # Saturday 16:00 in Helsinki
    mails = await smtp_server.wait_for(2)
    assert sorted(m.recipients[0] for m in mails) == [
        "korhonen@example.test",
        "virtanen@example.test",
    ]
    incident_id = (await wf.alerts.get(alert_id)).incident_id
    assert incident_id is not None
    assert mails[0].subject == "Watchfloor callout: P1 gunshot: gunshot at the test point"
    assert "Address: Mannerheimintie 1" in mails[0].body
    assert f"Incident: {incident_id}" in mails[0].body
    callouts = await wf.callouts.list()
    assert {(c.status, c.attempts, c.incident_id) for c in callouts} == {("sent", 1, incident_id)}
    assert await _audit_actions(wf) == ["correlation.callout.created"] + 2 * [
        "correlation.callout.sent"
    ]
    assert (await _timeline_kinds(wf, incident_id)).count("correlation.callout_sent") == 2
    await raise_alert(wf, engine, report(wf, source="vendor-b", ref="b-1", north_m=200, **SHOTS))
    assert len(smtp_server.received) == 2  # the second shot joined the same incident: no new mail


async def test_a_refused_callout_is_retried_until_sent(
    wf: Watchfloor,
    engine: CorrelationEngine,
    smtp_server: SmtpServer,
    clock: ManualClock,
) -> None:
    smtp_server.refuse = True
    await raise_alert(wf, engine, report(wf, **SHOTS))
    failed = await wf.callouts.list()
    assert {(c.status, c.attempts) for c in failed} == {("failed", 1)}
    assert all("451" in (c.last_error or "") for c in failed)
    smtp_server.refuse = False
    assert await wf.callouts.retry_due() == 0  # not yet: 60 s between attempts
    clock.advance(timedelta(seconds=61))
    assert await wf.callouts.retry_due() == 2
    assert {(c.status, c.attempts) for c in await wf.callouts.list()} == {("sent", 2)}
    assert len(await smtp_server.wait_for(2)) == 2
    assert "correlation.callout.failed" in await _audit_actions(wf)


async def test_no_callout_during_operating_hours(
    wf: Watchfloor,
    engine: CorrelationEngine,
    smtp_server: SmtpServer,
    clock: ManualClock,
) -> None:
    clock.advance(timedelta(days=2))  # Monday 16:00 in Helsinki: staffed
    await raise_alert(wf, engine, report(wf, **SHOTS))
    assert await wf.callouts.list() == []
    assert smtp_server.received == []
