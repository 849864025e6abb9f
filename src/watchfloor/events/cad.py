"""What a CAD tells Watchfloor about an incident, independent of the wire format (EIDO today)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from watchfloor.core.geo import GeoPoint


class IncidentStatus(StrEnum):
    """Lifecycle of a call for service, in order."""

    RECEIVED = "received"
    DISPATCHED = "dispatched"
    EN_ROUTE = "en_route"
    ON_SCENE = "on_scene"
    CLEARED = "cleared"
    CLOSED = "closed"


LIFECYCLE: tuple[IncidentStatus, ...] = tuple(IncidentStatus)


class UnitStatus(StrEnum):
    """A unit's state on the incident, mapped from the CAD's unit status."""

    ASSIGNED = "assigned"
    DISPATCHED = "dispatched"
    EN_ROUTE = "en_route"
    ON_SCENE = "on_scene"
    TRANSPORTING = "transporting"
    CLEARED = "cleared"
    AVAILABLE = "available"
    OUT_OF_SERVICE = "out_of_service"
    UNKNOWN = "unknown"


class _Report(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class LocationReport(_Report):
    """Where the incident is: a point and/or a civic address."""

    point: GeoPoint | None = None
    address: str | None = None
    cross_streets: list[str] = []
    description: str | None = None
    kind: str | None = Field(None, description="locationTypeDescriptionRegistryText")


class AgencyReport(_Report):
    """An agency involved in the incident."""

    eido_id: str
    name: str | None = None
    roles: list[str] = []
    types: list[str] = []
    owning: bool = False


class UnitReport(_Report):
    """An emergency resource (unit) on the incident."""

    eido_id: str
    name: str
    kind: str
    status: UnitStatus
    status_text: str
    agency_ref: str | None = None
    location: GeoPoint | None = None
    updated_at: datetime


class NoteReport(_Report):
    """A CAD note (narrative) on the incident."""

    eido_id: str
    text: str
    author: str | None = None
    written_at: datetime


class CautionReport(_Report):
    """A caution (officer safety, hazard) on the incident."""

    eido_id: str
    kind: str
    kind_text: str
    severity: str
    source: str | None = None
    starts_at: datetime | None = None


class PersonReport(_Report):
    """A person involved (caller, suspect, victim, witness ...)."""

    eido_id: str
    roles: list[str]
    name: str | None = None
    description: str | None = None


class VehicleReport(_Report):
    """A vehicle involved."""

    eido_id: str
    relationships: list[str]
    plate: str | None = None
    plate_state: str | None = None
    make: str | None = None
    model: str | None = None
    color: str | None = None
    year: int | None = None
    description: str | None = None


class IncidentReport(_Report):
    """One CAD update about one incident, as the EIDO connector translated it."""

    eido_id: str = Field(description="the EIDO $id; updates with the same id merge")
    last_updated_at: datetime = Field(description="lastUpdateTimeStamp, source clock")
    issuing_element: str
    type_code: str = Field(description="incident type, common registry text")
    type_internal_code: str | None = None
    type_text: str | None = None
    priority: int | None = Field(None, ge=1, le=5)
    priority_text: str | None = None
    status: IncidentStatus | None = None
    status_texts: list[str] = []
    cad_incident_number: str | None = None
    beat: str | None = None
    call_started_at: datetime | None = None
    location: LocationReport | None = None
    agencies: list[AgencyReport] = []
    units: list[UnitReport] = []
    notes: list[NoteReport] = []
    cautions: list[CautionReport] = []
    persons: list[PersonReport] = []
    vehicles: list[VehicleReport] = []
