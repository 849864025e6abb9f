"""Pydantic models of the EIDO subset Watchfloor reads (NENA-STA-021, JSON, camelCase names).

Only what the incident report needs is modelled; unknown fields are ignored, never rejected.
Where the schema requires a field Watchfloor does not use (updatedByAgencyReference, agency
roles, unit attributes ...) it is optional here: a CAD that leaves it out still gets its incident
on the floor. Rules that need the installation's settings and the current time (time window,
agency incident codes) read a `Rules` object passed as the validation context.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    InstanceOf,
    ValidationInfo,
    field_validator,
)
from pydantic.alias_generators import to_camel
from pydantic_core import PydanticCustomError

from watchfloor.connectors.eido import registry
from watchfloor.connectors.eido.pidf import (
    PidfError,
    PidfLocation,
    Position,
    coordinate_problem,
    parse_pidf,
    street_text,
)
from watchfloor.settings import EidoSettings

EIDO_VERSION = "1.0"


@dataclass(frozen=True)
class Rules:
    """The validation context: the installation's EIDO settings and the time of receipt."""

    settings: EidoSettings
    now: datetime


def _problem(reason: str) -> PydanticCustomError:
    return PydanticCustomError("eido", reason)


def _rules(info: ValidationInfo) -> Rules | None:
    return info.context if isinstance(info.context, Rules) else None


def _parse_timestamp(value: Any) -> datetime:
    if not isinstance(value, str):
        raise _problem("date-time must be an RFC 3339 string")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise _problem(f"not an RFC 3339 date-time: {value[:40]!r}") from None
    if parsed.tzinfo is None or parsed.utcoffset() is None:
        raise _problem(f"date-time has no UTC offset: {value[:40]!r}")
    return parsed.astimezone(UTC)


def _in_window(value: datetime, info: ValidationInfo) -> datetime:
    rules = _rules(info)
    if rules is None:
        return value
    skew = (value - rules.now).total_seconds()
    if skew > rules.settings.max_future_skew_s:
        raise _problem(f"time {value.isoformat()} is {skew:.0f} s in the future")
    if value.year < rules.settings.oldest_accepted_year:
        raise _problem(f"time {value.isoformat()} is before {rules.settings.oldest_accepted_year}")
    return value


Timestamp = Annotated[datetime, BeforeValidator(_parse_timestamp), AfterValidator(_in_window)]


def _as_list(value: Any) -> Any:
    return [value] if isinstance(value, str) else value


StrList = Annotated[list[str], BeforeValidator(_as_list)]
Text = Annotated[str, Field(min_length=1)]


class _Wire(BaseModel):
    model_config = ConfigDict(
        extra="ignore", alias_generator=to_camel, populate_by_name=True, frozen=True
    )


class Reference(_Wire):
    """A link to another component: {"$ref": "<its $id>"}."""

    ref: Text = Field(alias="$ref")


class Component(_Wire):
    """The prologue every EIDO component starts with."""

    id: Text = Field(alias="$id")
    last_update_time_stamp: Timestamp | None = None
    updated_by_agency_reference: Reference | None = None
    updated_by_agent_reference: Reference | None = None


def _priority(value: int) -> int:
    if not 1 <= value <= 5:
        raise _problem(f"unknown code: common priority {value} is out of range 1-5")
    return value


def _status_word(value: str) -> str:
    if registry.incident_status(value) is None:
        raise _problem(f"unknown code: incident status {value!r}")
    return value


class IncidentComponent(Component):
    """incidentComponent (IncidentInformationType)."""

    incident_type_common_registry_text: Text
    incident_type_internal_code: str | None = None
    incident_type_internal_text: str | None = None
    incident_status_common_registry_text: list[Annotated[str, AfterValidator(_status_word)]] = []
    incident_status_internal_text: StrList = []
    internal_incident_id: str | None = None
    incident_common_priority_number: Annotated[int, AfterValidator(_priority)] | None = None
    incident_priority_internal_text: str | None = None
    beat_or_dispatch_group_text: str | None = None
    location_reference: list[Reference] = []
    notes_reference: list[Reference] = []

    @field_validator("incident_type_common_registry_text")
    @classmethod
    def _known_type(cls, value: str, info: ValidationInfo) -> str:
        rules = _rules(info)
        agency_codes = rules.settings.agency_incident_codes if rules else {}
        if registry.incident_type(value, agency_codes) is None:
            raise _problem(f"unknown incident type code {value!r}")
        return value


def _checked(position: Position) -> Position:
    problem = coordinate_problem(position.lat, position.lon)
    if problem:
        raise _problem(problem)
    return position


def _plain_position(value: dict[str, Any]) -> Position:
    if value.get("type") == "Point" and isinstance(value.get("coordinates"), list):
        lon_lat = value["coordinates"]
        raw: list[Any] = [lon_lat[1] if len(lon_lat) > 1 else None, lon_lat[0] if lon_lat else None]
    else:
        raw = [value.get("latitude", value.get("lat")), value.get("longitude", value.get("lon"))]
    if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in raw):
        raise _problem("coordinates need numeric latitude and longitude")
    return Position(float(raw[0]), float(raw[1]))


