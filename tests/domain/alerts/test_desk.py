"""AlertDesk: reports merge by (source, source_ref), duplicates change nothing, operators'
and rules' actions are audited and published only after they are stored."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from pydantic_core import PydanticSerializationError

from tests.domain.alerts.support import FEED, OPERATOR, gunshot
from watchfloor.app import Watchfloor
from watchfloor.audit.service import AuditFilter
from watchfloor.core.clock import ManualClock
from watchfloor.core.errors import Conflict, InvalidInput, NotFound
from watchfloor.core.events import Event
from watchfloor.events.alerts import AlertKind, AlertReport, AlertStatus


async def _drain(wf: Watchfloor, subscription: Any) -> list[Event[Any]]:
    events = []
    while True:
        try:
            events.append(await subscription.get(timeout=0.05))
        except TimeoutError:
            return events


async def test_a_new_report_raises_an_alert_with_its_kind_priority(
    wf: Watchfloor, clock: ManualClock
) -> None:
    sub = wf.bus.subscribe("alert.>")
    [receipt] = await wf.alerts.receive([gunshot(clock)], FEED)
    assert receipt.outcome == "created"
    assert receipt.source_ref == "GS-1001"
    alert = await wf.alerts.get(receipt.alert_id)
    assert alert.kind == AlertKind.GUNSHOT
    assert alert.status == AlertStatus.NEW
    assert alert.priority == 1  # the gunshot default, the report carried none
    assert alert.received_at == clock.now()
    assert alert.details["rounds"] == 4
    assert [(s.source, s.source_ref, s.reports) for s in alert.sources] == [
        ("alerts-gunshot", "GS-1001", 1)
    ]
    [event] = await _drain(wf, sub)
    assert event.kind == "alert.raised"
    assert event.payload.alert_id == alert.id
    assert event.payload.sources == ["alerts-gunshot"]
    assert event.payload.report_count == 1
    assert event.location is not None
    assert event.location.lat == pytest.approx(44.9778)


async def test_priority_comes_from_the_report_else_the_kind_default(
    wf: Watchfloor, clock: ManualClock
) -> None:
    sensor = gunshot(clock, "S-1", kind=AlertKind.SENSOR, source="alerts-sensor")
    own = gunshot(clock, "S-2", kind=AlertKind.SENSOR, source="alerts-sensor", priority=2)
    first, second = await wf.alerts.receive([sensor, own], FEED)
    assert (await wf.alerts.get(first.alert_id)).priority == 3
    assert (await wf.alerts.get(second.alert_id)).priority == 2


async def test_a_later_report_updates_and_an_identical_one_is_a_duplicate(
    wf: Watchfloor, clock: ManualClock
) -> None:
    original = gunshot(clock)
    [first] = await wf.alerts.receive([original], FEED)
    sub = wf.bus.subscribe("alert.>")
    clock.advance(timedelta(seconds=30))
    reviewed = original.model_copy(
        update=dict(
            title="Multiple gunshots, 6 rounds",
            lat=44.9781,
            lon=-93.2655,
            ended=True,
            details={"rounds": 6, "review_status": "reviewed"},
        )
    )
    again = original  # the first report, sent again
    receipts = await wf.alerts.receive([reviewed, again, reviewed], FEED)
    assert [r.outcome for r in receipts] == ["updated", "duplicate", "duplicate"]
    assert {r.alert_id for r in receipts} == {first.alert_id}
    alert = await wf.alerts.get(first.alert_id)
    assert alert.title == "Multiple gunshots, 6 rounds"
    assert alert.details == {
        "rounds": 6,
        "type": "multiple",
        "confidence": 0.93,
        "review_status": "reviewed",
    }
    assert (alert.lat, alert.lon) == (44.9781, -93.2655)
    assert alert.sources[0].reports == 2
    assert alert.received_at < alert.updated_at == clock.now()
    [event] = await _drain(wf, sub)
    assert event.kind == "alert.updated"
    assert event.payload.report_count == 2


async def test_receive_is_one_transaction(wf: Watchfloor, clock: ManualClock) -> None:
    good = gunshot(clock, "GS-OK")
    broken = gunshot(clock, "GS-BAD").model_copy(update={"details": {"x": object()}})
    sub = wf.bus.subscribe("alert.>")
    with pytest.raises(PydanticSerializationError):  # found after the good one was written
        await wf.alerts.receive([good, broken], FEED)
    assert await wf.alerts.list() == []
    assert await _drain(wf, sub) == []


async def test_an_event_is_published_only_once_the_alert_is_stored(
    wf: Watchfloor, clock: ManualClock
) -> None:
    seen: list[int] = []
    real_publish = wf.bus.publish

    async def publish(event: Event[Any]) -> None:
        # a fresh read session sees the alert only if the write was already committed
        seen.append(len(await wf.alerts.list()))
        await real_publish(event)

    wf.bus.publish = publish  # type: ignore[method-assign]
    await wf.alerts.receive([gunshot(clock)], FEED)
    assert seen == [1]


async def test_receive_is_audited_as_one_delivery(wf: Watchfloor, clock: ManualClock) -> None:
    await wf.alerts.receive([gunshot(clock, "A"), gunshot(clock, "B")], FEED)
    [record] = await wf.audit.query(AuditFilter(action="alert.received"))
    assert record.actor_username == "feed:gunshot-vendor"
    assert record.details["outcomes"] == {"created": 2}


async def test_acknowledge_dismiss_close_are_audited_with_the_person(
    wf: Watchfloor, clock: ManualClock
) -> None:
    a, b = await wf.alerts.receive([gunshot(clock, "A"), gunshot(clock, "B")], FEED)
    sub = wf.bus.subscribe("alert.>")
    acked = await wf.alerts.acknowledge(a.alert_id, OPERATOR)
    assert acked.status == AlertStatus.ACKNOWLEDGED
    assert (acked.acknowledged_by, acked.acknowledged_at) == ("op.lee", clock.now())
    again = await wf.alerts.acknowledge(a.alert_id, OPERATOR)  # already: no second record
    assert again.acknowledged_at == acked.acknowledged_at
    closed = await wf.alerts.close(a.alert_id, OPERATOR)
    assert closed.status == AlertStatus.CLOSED
    dismissed = await wf.alerts.dismiss(b.alert_id, "  test of the sensor ", OPERATOR)
    assert dismissed.dismissed_reason == "test of the sensor"
    with pytest.raises(Conflict):
        await wf.alerts.acknowledge(b.alert_id, OPERATOR)
    with pytest.raises(InvalidInput) as refused:
        await wf.alerts.dismiss(a.alert_id, "no", OPERATOR)
    assert refused.value.problems[0].pointer == "/reason"
    with pytest.raises(NotFound):
        await wf.alerts.close("no-such-alert", OPERATOR)
    kinds = [e.kind for e in await _drain(wf, sub)]
    assert kinds == ["alert.acknowledged", "alert.closed", "alert.dismissed"]
    records = await wf.audit.query(AuditFilter(person="op.lee", object_type="alert"))
    assert [(r.action, r.object_id) for r in records] == [
        ("alert.acknowledged", a.alert_id),
        ("alert.closed", a.alert_id),
        ("alert.dismissed", b.alert_id),
    ]
    assert records[2].reason == "test of the sensor"


async def test_system_actions_attach_escalate_prioritise(
    wf: Watchfloor, clock: ManualClock
) -> None:
    [r] = await wf.alerts.receive([gunshot(clock)], FEED)
    sub = wf.bus.subscribe("alert.>")
    await wf.alerts.attach(r.alert_id, "inc-1", "incident_link")
    await wf.alerts.attach(r.alert_id, "inc-1", "incident_link")  # already: nothing new
    await wf.alerts.escalate(r.alert_id, ["sup.kim"], "unacknowledged 60 s")
    await wf.alerts.set_priority(r.alert_id, 2, "severity")
    alert = await wf.alerts.get(r.alert_id)
    assert alert.incident_id == "inc-1"
    assert alert.priority == 2
    assert alert.escalated_to == ["sup.kim"]
    assert alert.escalated_at == clock.now()
    assert [a.id for a in await wf.alerts.for_incident("inc-1")] == [r.alert_id]
    events = await _drain(wf, sub)
    assert [e.kind for e in events] == ["alert.attached", "alert.escalated", "alert.updated"]
    assert events[0].payload.incident_id == "inc-1"
    records = await wf.audit.query(AuditFilter(person="system:correlation"))
    assert [r.action for r in records] == ["alert.attached", "alert.escalated", "alert.prioritised"]
    assert records[0].details == {"incident_id": "inc-1", "rule": "incident_link"}


async def test_a_priority_goes_with_the_attach_in_one_write(
    wf: Watchfloor, clock: ManualClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    [r] = await wf.alerts.receive([gunshot(clock)], FEED)
    writes = 0
    write_in_thread = wf.db.write_in_thread

    async def counted(work: Any) -> Any:
        nonlocal writes
        writes += 1
        return await write_in_thread(work)

    monkeypatch.setattr(wf.db, "write_in_thread", counted)
    sub = wf.bus.subscribe("alert.>")
    await wf.alerts.attach(r.alert_id, "inc-1", "incident_link", priority=(2, "severity"))
    assert writes == 1
    events = await _drain(wf, sub)
    assert [e.kind for e in events] == ["alert.updated", "alert.attached"]
    assert (events[0].payload.priority, events[0].payload.incident_id) == (2, None)
    assert (events[1].payload.priority, events[1].payload.incident_id) == (2, "inc-1")
    records = await wf.audit.query(AuditFilter(person="system:correlation"))
    assert [r.action for r in records] == ["alert.prioritised", "alert.attached"]
    assert records[0].details == {"priority": 2, "rule": "severity"}
    await wf.alerts.attach(r.alert_id, "inc-1", "incident_link", priority=(2, "severity"))
    assert writes == 2
    assert await _drain(wf, sub) == []  # both already so: nothing published, nothing audited
    assert len(await wf.audit.query(AuditFilter(person="system:correlation"))) == 2


async def test_merge_moves_the_duplicates_sources_into_the_alert(
    wf: Watchfloor, clock: ManualClock
) -> None:
    shot = gunshot(clock)
    camera = gunshot(
        clock, "cam-7:rule-2", kind=AlertKind.ANALYTICS, source="alerts-analytics", title="Crowd"
    )
    into, dup = await wf.alerts.receive([shot, camera], FEED)
    await wf.alerts.attach(dup.alert_id, "inc-9", "incident_link")
    sub = wf.bus.subscribe("alert.>")
    await wf.alerts.merge(into.alert_id, dup.alert_id, "duplicates")
    events = await _drain(wf, sub)
    assert [(e.kind, e.payload.alert_id) for e in events] == [
        ("alert.merged", dup.alert_id),
        ("alert.updated", into.alert_id),
    ]
    assert events[0].payload.merged_into == into.alert_id
    assert events[1].payload.sources == ["alerts-gunshot", "alerts-analytics"]
    merged = await wf.alerts.get(into.alert_id)
    assert [s.source_ref for s in merged.sources] == ["GS-1001", "cam-7:rule-2"]
    assert merged.incident_id == "inc-9"
    assert (await wf.alerts.get(dup.alert_id)).status == AlertStatus.MERGED
    # a later report from the duplicate's source now lands on the alert it merged into,
    # without taking over its title
    clock.advance(timedelta(seconds=5))
    later = camera.model_copy(update={"title": "Crowd dispersing", "ended": True})
    [receipt] = await wf.alerts.receive([later], FEED)
    assert (receipt.alert_id, receipt.outcome) == (into.alert_id, "updated")
    assert (await wf.alerts.get(into.alert_id)).title == "Multiple gunshots, 4 rounds"
    with pytest.raises(Conflict):
        await wf.alerts.merge(dup.alert_id, into.alert_id, "duplicates")
    await wf.alerts.merge(into.alert_id, dup.alert_id, "duplicates")  # already: no-op


async def test_list_filters_and_open_alerts(wf: Watchfloor, clock: ManualClock) -> None:
    a, b = await wf.alerts.receive([gunshot(clock, "A"), gunshot(clock, "B")], FEED)
    clock.advance(timedelta(seconds=60))
    panic = AlertReport(
        kind=AlertKind.PANIC,
        source="alerts-panic",
        source_ref="dev-1",
        occurred_at=clock.now(),
        title="Panic button",
    )
    [c] = await wf.alerts.receive([panic], FEED)
    await wf.alerts.dismiss(b.alert_id, "false alarm", OPERATOR)
    assert next(x.id for x in await wf.alerts.list()) == c.alert_id
    assert [x.id for x in await wf.alerts.list(kind=AlertKind.PANIC)] == [c.alert_id]
    assert [x.id for x in await wf.alerts.list(status=AlertStatus.DISMISSED)] == [b.alert_id]
    since = clock.now() - timedelta(seconds=1)
    assert [x.id for x in await wf.alerts.list(since=since)] == [c.alert_id]
    assert len(await wf.alerts.list(limit=1)) == 1
    opened = await wf.alerts.open_alerts(clock.now() - timedelta(hours=1))
    assert [x.alert_id for x in opened] == [a.alert_id, c.alert_id]
