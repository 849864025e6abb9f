"""Shipped scenarios load, are in time order, and stand at real addresses of the demo city."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from watchfloor.connectors.eido.registry import INCIDENT_TYPES
from watchfloor.demo.scenarios import Scenario, list_scenarios, load_scenario


def test_the_shooting_scenario_ships_and_lists() -> None:
    assert "shooting" in list_scenarios()
    scenario = load_scenario("shooting")
    assert scenario.incident.code == "SHOTS"
    assert scenario.incident.priority == 1


@pytest.mark.parametrize("name", list_scenarios())
def test_every_scenario_uses_real_addresses_and_known_codes(name: str) -> None:
    scenario = load_scenario(name)

    scenario.address.address()  # KeyError if the city has no such address
    for step in scenario.steps:
        if step.caller and step.caller.address:
            step.caller.address.address()
        if step.incident:
            assert step.incident.code in INCIDENT_TYPES
    assert scenario.incident.code in INCIDENT_TYPES
    assert scenario.steps[-1].status == "Closed"


def test_an_unknown_scenario_names_the_known_ones() -> None:
    with pytest.raises(KeyError, match=r"known: .*shooting"):
        load_scenario("alien-invasion")


def test_steps_out_of_order_or_unknown_fields_are_refused() -> None:
    base = load_scenario("shooting").model_dump()
    backwards = {**base, "steps": list(reversed(base["steps"]))}
    typo = {**base, "steps": [{"at": 0, "notes": "plural"}]}

    with pytest.raises(ValidationError, match="time order"):
        Scenario.model_validate(backwards)
    with pytest.raises(ValidationError, match="notes"):
        Scenario.model_validate(typo)
