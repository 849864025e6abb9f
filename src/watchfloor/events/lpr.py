"""What plate readers report and what Watchfloor says about their hits, independent of the wire
format (HTTP JSON, MQTT, ONVIF).

Reads arrive by the tens of thousands per second, so a read is a msgspec Struct, not a pydantic
model: connectors build them, the LPR intake validates and stores them in batches. The bus only
carries batch summaries and alerts (pydantic payloads, like every other event).
"""

from __future__ import annotations

import re
from datetime import datetime
from enum import StrEnum

import msgspec
from pydantic import BaseModel, ConfigDict

_NOT_PLATE = re.compile(r"[^A-Z0-9]")


def normalize_plate(raw: str) -> str:
    """A plate as Watchfloor compares it: upper case, letters and digits only ("abc-12 3" ->
    "ABC123"). Hotlist entries and reads are both normalised this way."""
    return _NOT_PLATE.sub("", raw.upper())


class ImageRef(msgspec.Struct, frozen=True, kw_only=True, gc=False):
    """A plate or vehicle image: bytes sent with the read, or the SHA-256 of one uploaded before."""

    sha256: str | None = None
    data: bytes | None = None
    media_type: str | None = None


class VehicleSeen(msgspec.Struct, frozen=True, kw_only=True, gc=False):
    """What the reader's analytics say about the vehicle, where it says anything."""

    make: str | None = None
    model: str | None = None
    colour: str | None = None
    kind: str | None = None


class PlateReadReport(msgspec.Struct, frozen=True, kw_only=True, gc=False):
    """One plate read as a connector reported it (not yet validated against readers and time)."""

    reader: str
    captured_at: datetime
    plate: str
    region: str | None = None
    confidence: float | None = None
    lat: float | None = None
    lon: float | None = None
    heading: float | None = None
    direction: str | None = None
    lane: int | None = None
    speed_kmh: float | None = None
    plate_image: ImageRef | None = None
    vehicle_image: ImageRef | None = None
    vehicle: VehicleSeen | None = None
    vendor_id: str | None = None


class ReasonCode(StrEnum):
    """Why a plate is on a hotlist (NCIC list codes and local reasons, in RTCC words)."""

    STOLEN_VEHICLE = "stolen_vehicle"
    STOLEN_PLATE = "stolen_plate"
    FELONY_VEHICLE = "felony_vehicle"
    WANTED_PERSON = "wanted_person"
    MISSING_PERSON = "missing_person"
    AMBER = "amber"
    PROTECTION_ORDER = "protection_order"
    SUPERVISED_RELEASE = "supervised_release"
    PROTECTIVE_INTEREST = "protective_interest"
    VIOLENT_PERSON = "violent_person"
    GANG = "gang"
    SEX_OFFENDER = "sex_offender"
    STOLEN_CANADIAN_VEHICLE = "stolen_canadian_vehicle"
    BOLO = "bolo"
    OTHER = "other"


class _Payload(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ReadsStored(_Payload):
    """A batch of reads is durable and searchable (kind `lpr.reads.stored`)."""

    count: int
    hits: int
    source: str


class PlateAlertRaised(_Payload):
    """A hotlist hit became an alert an operator must verify (kind `lpr.alert.raised`, or
    `lpr.alert.updated` when a repeat read joins it or its state changes)."""

    alert_id: str
    plate: str
    reason_code: str
    severity: str
    match_kind: str
    status: str
    stale: bool
    reader_code: str
    lat: float | None
    lon: float | None
    heading: float | None
