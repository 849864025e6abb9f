"""What the roster takes in (positions, statuses) and gives out (units, nearby units)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from watchfloor.events.cad import UnitReport, UnitStatus

UNITS_REPORTED = "cad.units.reported"
"""Bus kind: a CAD update named units (payload UnitsReported), so the roster follows them."""

STATUSES = frozenset(s.value for s in UnitStatus)
AVAILABLE = frozenset({UnitStatus.AVAILABLE.value, UnitStatus.CLEARED.value})


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


class UnitOut(BaseModel):
    """A unit as the roster shows it."""

    model_config = ConfigDict(from_attributes=True)

    code: str
    name: str
    kind: str
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


class PositionsResult(BaseModel):
    """What the feed route answers."""

    accepted: int
