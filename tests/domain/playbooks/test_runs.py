"""Runs: a new incident from the CAD starts its playbook; the floor completes and skips steps
(audited, on the timeline, published to the consoles); overdue steps lapse once."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

import orjson
from httpx import AsyncClient

from tests.conftest import START
from tests.domain.incidents.support import report, store
from tests.domain.playbooks.support import next_event, post_eido
from tests.support.auth import login_as
from watchfloor.app import Watchfloor, build
from watchfloor.audit.service import AuditFilter
from watchfloor.core.clock import ManualClock
from watchfloor.core.context import Role
from watchfloor.events.cad import IncidentStatus
from watchfloor.settings import PlaybookSettings, Settings


async def _started_run(wf: Watchfloor, client: AsyncClient, number: int = 11) -> str:
    runs = wf.bus.subscribe("playbook.run.started")
    incident_id = await post_eido(wf, client, number, "SHOTS", 1)
    event = await next_event(runs, "playbook.run.started")
    assert event.payload.incident_id == incident_id
    runs.close()
    return incident_id


async def _console_message(wf: Watchfloor, listener: Any, kind: str) -> dict[str, Any]:
    while True:
        message = orjson.loads(await asyncio.wait_for(listener.outbox.get(), 5))
        if message.get("type") == "playbook" and message["kind"] == kind:
            return dict(message)


async def test_an_eido_incident_starts_its_playbook_and_the_consoles_hear(
    wf: Watchfloor, client: AsyncClient
) -> None:
    await wf.start()
    console = wf.live.attach(None, None).listener
    incident_id = await _started_run(wf, client)

    await login_as(wf, client, Role.OPERATOR)
    shown = await client.get(f"/api/incidents/{incident_id}/playbook")
    assert shown.status_code == 200, shown.text
    run = shown.json()
    assert (run["incident_id"], run["playbook"]) == (incident_id, "shots-fired")
    assert run["started_at"] == "2026-11-21T14:00:00Z"
    first = run["steps"][0]
    assert (first["key"], first["state"], first["due_at"]) == (
        "assess",
        "open",
        "2026-11-21T14:01:00Z",
    )
    assert (first["done_at"], first["done_by"], first["note"]) == (None, None, None)
    assert run["steps"][-1]["due_at"] is None  # the review has no timer
    message = await _console_message(wf, console, "playbook.run.started")
    assert (message["incident_id"], message["run"]) == (incident_id, run)
    detail = (await client.get(f"/api/incidents/{incident_id}")).json()
    assert "playbook.started" in [entry["kind"] for entry in detail["timeline"]]


async def test_incidents_no_playbook_is_for_get_none_until_they_match(
    wf: Watchfloor, client: AsyncClient
) -> None:
    await wf.start()
    runs = wf.bus.subscribe("playbook.run.started")
    traffic = await post_eido(wf, client, 21, "TRAFFIC", 4)
    shots = await post_eido(wf, client, 22, "SHOTS", 1)
    assert (await next_event(runs, "playbook.run.started")).payload.incident_id == shots
    await login_as(wf, client, Role.OPERATOR)
    missing = await client.get(f"/api/incidents/{traffic}/playbook")
    assert missing.status_code == 404, missing.text

    # The CAD upgrades the call: the update starts the playbook now for it.
    upgraded = await post_eido(wf, client, 21, "SHOOTING", 1, at="2026-11-21T13:58:00Z")
    assert upgraded == traffic
    event = await next_event(runs, "playbook.run.started")
    assert (event.payload.incident_id, event.payload.run.playbook) == (traffic, "shots-fired")


async def test_complete_and_skip_record_who_and_when(
    wf: Watchfloor, client: AsyncClient, clock: ManualClock
) -> None:
    await wf.start()
    incident_id = await _started_run(wf, client)
    operator = await login_as(wf, client, Role.OPERATOR, designator="RT3")
    changes = wf.bus.subscribe("playbook.step.*")
    clock.advance(timedelta(seconds=45))
    base = f"/api/incidents/{incident_id}/playbook/steps"

    done = await client.post(f"{base}/assess/complete", json={"note": "three rounds, one victim"})
    assert done.status_code == 200, done.text
    step = done.json()["steps"][0]
    assert (step["state"], step["done_by"], step["done_at"], step["note"]) == (
        "done",
        "RT3",
        "2026-11-21T14:00:45Z",
        "three rounds, one victim",
    )
    no_body = await client.post(f"{base}/coordinate/complete")
    assert no_body.status_code == 200, no_body.text
    skipped = await client.post(f"{base}/plates/skip", json={"reason": "no readers nearby"})
    assert skipped.status_code == 200, skipped.text
    plates = next(s for s in skipped.json()["steps"] if s["key"] == "plates")
    assert (plates["state"], plates["note"]) == ("skipped", "no readers nearby")

    event = await next_event(changes, "playbook.step.completed")
    assert (event.payload.step_key, event.payload.incident_id) == ("assess", incident_id)
    assert event.context is not None
    assert event.context.actor.username == operator.username
    assert (await next_event(changes, "playbook.step.skipped")).payload.step_key == "plates"
    audited = await wf.audit.query(AuditFilter(action="playbook.step", object_id=incident_id))
    assert [(r.action, r.details["step"], r.actor_username) for r in audited] == [
        ("playbook.step.completed", "assess", operator.username),
        ("playbook.step.completed", "coordinate", operator.username),
        ("playbook.step.skipped", "plates", operator.username),
    ]
    detail = (await client.get(f"/api/incidents/{incident_id}")).json()
    entries = [(e["kind"], e["actor"], e["details"].get("step")) for e in detail["timeline"]]
    assert ("playbook.step.completed", "RT3", "assess") in entries
    assert ("playbook.step.skipped", "RT3", "plates") in entries


async def test_closed_steps_unknown_steps_and_bad_input_are_refused(
    wf: Watchfloor, client: AsyncClient
) -> None:
    await wf.start()
    incident_id = await _started_run(wf, client)
    await login_as(wf, client, Role.SUPERVISOR)
    base = f"/api/incidents/{incident_id}/playbook/steps"
    assert (await client.post(f"{base}/assess/complete")).status_code == 200

    again = await client.post(f"{base}/assess/skip", json={"reason": "changed my mind"})
    assert again.status_code == 409, again.text
    assert again.json()["error"]["code"] == "step_closed"
    assert (await client.post(f"{base}/nosuch/complete")).status_code == 404
    assert (
        await client.post("/api/incidents/nope/playbook/steps/assess/complete")
    ).status_code == 404
    cases = [
        (f"{base}/cameras/skip", {}, "/reason"),
        (f"{base}/cameras/skip", {"reason": "no"}, "/reason"),
        (f"{base}/cameras/complete", {"note": "x" * 2001}, "/note"),
        (f"{base}/cameras/complete", {"done_by": "someone else"}, "/done_by"),
        (f"{base}/Bad%20Key/complete", {}, "/key"),
    ]
    for url, body, pointer in cases:
        response = await client.post(url, json=body)
        assert response.status_code == 422, (url, response.text)
        problems = [p["pointer"] for p in response.json()["error"]["problems"]]
        assert pointer in problems, (pointer, response.text)
    run = (await client.get(f"/api/incidents/{incident_id}/playbook")).json()
    assert next(s for s in run["steps"] if s["key"] == "cameras")["state"] == "open"


async def test_only_the_floor_works_steps(wf: Watchfloor, client: AsyncClient) -> None:
    await wf.start()
    incident_id = await _started_run(wf, client)
    base = f"/api/incidents/{incident_id}/playbook"
    for role in (Role.ANALYST, Role.ADMIN, Role.AUDITOR):
        await login_as(wf, client, role)
        assert (await client.post(f"{base}/steps/assess/complete")).status_code == 403
        skip = await client.post(f"{base}/steps/assess/skip", json={"reason": "not mine"})
        assert skip.status_code == 403
    assert (await client.get(base)).status_code == 403  # the auditor reads the after-action
    await login_as(wf, client, Role.ANALYST)
    assert (await client.get(base)).status_code == 200
    assert (await wf.playbook_runs.get(incident_id)).steps[0].state == "open"


async def test_overdue_steps_lapse_once_and_can_still_be_done(
    wf: Watchfloor, client: AsyncClient, clock: ManualClock
) -> None:
    await wf.start()
    incident_id = await _started_run(wf, client)
    await login_as(wf, client, Role.OPERATOR)
    lapses = wf.bus.subscribe("playbook.step.lapsed")
    job = next(j for j in wf.periodic_jobs() if j.name == "playbook-lapses")

    clock.advance(timedelta(seconds=59))
    await job.run_once()
    assert await wf.playbook_runs.lapse_due() == 0
    clock.advance(timedelta(seconds=2))
    await job.run_once()
    event = await next_event(lapses, "playbook.step.lapsed")
    assert (event.payload.step_key, event.payload.run.steps[0].state) == ("assess", "lapsed")
    assert await wf.playbook_runs.lapse_due() == 0  # once only
    base = f"/api/incidents/{incident_id}/playbook/steps"
    assert (await client.post(f"{base}/cameras/complete")).status_code == 200

    clock.advance(timedelta(minutes=5))
    assert await wf.playbook_runs.lapse_due() == 3  # coordinate, plates, escalate; not cameras
    late = await client.post(f"{base}/assess/complete", json={"note": "late"})
    assert late.status_code == 200, late.text
    assess = late.json()["steps"][0]
    assert (assess["state"], assess["lapsed_at"]) == ("done", "2026-11-21T14:01:01Z")
    states = {s["key"]: s["state"] for s in late.json()["steps"]}
    assert states == {
        "assess": "done",
        "cameras": "done",
        "coordinate": "lapsed",
        "plates": "lapsed",
        "escalate": "lapsed",
        "notify": "open",
        "review": "open",
    }
    detail = (await client.get(f"/api/incidents/{incident_id}")).json()
    lapsed = [e for e in detail["timeline"] if e["kind"] == "playbook.step.lapsed"]
    assert (lapsed[0]["actor"], lapsed[0]["details"]["step"]) == ("system:playbooks", "assess")


async def test_steps_of_a_closed_incident_do_not_lapse(
    wf: Watchfloor, client: AsyncClient, clock: ManualClock
) -> None:
    await wf.start()
    incident_id = await _started_run(wf, client)
    closing = report(
        "urn:emergency:uid:incidentid:11:cad.example.gov",
        at=START,
        priority=1,
        status=IncidentStatus.CLOSED,
        type_code="SHOTS",
    )
    await store(wf, closing)
    clock.advance(timedelta(hours=1))
    assert await wf.playbook_runs.lapse_due() == 0
    assert (await wf.playbook_runs.get(incident_id)).steps[0].state == "open"


async def test_open_incidents_get_their_run_at_start(
    wf: Watchfloor, settings: Settings, clock: ManualClock
) -> None:
    (panic,) = await store(
        wf, report("urn:emergency:uid:incidentid:31:cad.example.gov", type_code="PANIC", priority=1)
    )
    (closed,) = await store(
        wf,
        report(
            "urn:emergency:uid:incidentid:32:cad.example.gov",
            type_code="SHOTS",
            status=IncidentStatus.CLOSED,
        ),
    )
    quiet = build(
        settings.model_copy(update={"playbooks": PlaybookSettings(auto_start=False)}),
        clock=clock,
        migrate=False,
    )
    try:
        await quiet.start()
        assert await quiet.playbook_runs.catch_up() == 0
    finally:
        await quiet.stop()

    await wf.start()
    run = await wf.playbook_runs.get(panic.incident_id)
    assert run.playbook == "panic-alarm"
    assert await wf.playbook_runs.catch_up() == 0
    assert await wf.playbook_runs.start_for(panic.incident_id) is None
    assert await wf.playbook_runs.start_for(closed.incident_id) is None
