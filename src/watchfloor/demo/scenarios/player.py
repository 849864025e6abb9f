"""Replays a scenario at a speed factor: each step becomes one EIDO document at its moment."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from watchfloor.demo.eido import AGENCY, Caller, Incident, prologue, render, timestamp
from watchfloor.demo.scenarios import (
    AgencyStep,
    CautionStep,
    PersonStep,
    Scenario,
    Step,
    VehicleStep,
)

DRILL_NOTE = "TRAINING SCENARIO {name!r}: a scripted drill, not a real incident."


class ScenarioPlayer:
    """Plays one scenario from start; step at `at` s is due at start + at / speed."""

    def __init__(self, scenario: Scenario, start: datetime, speed: float = 1.0) -> None:
        if speed <= 0:
            raise ValueError("speed must be positive")
        self.scenario = scenario
        self._start = start
        self._speed = speed
        self._next = 0
        self._incident = Incident(
            key=f"drill-{scenario.name}-{start:%Y%m%dT%H%M%S}",
            cad_number=f"DRILL-{start:%y%m%d-%H%M%S}",
            code=scenario.incident.code,
            text=scenario.incident.text,
            priority=scenario.incident.priority,
            address=scenario.address.address(),
            started_at=start,
            updated_at=start,
            callers=[Caller("1", start, emergency=True)],
            notes=[("drill", start, DRILL_NOTE.format(name=scenario.name))],
        )

    @property
    def eido_id(self) -> str:
        """The scenario incident's EIDO $id."""
        return self._incident.eido_id

    @property
    def finished(self) -> bool:
        """Whether every step has been played."""
        return self._next >= len(self.scenario.steps)

    def moment(self, step: Step) -> datetime:
        """When a step is played."""
        return self._start + timedelta(seconds=step.at / self._speed)

    def schedule(self) -> list[datetime]:
        """When each step is played, in order."""
        return [self.moment(step) for step in self.scenario.steps]

    def due(self, now: datetime) -> list[dict[str, Any]]:
        """The documents of the steps whose moment has come by now, not yet sent."""
        documents = []
        steps = self.scenario.steps
        while self._next < len(steps) and self.moment(steps[self._next]) <= now:
            step = steps[self._next]
            apply(self._incident, step, self.moment(step), self._next)
            documents.append(render(self._incident))
            self._next += 1
        return documents


def apply(incident: Incident, step: Step, when: datetime, index: int) -> None:
    """Change the incident as the step says, at when."""
    incident.updated_at = when
    if step.status:
        incident.status = step.status
    if step.incident:
        incident.code, incident.text = step.incident.code, step.incident.text
        incident.priority = step.incident.priority
    if step.caller:
        address = step.caller.address.address() if step.caller.address else None
        incident.callers.append(Caller(step.caller.key, when, step.caller.emergency, address))
    if step.note:
        incident.notes.append((f"{index:03d}", when, step.note))
    for unit in step.units:
        incident.set_unit(unit.name, unit.status, when, unit.kind, unit.agency or AGENCY)
    base = incident.eido_id
    if step.person:
        _put(incident, "person", _person(base, step.person, when))
    if step.vehicle:
        _put(incident, "vehicle", _vehicle(base, step.vehicle, when))
    if step.caution:
        _put(incident, "caution", _caution(base, step.caution, when))
    if step.agency:
        _put(incident, "agency", _agency(step.agency, when))


def _put(incident: Incident, kind: str, component: dict[str, Any]) -> None:
    """Add the component, or replace the one with the same $id."""
    kept = [c for c in incident.components.get(kind, []) if c["$id"] != component["$id"]]
    incident.components[kind] = [*kept, component]


def _person(base: str, person: PersonStep, when: datetime) -> dict[str, Any]:
    nc: dict[str, Any] = {"PersonDescriptionText": person.description}
    if person.name:
        nc["PersonName"] = {"PersonFullName": person.name}
    return {
        **prologue(f"{base}:person:{person.key}", when),
        "personIncidentRoleRegistryText": person.roles,
        "ncPersonComponent": nc,
    }


def _vehicle(base: str, vehicle: VehicleStep, when: datetime) -> dict[str, Any]:
    plate: dict[str, Any] = {"nc:IdentificationID": vehicle.plate}
    if vehicle.plate_state:
        plate["nc:IdentificationJurisdiction"] = {"nc:JurisdictionText": vehicle.plate_state}
    nc: dict[str, Any] = {"nc:ConveyanceRegistrationPlateIdentification": plate}
    for key, value in (
        ("nc:VehicleMakeCode", vehicle.make),
        ("nc:VehicleModelCode", vehicle.model),
        ("nc:VehicleColorPrimaryCode", vehicle.color),
        ("nc:ItemModelYearDate", str(vehicle.year) if vehicle.year else None),
        ("nc:ConveyanceDescriptionText", vehicle.description),
    ):
        if value:
            nc[key] = value
    return {
        **prologue(f"{base}:vehicle:{vehicle.key}", when),
        "vehicleRelationshipType": [vehicle.relationship],
        "vehicleRelationshipTimeStamp": timestamp(when),
        "ncVehicleComponent": nc,
    }


def _caution(base: str, caution: CautionStep, when: datetime) -> dict[str, Any]:
    return {
        **prologue(f"{base}:caution:{caution.key}", when),
        "cautionTypeInternalText": caution.text,
        "cautionTypeCommonRegistryText": caution.kind,
        "cautionSeverity": caution.severity,
        "cautionSource": "caller",
        "startDate": timestamp(when),
    }


def _agency(agency: AgencyStep, when: datetime) -> dict[str, Any]:
    return {
        **prologue(agency.id, when, agency.id),
        "agencyName": agency.name,
        "agencyRoleDescriptionRegistryText": agency.roles,
        "agencyType": agency.types,
    }
