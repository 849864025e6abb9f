"""What the rules decide: small values the executor turns into effects (writes, PTZ, mail)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from watchfloor.domain.incidents.local import LocalIncident

PENDING = "pending:"
"""Prefix of the id of an incident the engine is still opening (pending:<alert id>)."""


@dataclass(frozen=True, slots=True)
class SetPriority:
    """Give an alert the priority its kind's rule says."""

    alert_id: str
    priority: int
    rule: str = "severity"


@dataclass(frozen=True, slots=True)
class Merge:
    """Merge a duplicate alert into the alert it repeats (all sources kept)."""

    into_id: str
    duplicate_id: str
    distance_m: float
    rule: str = "duplicates"


@dataclass(frozen=True, slots=True)
class Attach:
    """Attach an alert to an incident (maybe one still being opened: id PENDING + alert id)."""

    alert_id: str
    incident_id: str
    distance_m: float
    rule: str = "incident_link"


@dataclass(frozen=True, slots=True)
class OpenIncident:
    """Open a local incident at an alert, then attach the alert to it."""

    alert_id: str
    spec: LocalIncident
    rule: str = "gunshot_incident"

    @property
    def pending_id(self) -> str:
        """The id the engine knows the incident by until it exists."""
        return PENDING + self.alert_id


@dataclass(frozen=True, slots=True)
class CueCameras:
    """Find the cameras that can see the alert and slew covering PTZ cameras to it."""

    alert_id: str
    lat: float
    lon: float
    rule: str = "camera_cue"


@dataclass(frozen=True, slots=True)
class SweepPlates:
    """Count plate reads near the alert in a window around it; record them on its incident."""

    alert_id: str
    lat: float
    lon: float
    start: float
    end: float
    radius_m: float
    rule: str = "plate_sweep"


@dataclass(frozen=True, slots=True)
class ListUnits:
    """Find the nearest units to the alert; record them on its incident."""

    alert_id: str
    lat: float
    lon: float
    limit: int
    rule: str = "nearest_units"


@dataclass(frozen=True, slots=True)
class Escalate:
    """Escalate an unacknowledged alert to the supervisor(s) on duty (else the on-call list)."""

    alert_id: str
    priority: int
    waited_s: float
    rule: str = "escalation"


@dataclass(frozen=True, slots=True)
class CallOut:
    """Call the on-call supervisor(s) out: a significant incident outside operating hours."""

    subject_key: str
    alert_id: str | None
    incident_id: str | None
    summary: str
    details: dict[str, Any] = field(default_factory=dict)
    rule: str = "callout"


Action = (
    SetPriority | Merge | Attach | OpenIncident | CueCameras | SweepPlates | ListUnits | Escalate
) | CallOut
