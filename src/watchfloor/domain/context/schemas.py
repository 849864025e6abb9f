"""The context packet's JSON (field names fixed by the issue 6 contract; the console renders it)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel

from watchfloor.domain.cameras.sight import SightingOut
from watchfloor.domain.lpr.nearby import PlateActivity
from watchfloor.domain.units.schemas import NearbyUnit

CONTEXT_ASSEMBLED = "context.packet.assembled"
"""Bus kind of a freshly assembled packet (payload PacketAssembled)."""


class Subject(BaseModel):
    """What the packet is about."""

    type: Literal["incident", "alert"]
    id: str


class Location(BaseModel):
    """Where the subject is."""

    lat: float
    lon: float
    address: str | None


class TypeCount(BaseModel):
    """Prior incidents of one type."""

    type_code: str
    type_text: str | None
    count: int


class PriorIncident(BaseModel):
    """One earlier incident near the location."""

    id: str
    type_code: str
    type_text: str | None
    priority: int | None
    received_at: datetime
    address: str | None
    distance_m: float


class PriorIncidents(BaseModel):
    """Incidents at and near the location in the look-back window."""

    radius_m: float
    since: datetime
    at_address: int
    nearby: int
    by_type: list[TypeCount]
    recent: list[PriorIncident]


class GunshotNear(BaseModel):
    """A gunshot detection near the location."""

    alert_id: str
    occurred_at: datetime
    rounds: int | None
    type: str | None
    distance_m: float
    incident_id: str | None


class FloorPlanRef(BaseModel):
    """A floor plan of a premise (fetched from the premises routes)."""

    id: str
    name: str
    media_type: str
    size: int


class PremiseNear(BaseModel):
    """Premise information at or beside the location."""

    id: str
    address: str
    distance_m: float
    hazards: list[str]
    notes: str | None
    floor_plans: list[FloorPlanRef]


class CommunityCamera(BaseModel):
    """A registered community (private) camera whose owner may share footage."""

    id: str
    name: str
    distance_m: float
    retention_days: int | None
    covers: list[str]
    site_id: str | None = None
    lat: float | None = None
    lon: float | None = None
    bearing: float | None = None
    fov_angle: float | None = None
    range_m: float | None = None
    accepts: list[str] = []
    site_kind: str | None = None


class Caution(BaseModel):
    """A CAD caution flag on the incident."""

    kind: str
    kind_text: str
    severity: str
    source: str | None


class AttachedAlert(BaseModel):
    """An alert attached to the incident."""

    alert_id: str
    kind: str
    title: str
    status: str
    priority: int
    occurred_at: datetime


class ContextPacket(BaseModel):
    """The incident (or alert) context packet. Sections needing a location are empty (or null)
    when the subject has none."""

    subject: Subject
    location: Location | None
    assembled_at: datetime
    took_ms: float
    cameras: list[SightingOut]
    units: list[NearbyUnit]
    prior_incidents: PriorIncidents | None
    plate_activity: PlateActivity | None
    gunshots: list[GunshotNear]
    premises: list[PremiseNear]
    community_cameras: list[CommunityCamera]
    cautions: list[Caution]
    alerts: list[AttachedAlert]


class PacketAssembled(BaseModel):
    """Bus payload of `context.packet.assembled`."""

    subject: Subject
    packet: ContextPacket
