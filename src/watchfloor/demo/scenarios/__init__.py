"""Scripted incidents for training and drills, replayed through the same EIDO path as the city.

A scenario is data (`<name>.json` beside this module): an incident at a real address and steps
at seconds from the start, each changing the incident (status, type, callers, units, notes,
persons, vehicles, cautions, agencies). `ScenarioPlayer` replays it at a chosen speed; every step
sends the incident's whole state as one EIDO document.
"""

from __future__ import annotations

from importlib.resources import files
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from watchfloor.demo.city import Address, find_address


class _Data(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Place(_Data):
    """A real address of the demo city."""

    street: str
    housenumber: str

    def address(self) -> Address:
        """The address point (KeyError when the city has no such address)."""
        return find_address(self.street, self.housenumber)


class IncidentType(_Data):
    """APCO common incident type, the CAD's text for it, and a priority."""

    code: str
    text: str
    priority: int = Field(ge=1, le=5)


class CallerStep(_Data):
    """Another call about the incident; address None: the caller is at the incident."""

    key: str
    emergency: bool = True
    address: Place | None = None


class UnitStep(_Data):
    """A unit added to the incident or moved to a new status."""

    name: str
    status: str
    kind: str = "LawEnforcement"
    agency: str | None = None


class PersonStep(_Data):
    """A person involved: victim, suspect, witness ..."""

    key: str
    roles: list[str] = Field(min_length=1)
    description: str
    name: str | None = None


class VehicleStep(_Data):
    """A vehicle involved, with its plate and description."""

    key: str
    relationship: str
    plate: str
    plate_state: str | None = None
    make: str | None = None
    model: str | None = None
    color: str | None = None
    year: int | None = None
    description: str | None = None


class CautionStep(_Data):
    """An officer-safety caution."""

    key: str
    kind: str
    text: str
    severity: Literal["highest", "high", "normal", "low", "lowest"]


class AgencyStep(_Data):
    """Another agency joining the incident."""

    id: str
    name: str
    roles: list[str] = ["Responding"]
    types: list[str] = []


class Step(_Data):
    """What changes at `at` seconds after the start (scenario time, before the speed factor)."""

    at: float = Field(ge=0)
    status: str | None = None
    incident: IncidentType | None = None
    caller: CallerStep | None = None
    note: str | None = None
    units: list[UnitStep] = []
    person: PersonStep | None = None
    vehicle: VehicleStep | None = None
    caution: CautionStep | None = None
    agency: AgencyStep | None = None


class Scenario(_Data):
    """A scripted incident."""

    name: str
    title: str
    description: str
    address: Place
    incident: IncidentType
    steps: list[Step] = Field(min_length=1)

    @field_validator("steps")
    @classmethod
    def _in_time_order(cls, steps: list[Step]) -> list[Step]:
        if [s.at for s in steps] != sorted(s.at for s in steps):
            raise ValueError("steps must be in time order")
        return steps


def list_scenarios() -> list[str]:
    """Names of the scenarios that ship with Watchfloor."""
    names = (entry.name for entry in files(__name__).iterdir())
    return sorted(name.removesuffix(".json") for name in names if name.endswith(".json"))


def load_scenario(name: str) -> Scenario:
    """A shipped scenario by name; KeyError naming the known ones when there is none."""
    if name not in list_scenarios():
        raise KeyError(f"no scenario {name!r}; known: {', '.join(list_scenarios())}")
    text = files(__name__).joinpath(f"{name}.json").read_text(encoding="utf-8")
    return Scenario.model_validate_json(text)
