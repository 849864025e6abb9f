"""Storing CAD updates: merge by $id, newest wins, re-delivery is idempotent, lifecycle kept."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from tests.conftest import START
from tests.domain.incidents.support import note, report, store, unit
from watchfloor.app import Watchfloor, build
from watchfloor.core.context import Actor, RequestContext, Role
from watchfloor.domain.incidents.models import EidoDocument, IncidentTimelineEntry
from watchfloor.domain.incidents.schemas import StoreOutcome
from watchfloor.events.cad import IncidentStatus, UnitStatus
from watchfloor.settings import Settings

T1 = START - timedelta(minutes=10)
T2 = START - timedelta(minutes=8)
T3 = START - timedelta(minutes=6)
OPERATOR = RequestContext(
    actor=Actor(user_id="u-op", username="op1", role=Role.OPERATOR, designator="RT3")
)


async def _count(wf: Watchfloor, model: type[object], incident_id: str) -> int:
    async with wf.db.read_session() as session:
        column = model.incident_id  # type: ignore[attr-defined]
        return int(await session.scalar(select(func.count()).where(column == incident_id)) or 0)


async def test_updates_with_the_same_eido_id_merge_children_by_their_id(wf: Watchfloor) -> None:
    first = report(at=T1, units=[unit("u-1", UnitStatus.DISPATCHED, T1)], priority=3)
    second = report(
        at=T2,
        priority=1,
        units=[unit("u-1", UnitStatus.EN_ROUTE, T2), unit("u-2", UnitStatus.DISPATCHED, T2)],
    )
    [created] = await store(wf, first)
    [updated] = await store(wf, second)

    assert (created.outcome, updated.outcome) == (StoreOutcome.CREATED, StoreOutcome.UPDATED)
    assert created.incident_id == updated.incident_id
    detail = await wf.incidents.detail(created.incident_id, OPERATOR)
    assert detail.incident.priority == 1
    assert detail.incident.version == 2
    assert {(u.eido_id, u.status) for u in detail.units} == {
        ("u-1", "en_route"),
        ("u-2", "dispatched"),
    }


async def test_an_older_update_never_overwrites_newer_data(wf: Watchfloor) -> None:
    [created] = await store(wf, report(at=T2, priority=1, type_code="ROBBERY"))
    [stale] = await store(wf, report(at=T1, priority=4, type_code="NOISE"))

    assert stale.outcome is StoreOutcome.STALE
    detail = await wf.incidents.detail(created.incident_id, OPERATOR)
    assert (detail.incident.priority, detail.incident.type_code) == (1, "ROBBERY")
    assert detail.incident.last_updated_at == T2
    async with wf.db.read_session() as session:
        outcomes = (await session.scalars(select(EidoDocument.outcome))).all()
    assert sorted(outcomes) == ["created", "stale"]  # the stale document is kept for the record


async def test_exact_redelivery_is_idempotent(wf: Watchfloor) -> None:
    update = report(at=T1, notes=[note("n-1", "suspect fled north", T1)])
    events = wf.bus.subscribe("incident.>")
    [created] = await store(wf, update)
    timeline = await _count(wf, IncidentTimelineEntry, created.incident_id)

    [again] = await store(wf, update)

    assert again.outcome is StoreOutcome.DUPLICATE
    assert await _count(wf, IncidentTimelineEntry, created.incident_id) == timeline
    detail = await wf.incidents.detail(created.incident_id, OPERATOR)
    assert [n.text for n in detail.notes] == ["suspect fled north"]
    assert (await events.get(timeout=1)).kind == "incident.created"
    assert events.dropped == 0
    try:
        extra = await events.get(timeout=0.05)
    except TimeoutError:
        extra = None
    assert extra is None


async def test_cad_notes_merge_by_id_and_intel_notes_are_never_touched(wf: Watchfloor) -> None:
    [created] = await store(wf, report(at=T1, notes=[note("n-1", "first", T1)]))
    intel = await wf.incidents.add_note(created.incident_id, "plate ABC1234 stolen", OPERATOR)

    await store(
        wf, report(at=T2, notes=[note("n-1", "first (edited)", T1), note("n-2", "2nd", T2)])
    )

    detail = await wf.incidents.detail(created.incident_id, OPERATOR)
    by_origin = sorted((n.origin, n.text) for n in detail.notes)
    assert by_origin == [
        ("cad", "2nd"),
        ("cad", "first (edited)"),
        ("intel", "plate ABC1234 stolen"),
    ]
    assert next(n for n in detail.notes if n.origin == "intel").id == intel.id


async def test_lifecycle_timestamps_are_set_the_first_time_each_status_is_reached(
    wf: Watchfloor,
) -> None:
    call_started = START - timedelta(minutes=12)
    [created] = await store(wf, report(at=T1, call_started_at=call_started))
    await store(wf, report(at=T2, status=None, units=[unit("u-1", UnitStatus.EN_ROUTE, T2)]))
    await store(wf, report(at=T3, status=None, units=[unit("u-1", UnitStatus.ON_SCENE, T3)]))
    later = T3 + timedelta(minutes=1)
    await store(wf, report(at=later, status=IncidentStatus.DISPATCHED))

    incident = (await wf.incidents.detail(created.incident_id, OPERATOR)).incident
    assert incident.received_at == call_started
    assert incident.first_received_at == START
    assert (incident.dispatched_at, incident.en_route_at, incident.on_scene_at) == (T1, T2, T3)
    assert incident.status is IncidentStatus.DISPATCHED
    assert incident.cleared_at is None


async def test_status_and_unit_changes_go_on_the_timeline(wf: Watchfloor) -> None:
    [created] = await store(wf, report(at=T1))
    await store(wf, report(at=T2, status=None, units=[unit("u-1", UnitStatus.ON_SCENE, T2)]))

    timeline = (await wf.incidents.detail(created.incident_id, OPERATOR)).timeline
    kinds = [(e.kind, e.details.get("to")) for e in timeline]
    assert ("status.changed", "dispatched") in kinds
    assert ("status.changed", "on_scene") in kinds
    assert ("unit.status.changed", "on_scene") in kinds


async def test_received_at_defaults_to_the_first_time_seen(wf: Watchfloor) -> None:
    [created] = await store(wf, report(at=T1))
    incident = (await wf.incidents.detail(created.incident_id, OPERATOR)).incident
    assert incident.received_at == START


async def test_created_and_updated_are_published_after_storing(wf: Watchfloor) -> None:
    events = wf.bus.subscribe("incident.>")
    await store(wf, report(at=T1))
    await store(wf, report(at=T2, priority=1))

    created, updated = await events.get(timeout=1), await events.get(timeout=1)
    assert (created.kind, updated.kind) == ("incident.created", "incident.updated")
    assert updated.source == "cad:cad.example.gov"
    assert updated.occurred_at == T2
    assert updated.received_at == START
    assert updated.payload.priority == 1
    assert updated.location is not None


async def test_stored_incidents_survive_a_fresh_watchfloor(
    wf: Watchfloor, settings: Settings
) -> None:
    [created] = await store(wf, report(at=T1, notes=[note("n-1", "kept", T1)]))
    await wf.stop()

    fresh = build(settings, clock=wf.clock, migrate=False)
    try:
        detail = await fresh.incidents.detail(created.incident_id, OPERATOR)
    finally:
        await fresh.stop()
    assert [n.text for n in detail.notes] == ["kept"]