def _location_value(value: Any) -> PidfLocation | None:
    if value is None:
        return None
    if isinstance(value, dict):
        return PidfLocation(_checked(_plain_position(value)), None)
    if not isinstance(value, str):
        raise _problem("locationByValue must be PIDF-LO XML text or coordinates")
    try:
        parsed = parse_pidf(value)
    except PidfError as exc:
        raise _problem(str(exc)) from None
    if parsed.position is not None:
        _checked(parsed.position)
    return parsed


def _street(value: str) -> str:
    try:
        return street_text(value)
    except PidfError as exc:
        raise _problem(str(exc)) from None


Street = Annotated[str, AfterValidator(_street)]


class LocationComponent(Component):
    """locationComponent (LocationInformationType); plain latitude/longitude also accepted."""

    location_type_description_registry_text: str | None = None
    location_by_value: Annotated[
        InstanceOf[PidfLocation] | None, BeforeValidator(_location_value)
    ] = None
    location_description_text: str | None = None
    cross_street_by_value: list[Street] = []
    intersecting_street_by_value: list[Street] = []
    latitude: float | None = Field(None, allow_inf_nan=True)
    longitude: float | None = Field(None, allow_inf_nan=True)

    @field_validator("latitude")
    @classmethod
    def _latitude(cls, value: float | None) -> float | None:
        if value is not None and (math.isnan(value) or abs(value) > 90):
            raise _problem(f"latitude {value:g} out of range -90..90")
        return value

    @field_validator("longitude")
    @classmethod
    def _longitude(cls, value: float | None, info: ValidationInfo) -> float | None:
        if value is None:
            return None
        lat = info.data.get("latitude")
        problem = coordinate_problem(lat if isinstance(lat, float) else 1.0, value)
        if problem:
            raise _problem(problem)
        return value

    def position(self) -> Position | None:
        """The component's position: from PIDF-LO or from plain coordinates."""
        if self.location_by_value is not None and self.location_by_value.position is not None:
            return self.location_by_value.position
        if self.latitude is not None and self.longitude is not None:
            return Position(self.latitude, self.longitude)
        return None


class AgencyComponent(Component):
    """agencyComponent (AgencyType); agencyType may be one string (older producers)."""

    agency_role_description_registry_text: StrList = []
    agency_type: StrList = []
    agency_jcard: str | None = None
    agency_name: str | None = None
    incident_owning_agency_indicator: bool = False


class CallComponent(Component):
    """callComponent (CallInformationType): only the start time is read."""

    call_start_timestamp: Timestamp | None = None


class NotesComponent(Component):
    """notesComponent (NotesType)."""

    last_update_time_stamp: Timestamp
    notes_action_comments: str
    agent_reference: Reference | None = None


class ResourceComponent(Component):
    """emergencyResourceComponent (EmergencyResourceType): a unit."""

    last_update_time_stamp: Timestamp
    emergency_resource_type_common_registry_text: Text
    primary_unit_status_registry_text: Text
    emergency_resource_name: str | None = None
    unit_location_reference: Reference | None = None


class CautionComponent(Component):
    """cautionComponent (CautionType)."""

    caution_type_internal_text: str
    caution_type_common_registry_text: Text
    caution_severity: Literal["highest", "high", "normal", "low", "lowest"]
    caution_source: str | None = None
    start_date: Timestamp | None = None


class PersonComponent(Component):
    """personComponent (PersonInformationType); ncPersonComponent is NIEM and read leniently."""

    person_incident_role_registry_text: Annotated[StrList, Field(min_length=1)]
    nc_person_component: Any = None


class VehicleComponent(Component):
    """vehicleComponent (VehicleInformationType); ncVehicleComponent is NIEM, read leniently."""

    vehicle_relationship_type: Annotated[StrList, Field(min_length=1)]
    vehicle_relationship_time_stamp: Timestamp | None = None
    nc_vehicle_component: Any = None


def _one_incident(value: Any) -> Any:
    if isinstance(value, list):
        if len(value) != 1:
            raise _problem(f"one incident component expected, got a list of {len(value)}")
        return value[0]
    return value


def _version(value: str) -> str:
    if value != EIDO_VERSION:
        raise _problem(f"unsupported eidoVersion {value!r} (expected {EIDO_VERSION!r})")
    return value


class Eido(Component):
    """EmergencyIncidentDataObjectType: one EIDO."""

    last_update_time_stamp: Timestamp
    eido_version: Annotated[str, AfterValidator(_version)]
    issuing_element_identification: Text
    agency_component: list[AgencyComponent]
    incident_component: Annotated[IncidentComponent | None, BeforeValidator(_one_incident)] = None
    call_component: list[CallComponent] = []
    location_component: list[LocationComponent] = []
    notes_component: list[NotesComponent] = []
    emergency_resource_component: list[ResourceComponent] = []
    caution_component: list[CautionComponent] = []
    person_component: list[PersonComponent] = []
    vehicle_component: list[VehicleComponent] = []
