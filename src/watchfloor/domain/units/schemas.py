"""What the roster takes in (positions, statuses) and gives out (units, nearby units)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from watchfloor.events.cad import UnitReport, UnitStatus

UNITS_REPORTED = "cad.units.reported"
"""Bus kind: a CAD update named units (payload UnitsReported), so the roster follows them."""

STATUSES = frozenset(s.value for s in UnitStatus)
AVAILABLE = frozenset({UnitStatus.AVAILABLE.value, UnitStatus.CLEARED.value})

UNIT_CHANGED = "unit.changed"
"""Bus kind: a unit's position, status or details changed (payload UnitOut)."""


class UnitKind(StrEnum):
    """What a unit is; `unknown` for one first seen on a feed."""

    PATROL = "patrol"
    RTCC = "rtcc"
    SUPERVISOR = "supervisor"
    DETECTIVE = "detective"
    DRONE = "drone"
    FIRE = "fire"
    EMS = "ems"
    UNKNOWN = "unknown"


KINDS = frozenset(k.value for k in UnitKind)


def _aware(value: datetime) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("must carry a timezone offset")
    return value


AwareDateTime = Annotated[datetime, AfterValidator(_aware)]


class UnitsReported(BaseModel):
    """The units a CAD update carried for one incident (their status and CAD location)."""

    model_config = ConfigDict(frozen=True)

    incident_id: str
    units: list[UnitReport]


class UnitPosition(BaseModel):
    """One position report of a unit (AVL, phone app, CAD), as the feed route accepts it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    unit: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9._:-]*$")
    latitude: float = Field(ge=-90, le=90, allow_inf_nan=False)
    longitude: float = Field(ge=-180, le=180, allow_inf_nan=False)
    heading: float | None = Field(None, ge=0, lt=360, allow_inf_nan=False)
    speed_mps: float | None = Field(None, ge=0, le=150, allow_inf_nan=False)
    at: AwareDateTime
    status: str | None = Field(None, description="one of the unit statuses (events.cad.UnitStatus)")
    name: str | None = Field(None, min_length=1, max_length=200)
    kind: str | None = Field(None, min_length=1, max_length=100)
    agency: str | None = Field(None, min_length=1, max_length=100)


class StatusIn(BaseModel):
    """An operator's change of a unit's status."""

    model_config = ConfigDict(extra="forbid")

    status: UnitStatus


Tag = Annotated[str, Field(min_length=1, max_length=100)]


class UnitIn(BaseModel):
    """A unit as an admin or supervisor creates it."""

    model_config = ConfigDict(extra="forbid")

    code: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9._:-]*$")
    name: str | None = Field(None, min_length=1, max_length=200)
    kind: UnitKind = UnitKind.UNKNOWN
    agency: str | None = Field(None, min_length=1, max_length=100)
    crew: list[Tag] = Field(default_factory=list, max_length=20)
    capabilities: list[Tag] = Field(default_factory=list, max_length=50)


class UnitEdit(BaseModel):
    """An edit of a unit's details; fields left out stay as they are."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(None, min_length=1, max_length=200)
    kind: UnitKind | None = None
    agency: str | None = Field(None, min_length=1, max_length=100)
    crew: list[Tag] | None = Field(None, max_length=20)
    capabilities: list[Tag] | None = Field(None, max_length=50)


class TrailPoint(BaseModel):
    """One applied position on a unit's trail."""

    model_config = ConfigDict(from_attributes=True)

    lat: float
    lon: float
    at: datetime
    heading: float | None
    speed_mps: float | None
    source: str


class UnitOut(BaseModel):
    """A unit as the roster shows it."""

    model_config = ConfigDict(from_attributes=True)

    code: str
    name: str
    kind: str = Field(description="one of UnitKind")
    agency: str | None
    status: str
    status_at: datetime
    incident_id: str | None
    lat: float | None
    lon: float | None
    heading: float | None
    speed_mps: float | None
    position_at: datetime | None
    stale: bool = False
    crew: list[str] = []
    capabilities: list[str] = []
    kind_text: str | None = Field(None, description="the CAD's or feed's own word for the kind")
    position_source: str | None = None


class NearbyUnit(BaseModel):
    """A unit near a point (the context packet's and the correlation rules' shape)."""

    code: str
    name: str
    kind: str
    agency: str | None
    status: str
    distance_m: float
    position_at: datetime | None
    stale: bool
    incident_id: str | None


class RoutedUnit(BaseModel):
    """A unit ranked for an incident: straight-line distance and, where routed, travel time."""

    code: str
    name: str
    kind: str
    agency: str | None
    status: str
    lat: float
    lon: float
    position_at: datetime | None
    stale: bool
    incident_id: str | None
    distance_m: float = Field(description="straight-line distance")
    travel_s: float | None = Field(None, description="travel time over the streets")
    route_m: float | None = Field(None, description="length of that route")


class NearestUnits(BaseModel):
    """The nearest units to a point, ranked by distance or by travel time."""

    by: Literal["distance", "time"]
    lat: float
    lon: float
    units: list[RoutedUnit]


class PositionsResult(BaseModel):
    """What the feed route answers."""

    accepted: int
