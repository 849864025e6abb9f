"""Replaying a scenario: steps at start + at / speed, the story carried in EIDO, stored by the
real intake as one incident."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from httpx import AsyncClient
from sqlalchemy import select

from tests.conftest import START
from tests.demo.support import post_documents, stored_incidents
from watchfloor.app import Watchfloor
from watchfloor.connectors.eido.mapping import translate
from watchfloor.demo.scenarios import load_scenario
from watchfloor.demo.scenarios.player import ScenarioPlayer
from watchfloor.domain.incidents.models import IncidentPerson, IncidentVehicle
from watchfloor.events.cad import LIFECYCLE, IncidentStatus, UnitStatus
from watchfloor.settings import EidoSettings

BEGIN = datetime(2026, 11, 21, 13, 0, tzinfo=UTC)


def test_at_speed_4_the_second_caller_comes_10_seconds_in() -> None:
    player = ScenarioPlayer(load_scenario("shooting"), BEGIN, speed=4)

    early = player.due(BEGIN + timedelta(seconds=9.99))
    on_time = player.due(BEGIN + timedelta(seconds=10))

    assert len(early) == 2  # the first call (0 s) and the dispatch (20 s / 4 = 5 s)
    assert len(on_time) == 1
    assert len(on_time[0]["callComponent"]) == 2
    assert on_time[0]["lastUpdateTimeStamp"] == "2026-11-21T13:00:10.000+00:00"
    assert player.due(BEGIN + timedelta(seconds=10)) == []


def test_the_whole_drill_takes_its_script_time_divided_by_the_speed() -> None:
    scenario = load_scenario("shooting")
    player = ScenarioPlayer(scenario, BEGIN, speed=4)
    script_end = timedelta(seconds=scenario.steps[-1].at)

    assert player.schedule()[-1] == BEGIN + script_end / 4
    assert player.schedule() == sorted(player.schedule())
    finished = []
    for late in (timedelta(milliseconds=-1), timedelta(0)):
        player.due(BEGIN + script_end / 4 + late)
        finished.append(player.finished)
    assert finished == [False, True]
    with pytest.raises(ValueError, match="positive"):
        ScenarioPlayer(scenario, BEGIN, speed=0)


def test_the_story_reads_back_from_the_eido_documents() -> None:
    player = ScenarioPlayer(load_scenario("shooting"), BEGIN, speed=10)
    end = BEGIN + timedelta(minutes=2)
    reports = [translate(d, EidoSettings(), end) for d in player.due(end)]
    final = reports[-1]

    statuses = [r.status for r in reports if r.status is not None]
    assert [LIFECYCLE.index(s) for s in statuses] == sorted(LIFECYCLE.index(s) for s in statuses)
    assert {r.eido_id for r in reports} == {player.eido_id}
    assert (reports[0].type_code, final.type_code) == ("SHOTS", "SHOOTING")
    assert final.status is IncidentStatus.CLOSED
    assert final.notes[0].text.startswith("TRAINING SCENARIO 'shooting'")
    assert [(v.plate, v.plate_state, v.make) for v in final.vehicles] == [
        ("ZZT-404", "FI", "Volkswagen")
    ]
    assert sorted(role for p in final.persons for role in p.roles) == ["Suspect", "Victim"]
    assert [c.severity for c in final.cautions] == ["highest"]
    assert "Watchfloor demo EMS" in {a.name for a in final.agencies}
    assert {u.name: u.status for u in final.units}["M21"] is UnitStatus.CLEARED
    transporting = [r for r in reports if any(u.status is UnitStatus.TRANSPORTING for u in r.units)]
    assert transporting, "the ambulance transports the victim"


async def test_the_real_intake_merges_the_drill_into_one_incident(
    wf: Watchfloor, client: AsyncClient
) -> None:
    player = ScenarioPlayer(load_scenario("shooting"), START - timedelta(minutes=10), speed=4)
    documents = player.due(START)

    outcomes = await post_documents(wf, client, documents)

    assert outcomes == ["created"] + ["updated"] * (len(documents) - 1)
    [incident] = (await stored_incidents(wf)).values()
    assert (incident.type_code, incident.status, incident.priority) == ("SHOOTING", "closed", 1)
    assert incident.address == "44 Aleksanterinkatu, Helsinki"
    assert incident.cad_incident_number is not None
    assert incident.cad_incident_number.startswith("DRILL-")
    async with wf.db.read_session() as session:
        plates = (await session.execute(select(IncidentVehicle.plate))).scalars().all()
        persons = (await session.execute(select(IncidentPerson.roles))).scalars().all()
    assert plates == ["ZZT-404"]
    assert sorted(r for roles in persons for r in roles) == ["Suspect", "Victim"]
