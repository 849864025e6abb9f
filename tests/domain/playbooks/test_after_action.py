"""The after-action timeline: every event, alert, camera view and action on an incident in time
order, from each source; exported as a PDF that says what it covers, who made it and when."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from httpx import AsyncClient

from tests.conftest import START
from tests.domain.playbooks.support import next_event, pdf_text, post_eido
from tests.support.auth import LoggedOn, login_as
from watchfloor.app import Watchfloor
from watchfloor.audit.service import AuditFilter
from watchfloor.core.clock import ManualClock
from watchfloor.core.context import Actor, RequestContext, Role
from watchfloor.domain.cameras.viewing_models import CameraView
from watchfloor.events.alerts import AlertKind, AlertReport

SENSOR = RequestContext(actor=Actor.system("test-sensors"))

EXPECTED = [
    ("note.added", "2026-11-21T13:55:00Z"),
    ("alert.raised", "2026-11-21T13:59:30Z"),
    ("eido.received", "2026-11-21T14:00:00Z"),
    ("incident.created", "2026-11-21T14:00:00Z"),
    ("playbook.started", "2026-11-21T14:00:00Z"),
    ("alert.acknowledged", "2026-11-21T14:00:20Z"),
    ("incident.read", "2026-11-21T14:00:30Z"),
    ("camera.live", "2026-11-21T14:00:40Z"),
    ("camera.playback", "2026-11-21T14:00:50Z"),
    ("playbook.step.completed", "2026-11-21T14:01:00Z"),
    ("playbook.step.lapsed", "2026-11-21T14:02:01Z"),
]


async def _alert(wf: Watchfloor, clock: ManualClock, incident_id: str, operator: LoggedOn) -> str:
    report = AlertReport(
        kind=AlertKind.SENSOR,
        source="test-sensor",
        source_ref="smoke-17",
        occurred_at=START - timedelta(seconds=30),
        title="Smoke detector in the stairwell",
        priority=2,
    )
    (receipt,) = await wf.alerts.receive([report], SENSOR)
    await wf.alerts.attach(receipt.alert_id, incident_id, "test")
    clock.advance(timedelta(seconds=20))
    context = RequestContext(actor=Actor(username=operator.username, role=Role.OPERATOR))
    await wf.alerts.acknowledge(receipt.alert_id, context)
    return receipt.alert_id


async def _view(
    wf: Watchfloor, view_id: str, kind: str, ref: str, at: datetime, action: str
) -> None:
    async with wf.db.session() as session:
        session.add(
            CameraView(
                id=view_id,
                camera_code="CAM-ESPA-1",
                action=action,
                username="operator-x",
                reason_kind=kind,
                reason_ref=ref,
                started_at=at,
                ended_at=at + timedelta(seconds=12),
                duration_s=12.0,
            )
        )


async def _incident_worked(wf: Watchfloor, client: AsyncClient, clock: ManualClock) -> str:
    await wf.start()
    runs = wf.bus.subscribe("playbook.run.started")
    incident_id = await post_eido(wf, client, 41, "SHOTS", 1)
    await next_event(runs, "playbook.run.started")
    operator = await login_as(wf, client, Role.OPERATOR, designator="RT4")
    alert_id = await _alert(wf, clock, incident_id, operator)
    clock.advance(timedelta(seconds=10))
    assert (await client.get(f"/api/incidents/{incident_id}")).status_code == 200
    await _view(wf, "v1", "incident", incident_id, START + timedelta(seconds=40), "live")
    await _view(wf, "v2", "incident", "another", START + timedelta(seconds=45), "live")
    await _view(wf, "v3", "alert", alert_id, START + timedelta(seconds=50), "playback")
    clock.set(START + timedelta(minutes=1))
    done = await client.post(f"/api/incidents/{incident_id}/playbook/steps/assess/complete")
    assert done.status_code == 200, done.text
    clock.set(START + timedelta(seconds=121))
    assert await wf.playbook_runs.lapse_due() == 1  # the cameras step, due at 14:02
    return incident_id


async def test_after_action_lists_every_source_in_time_order(
    wf: Watchfloor, client: AsyncClient, clock: ManualClock
) -> None:
    incident_id = await _incident_worked(wf, client, clock)
    supervisor = await login_as(wf, client, Role.SUPERVISOR)

    response = await client.get(f"/api/incidents/{incident_id}/after-action")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["incident_id"] == incident_id
    entries = body["entries"]
    assert [e["at"] for e in entries] == sorted(e["at"] for e in entries)
    wanted = {kind for kind, _at in EXPECTED}
    assert [(e["kind"], e["at"]) for e in entries if e["kind"] in wanted] == EXPECTED
    by_kind = {e["kind"]: e for e in entries}
    raised = by_kind["alert.raised"]
    assert raised["summary"].startswith("Sensor alert P")  # the desk's severity rules rank it
    assert raised["summary"].endswith(": Smoke detector in the stairwell")
    assert by_kind["playbook.step.completed"]["actor"] == "RT4"
    assert by_kind["playbook.step.completed"]["summary"] == "Step done: Assess the threat"
    assert by_kind["camera.live"]["details"]["view_id"] == "v1"  # not v2, another incident's
    assert by_kind["note.added"]["summary"] == "Note (cad): caller on scene"
    assert "incident.ingested" not in {e["kind"] for e in entries}  # the EIDO entry says it
    audited = await wf.audit.query(AuditFilter(action="incident.after_action"))
    assert [(r.action, r.actor_username, r.object_id) for r in audited] == [
        ("incident.after_action.read", supervisor.username, incident_id)
    ]


async def test_after_action_pdf_shows_the_incident_and_its_entries(
    wf: Watchfloor, client: AsyncClient, clock: ManualClock
) -> None:
    incident_id = await _incident_worked(wf, client, clock)
    supervisor = await login_as(wf, client, Role.SUPERVISOR, designator="RT700")

    response = await client.get(f"/api/incidents/{incident_id}/after-action.pdf")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    text = pdf_text(response.content)
    for shown in (
        "After-action timeline",
        incident_id,
        "SHOTS",
        "P1",
        "Time (UTC)",
        "2026-11-21 14:01:00Z",
        "Step done: Assess the threat",
        "Smoke detector in the stairwell",
        f"Generated 2026-11-21 14:02:01Z by {supervisor.username} (RT700)",
        "Page 1 of 1",
    ):
        assert shown in text, (shown, text)
    exported = await wf.audit.query(AuditFilter(action="incident.after_action.exported"))
    assert len(exported) == 1
    assert exported[0].object_id == incident_id
    assert exported[0].details["sha256"] == hashlib.sha256(response.content).hexdigest()


async def test_after_action_roles_and_unknown_incidents(
    wf: Watchfloor, client: AsyncClient
) -> None:
    await wf.start()
    incident_id = await post_eido(wf, client, 42, "TRAFFIC", 4)
    await login_as(wf, client, Role.OPERATOR)
    assert (await client.get(f"/api/incidents/{incident_id}/after-action")).status_code == 200
    assert (await client.get(f"/api/incidents/{incident_id}/after-action.pdf")).status_code == 403
    await login_as(wf, client, Role.AUDITOR)
    assert (await client.get(f"/api/incidents/{incident_id}/after-action.pdf")).status_code == 200
    await login_as(wf, client, Role.ADMIN)
    assert (await client.get(f"/api/incidents/{incident_id}/after-action")).status_code == 403
    await login_as(wf, client, Role.ANALYST)
    assert (await client.get("/api/incidents/nope/after-action")).status_code == 404
    assert (await client.get("/api/incidents/nope/after-action.pdf")).status_code == 404
