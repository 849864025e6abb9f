"""Settling: which alerts and incidents the executor is still changing, and the packets the
context keeper then wants (none for an alert that went into an incident)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any

from tests.correlation.conftest import raise_alert, report
from watchfloor.app import Watchfloor
from watchfloor.core.events import Event
from watchfloor.correlation.actions import (
    Action,
    Attach,
    CueCameras,
    Merge,
    OpenIncident,
    SetPriority,
)
from watchfloor.correlation.engine import CorrelationEngine
from watchfloor.correlation.settling import Settling, changed_by, desk_steps
from watchfloor.domain.context.keeper import ContextKeeper
from watchfloor.domain.incidents.local import LocalIncident
from watchfloor.events.alerts import AlertKind


def test_the_desk_actions_name_what_they_change_and_looks_around_nothing() -> None:
    actions: list[Action] = [
        SetPriority("A1", 1),
        Merge("A0", "A2", distance_m=5.0),
        Attach("A3", "I1", rule="incident_link", distance_m=10.0),
        CueCameras("A1", 60.0, 24.0),
    ]
    assert changed_by(actions) == {"A1", "A0", "A2", "A3", "I1"}
    assert changed_by([CueCameras("A1", 60.0, 24.0)]) == set()


def test_a_new_priority_goes_with_the_attach_of_its_alert() -> None:
    spec = LocalIncident("GUNSHOT", 1, 39.7, -104.9, datetime.now(UTC), datetime.now(UTC))
    raised, opened = SetPriority("A1", 2), OpenIncident("A1", spec)
    attach = Attach("A3", "I1", rule="incident_link", distance_m=10.0)
    alone, merge = SetPriority("A2", 3), Merge("A0", "A4", distance_m=5.0)
    cue = CueCameras("A1", 60.0, 24.0)
    assert desk_steps([raised, cue, opened]) == [(opened, raised)]
    assert desk_steps([SetPriority("A3", 1), merge, attach, alone]) == [
        (merge, None),
        (attach, SetPriority("A3", 1)),
        (alone, None),  # no attach of A2 in the job: a write of its own
    ]
    assert desk_steps([cue]) == []


async def test_a_wait_ends_when_every_change_of_the_id_is_applied() -> None:
    settling = Settling()
    first, second = settling.begin({"A1", "I1"}), settling.begin({"A1"})
    waiting = asyncio.create_task(settling.wait("A1", limit_s=5))
    await asyncio.sleep(0.01)
    first.set_result(None)
    await asyncio.sleep(0.01)
    assert not waiting.done()
    assert settling.busy("A1")
    second.set_result(None)
    await asyncio.wait_for(waiting, 1)
    await asyncio.sleep(0)
    assert not settling.busy("A1")
    assert not settling.busy("I1")
    await asyncio.wait_for(settling.wait("I1", limit_s=5), 1)  # nothing left: at once


async def test_a_pending_incident_hands_its_changes_to_its_real_id_and_waits_are_bounded() -> None:
    settling = Settling()
    change = settling.begin({"A1", "pending:1"})
    settling.alias("pending:1", "I9")
    assert settling.busy("I9")
    began = asyncio.get_running_loop().time()
    await settling.wait("I9", limit_s=0.05)  # never applied: the wait gives up at its limit
    assert asyncio.get_running_loop().time() - began < 1
    change.set_result(None)
    await asyncio.sleep(0)
    assert not settling.busy("I9")
    assert not settling.busy("pending:1")


async def test_an_alert_attached_by_correlation_wants_no_packet_of_its_own(
    wf: Watchfloor, engine: CorrelationEngine
) -> None:
    (gunshot,) = await raise_alert(wf, engine, report(wf))
    (sensor,) = await raise_alert(
        wf, engine, report(wf, AlertKind.SENSOR, source="sensor-mqtt", ref="s-1", north_m=3000)
    )

    assert (await wf.alerts.get(gunshot)).incident_id is not None
    assert await engine.packet_wanted("alert", gunshot) is False
    assert (await wf.alerts.get(sensor)).incident_id is None
    assert await engine.packet_wanted("alert", sensor) is True
    assert await engine.packet_wanted("incident", "any") is True


async def test_a_gunshot_gets_one_incident_packet_with_its_alert_and_none_of_its_own(
    wf: Watchfloor, engine: CorrelationEngine
) -> None:
    keeper = ContextKeeper(
        wf.context_keeper._assembler,  # the app's own assembler, kept by a keeper we watch
        wf.bus,
        wf.clock,
        settle=engine.packet_wanted,
    )
    packets = wf.bus.subscribe("context.packet.assembled")
    running = asyncio.create_task(keeper.run())
    await asyncio.sleep(0)
    try:
        (alert_id,) = await raise_alert(wf, engine, report(wf))
        first = await packets.get(timeout=5)
        await asyncio.sleep(0.2)  # anything else it was going to send
        later = await _drain(packets)
    finally:
        running.cancel()
        await asyncio.gather(running, return_exceptions=True)
    incident_id = (await wf.alerts.get(alert_id)).incident_id
    subject = first.payload.subject
    assert (subject.type, subject.id) == ("incident", incident_id)
    assert [a.alert_id for a in first.payload.packet.alerts] == [alert_id]
    assert all(e.payload.subject.type == "incident" for e in later)


async def _drain(subscription: Any) -> list[Event[Any]]:
    found: list[Event[Any]] = []
    while True:
        try:
            found.append(await subscription.get(timeout=0.05))
        except TimeoutError:
            return found
