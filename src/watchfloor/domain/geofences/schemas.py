"""API shapes of geofences and monitored-person positions (JSON field names are fixed by the
issue 6 contract)."""

from __future__ import annotations

from datetime import datetime, time
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

RuleName = Literal["hotlisted_read_inside", "monitored_person_enters", "monitored_person_leaves"]
HOTLIST_RULE = "hotlisted_read_inside"
ENTERS_RULE = "monitored_person_enters"
LEAVES_RULE = "monitored_person_leaves"
MONITORING_RULES = frozenset({ENTERS_RULE, LEAVES_RULE})
Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
WEEKDAYS: tuple[Weekday, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class GeofenceKind(StrEnum):
    """What a zone is, in the RTCC's words."""

    SCHOOL_ZONE = "school_zone"
    EXCLUSION_ZONE = "exclusion_zone"  # a monitored person must stay out
    INCLUSION_ZONE = "inclusion_zone"  # a monitored person must stay in
    CRITICAL_SITE = "critical_site"

    @property
    def text(self) -> str:
        """The kind as an operator reads it ("school zone")."""
        return self.value.replace("_", " ")


class GeofenceRule(BaseModel):
    """One rule of a geofence; reason_codes narrow the hotlist rule, subjects name the persons a
    monitoring rule watches (empty or absent: every monitored person)."""

    model_config = ConfigDict(extra="forbid")

    rule: RuleName
    reason_codes: list[str] | None = Field(None, max_length=50)
    subjects: list[str] | None = Field(None, max_length=500)


class ActiveHours(BaseModel):
    """When the rules apply: from start to end (local time; an end before the start runs past
    midnight) on the days listed, in `timezone` (default: the installation's)."""

    model_config = ConfigDict(extra="forbid")

    start: time
    end: time
    days: list[Weekday] = Field(default_factory=lambda: list(WEEKDAYS), min_length=1)
    timezone: str | None = Field(None, max_length=64)


class GeofenceIn(BaseModel):
    """A geofence as written by a supervisor or admin."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200)
    kind: GeofenceKind
    polygon: list[list[float]] = Field(description="[[lat, lon], ...]; closed if it is not")
    rules: list[GeofenceRule] = Field(default_factory=list, max_length=20)
    active: bool = True
    hours: ActiveHours | None = None


class GeofenceOut(BaseModel):
    """A stored geofence."""

    model_config = ConfigDict(from_attributes=True, frozen=True)

    id: str
    name: str
    kind: GeofenceKind
    polygon: list[list[float]]
    rules: list[GeofenceRule]
    active: bool
    hours: ActiveHours | None
    created_at: datetime
    created_by: str
    updated_at: datetime
    updated_by: str

    def rule(self, name: str) -> GeofenceRule | None:
        """This geofence's rule of that name, if it has one."""
        return next((r for r in self.rules if r.rule == name), None)

    def watches(self, person_ref: str) -> bool:
        """Whether a monitoring rule of this geofence concerns the person."""
        return any(
            r.rule in MONITORING_RULES and (not r.subjects or person_ref in r.subjects)
            for r in self.rules
        )

    @property
    def label(self) -> str:
        """Its name with its kind, once ("Lincoln Elementary school zone")."""
        kind = self.kind.text
        return self.name if kind in self.name.lower() else f"{self.name} {kind}"


class PositionIn(BaseModel):
    """One position from an electronic-monitoring feed."""

    model_config = ConfigDict(extra="ignore")

    person_ref: str = Field(min_length=1, max_length=100)
    program: str | None = Field(None, max_length=100)
    at: datetime
    latitude: float = Field(ge=-90, le=90)
    longitude: float = Field(ge=-180, le=180)
    accuracy_m: float | None = Field(None, ge=0)


class PositionsResult(BaseModel):
    """What a monitoring post did: positions stored, repeats ignored, rule firings."""

    accepted: int
    duplicates: int
    fired: int


class RuleFired(BaseModel):
    """A geofence rule fired (bus kind `geofence.rule.fired`)."""

    model_config = ConfigDict(frozen=True)

    geofence_id: str
    rule: str
    source_ref: str
    title: str
