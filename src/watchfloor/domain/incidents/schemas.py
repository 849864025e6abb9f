"""What the incidents domain hands out: results, queue rows, details, event payloads."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from watchfloor.events.cad import IncidentStatus


class _Out(BaseModel):
    model_config = ConfigDict(frozen=True, from_attributes=True)


class StoreOutcome(StrEnum):
    """What one accepted EIDO document did to its incident."""

    CREATED = "created"
    UPDATED = "updated"
    DUPLICATE = "duplicate"
    STALE = "stale"


class StoreResult(_Out):
    """Per-document result of an intake."""

    eido_id: str
    incident_id: str
    outcome: StoreOutcome


class QueueRow(_Out):
    """One open incident in the RTCC call queue."""

    id: str
    eido_id: str
    type: str
    type_text: str | None
    priority: int | None
    status: IncidentStatus
    address: str | None
    received_at: datetime
    received_age_s: float
    claimed_by: str | None = Field(description='who works it, e.g. "RT3"')
    claimed_by_username: str | None
    lat: float | None = None
    lon: float | None = None


class UnitOut(_Out):
    """A unit on the incident."""

    eido_id: str | None
    name: str
    kind: str
    status: str
    status_text: str
    agency_ref: str | None
    lat: float | None
    lon: float | None
    updated_at: datetime


class NoteOut(_Out):
    """A CAD or intel note."""

    id: str
    eido_id: str | None
    origin: str
    author: str | None
    designator: str | None
    text: str
    written_at: datetime


class CautionOut(_Out):
    """A caution on the incident."""

    eido_id: str | None
    kind: str
    kind_text: str
    severity: str
    source: str | None
    starts_at: datetime | None


class PersonOut(_Out):
    """A person involved."""

    eido_id: str | None
    roles: list[str]
    name: str | None
    description: str | None


class VehicleOut(_Out):
    """A vehicle involved."""

    eido_id: str | None
    relationships: list[str]
    plate: str | None
    plate_state: str | None
    make: str | None
    model: str | None
    color: str | None
    year: int | None
    description: str | None


class AgencyOut(_Out):
    """An agency involved."""

    eido_id: str | None
    name: str | None
    roles: list[str]
    types: list[str]
    owning: bool


class TimelineOut(_Out):
    """One timeline entry."""

    at: datetime
    kind: str
    actor: str
    details: dict[str, Any]


class IncidentOut(_Out):
    """The incident's own fields."""

    id: str
    eido_id: str
    type_code: str
    type_internal_code: str | None
    type_text: str | None
    priority: int | None
    priority_text: str | None
    status: IncidentStatus
    received_at: datetime
    dispatched_at: datetime | None
    en_route_at: datetime | None
    on_scene_at: datetime | None
    cleared_at: datetime | None
    closed_at: datetime | None
    last_updated_at: datetime
    first_received_at: datetime
    lat: float | None
    lon: float | None
    address: str | None
    cross_streets: list[str]
    location_description: str | None
    beat: str | None
    cad_incident_number: str | None
    issuing_element: str
    claimed_by_user_id: str | None
    claimed_by_username: str | None
    claimed_by_designator: str | None
    claimed_at: datetime | None
    version: int


class IncidentDetail(_Out):
    """Everything known about one incident."""

    incident: IncidentOut
    units: list[UnitOut]
    notes: list[NoteOut]
    cautions: list[CautionOut]
    persons: list[PersonOut]
    vehicles: list[VehicleOut]
    agencies: list[AgencyOut]
    timeline: list[TimelineOut]


class ClaimOut(_Out):
    """Who works an incident now (nobody after a release)."""

    incident_id: str
    claimed_by_user_id: str | None
    claimed_by_username: str | None
    claimed_by_designator: str | None
    claimed_at: datetime | None


# --- event payloads


class IncidentChanged(BaseModel):
    """Payload of incident.created / incident.updated: a small summary, not the record."""

    model_config = ConfigDict(frozen=True)

    incident_id: str
    eido_id: str
    type_code: str
    priority: int | None
    status: IncidentStatus
    address: str | None
    version: int


class IncidentClaimChanged(BaseModel):
    """Payload of incident.claimed / incident.released."""

    model_config = ConfigDict(frozen=True)

    incident_id: str
    user_id: str | None
    username: str
    designator: str | None
    previous_username: str | None = None


class IncidentNoteAdded(BaseModel):
    """Payload of incident.note.added."""

    model_config = ConfigDict(frozen=True)

    incident_id: str
    note_id: str
    text: str
    author: str
    designator: str | None
