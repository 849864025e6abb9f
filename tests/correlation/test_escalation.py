"""Escalation end to end: an unacknowledged P1 alert goes to the supervisor on duty after 60 s
(ManualClock), or to the on-call list by e-mail when no supervisor is logged on."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

import pytest
from httpx import AsyncClient

from tests.correlation.conftest import FEED, raise_alert, report
from tests.support.auth import login_as
from tests.support.smtp import SmtpServer
from watchfloor.app import Watchfloor
from watchfloor.core.clock import ManualClock
from watchfloor.core.context import Role
from watchfloor.correlation.engine import CorrelationEngine
from watchfloor.events.alerts import AlertKind, AlertReport
from watchfloor.settings import Settings, load_settings

ON_CALL = [{"name": "Sgt. Virtanen", "email": "virtanen@example.test"}]


@pytest.fixture
def settings(database_url: str, tmp_path: Path, smtp_server: SmtpServer) -> Settings:
    return load_settings(
        data_dir=tmp_path / "data",
        database_url=database_url,
        video={"smtp_url": smtp_server.url},
        # staffed all week, so no after-hours callout gets in the way
        correlation={
            "on_call": ON_CALL,
            "hours": {d: "00:00-23:59" for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")},
        },
    )


def _panic(wf: Watchfloor) -> AlertReport:
    return report(wf, AlertKind.PANIC, source="panic-app", ref="dev-9", priority=1)


async def test_an_unacknowledged_p1_escalates_to_the_supervisor_on_duty(
    wf: Watchfloor,
    engine: CorrelationEngine,
    client: AsyncClient,
    clock: ManualClock,
    smtp_server: SmtpServer,
) -> None:
    supervisor = await login_as(wf, client, Role.SUPERVISOR)
    await login_as(wf, client, Role.OPERATOR)
    (alert_id,) = await raise_alert(wf, engine, _panic(wf))
    clock.advance(timedelta(seconds=59))
    await engine.tick()
    await engine.settle()
    assert (await wf.alerts.get(alert_id)).escalated_at is None
    clock.advance(timedelta(seconds=2))
    await engine.tick()
    await engine.settle()
    alert = await wf.alerts.get(alert_id)
    assert alert.escalated_at == clock.now()
    assert alert.escalated_to == [supervisor.username]
    assert smtp_server.received == []  # the supervisor on duty sees it on the console
    await engine.tick()
    await engine.settle()
    assert engine.executor.applied >= 1
    assert (await wf.alerts.get(alert_id)).escalated_at == clock.now()  # once


async def test_an_acknowledged_alert_does_not_escalate(
    wf: Watchfloor,
    engine: CorrelationEngine,
    client: AsyncClient,
    clock: ManualClock,
) -> None:
    operator = await login_as(wf, client, Role.OPERATOR)
    (alert_id,) = await raise_alert(wf, engine, _panic(wf))
    response = await client.post(f"/api/alerts/{alert_id}/acknowledge")
    assert response.status_code == 200, response.text
    await engine.settle()
    clock.advance(timedelta(minutes=5))
    await engine.tick()
    await engine.settle()
    alert = await wf.alerts.get(alert_id)
    assert alert.acknowledged_by == operator.username
    assert alert.escalated_at is None


async def test_with_no_supervisor_on_duty_the_on_call_list_is_mailed(
    wf: Watchfloor,
    engine: CorrelationEngine,
    client: AsyncClient,
    clock: ManualClock,
    smtp_server: SmtpServer,
) -> None:
    supervisor = await login_as(wf, client, Role.SUPERVISOR)
    clock.advance(timedelta(minutes=31))  # the supervisor's session has gone idle
    (alert_id,) = await raise_alert(wf, engine, _panic(wf))
    clock.advance(timedelta(seconds=61))
    await engine.tick()
    await engine.settle()
    alert = await wf.alerts.get(alert_id)
    assert alert.escalated_to == ["Sgt. Virtanen"]
    assert supervisor.username not in alert.escalated_to
    (mail,) = await smtp_server.wait_for(1)
    assert mail.recipients == ["virtanen@example.test"]
    assert "unacknowledged for 61 s" in mail.body


async def test_a_wave_of_escalations_does_not_hold_up_a_new_alert(
    wf: Watchfloor,
    engine: CorrelationEngine,
    client: AsyncClient,
    clock: ManualClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    await login_as(wf, client, Role.SUPERVISOR)
    panics = [
        report(
            wf, AlertKind.PANIC, source="panic-app", ref=f"dev-{n}", priority=1, north_m=n * 3000
        )
        for n in range(1, 7)
    ]
    waiting = await raise_alert(wf, engine, *panics)
    desk = engine.executor.effects.desk
    escalate, held = desk.escalate, asyncio.Event()

    async def slow_escalate(alert_id: str, to: list[str], reason: str) -> None:
        await held.wait()  # a slow mail server or store, for as long as the test says
        await escalate(alert_id, to, reason)

    monkeypatch.setattr(desk, "escalate", slow_escalate)
    clock.advance(timedelta(seconds=61))
    await engine.tick()  # six escalations queued, more than there are workers
    (shot,) = await wf.alerts.receive([report(wf, ref="det-new", east_m=9000)], FEED)
    async with asyncio.timeout(10):
        while (await wf.alerts.get(shot.alert_id)).incident_id is None:  # noqa: ASYNC110
            await asyncio.sleep(0.02)
    assert [(await wf.alerts.get(a)).escalated_at for a in waiting] == [None] * 6
    held.set()
    await engine.settle()
    assert [(await wf.alerts.get(a)).escalated_at for a in waiting] == [clock.now()] * 6
