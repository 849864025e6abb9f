"""What the plate-reader domain takes in and hands out: readers, intake results, alerts."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class _Out(BaseModel):
    model_config = ConfigDict(frozen=True, from_attributes=True)


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ReaderIn(_In):
    """A plate reader to register (or the new state of one)."""

    code: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9._:-]+$")
    name: str = Field(min_length=1, max_length=200)
    kind: Literal["fixed", "mobile"]
    agency: str | None = Field(None, max_length=100)
    lat: float | None = Field(None, ge=-90, le=90)
    lon: float | None = Field(None, ge=-180, le=180)
    heading: float | None = Field(None, ge=0, le=360, description="degrees the reader faces")
    direction: str | None = Field(None, max_length=40, description='e.g. "northbound"')
    lanes: int | None = Field(None, ge=0, le=20)
    camera_ref: str | None = Field(None, max_length=100)
    active: bool = True


class ReaderOut(_Out):
    """A registered plate reader."""

    id: int
    code: str
    name: str
    kind: str
    agency: str | None
    lat: float | None
    lon: float | None
    heading: float | None
    direction: str | None
    lanes: int | None
    camera_ref: str | None
    active: bool


class RejectedRead(_Out):
    """A read of a batch that was refused and quarantined, and why."""

    index: int
    problems: list[dict[str, str]]


class IntakeResult(_Out):
    """What became of a posted read or batch."""

    accepted: int
    hits: int
    alerts: list[str] = Field(description="ids of alerts raised or joined")
    rejected: list[RejectedRead] = []
    quarantine_id: str | None = None


class ImageOut(_Out):
    """An image stored for later reads to refer to by its SHA-256."""

    sha256: str
    media_type: str
    size: int


class AlertStatus(StrEnum):
    """Where an alert is in its verification."""

    PENDING = "pending"  # raised; nobody may act on it yet
    ACTIONABLE = "actionable"  # verified: plate matches the image, entry confirmed active
    CLOSED = "closed"  # a disposition was recorded


class Disposition(StrEnum):
    """How the operator closed an alert."""

    CONFIRMED = "confirmed"
    MISREAD = "misread"
    ENTRY_NOT_ACTIVE = "entry_not_active"
    NO_ACTION = "no_action"


class Outcome(StrEnum):
    """What came of a confirmed alert in the field."""

    STOP_MADE = "stop_made"
    VEHICLE_RECOVERED = "vehicle_recovered"
    ARREST = "arrest"
    NONE = "none"


class AlertSummary(_Out):
    """An alert as the console's list and live channel show it."""

    id: str
    raised_at: datetime
    last_seen_at: datetime
    repeat_count: int
    plate_read: str
    plate_entry: str
    reason_code: str
    severity: str
    match_kind: str
    substitutions: int
    state_match: str
    corroboration: float | None
    score: float
    explanation: str
    stale: bool
    status: AlertStatus
    disposition: Disposition | None
    outcome: Outcome | None
    reader_code: str
    hotlist_id: int
    hotlist_name: str
    lat: float | None
    lon: float | None
    heading: float | None
    has_image: bool


class AlertDetail(AlertSummary):
    """Everything about one alert (an audited read): the read, the entry, the verification."""

    read: dict[str, Any]
    entry: dict[str, Any]
    corroboration_detail: dict[str, str]
    plate_image: str | None
    vehicle_image: str | None
    plate_matches_image: bool | None
    entry_confirmed_active: bool | None
    confirmed_with: str | None
    verification_note: str | None
    verified_by: str | None
    verified_at: datetime | None
    disposition_by: str | None
    disposition_at: datetime | None
    outcome_note: str | None
    outcome_by: str | None
    outcome_at: datetime | None
    case_number: str | None
    incident_id: str | None


class VerificationIn(_In):
    """The operator's check before anyone acts: the image shows this plate; the entry is still
    active, confirmed with its source (an NCIC or state query)."""

    plate_matches_image: bool
    entry_confirmed_active: bool
    confirmed_with: str | None = Field(
        None, max_length=200, description="how the entry was confirmed, e.g. the NCIC query ref"
    )
    note: str | None = Field(None, max_length=2000)


class DispositionIn(_In):
    """How the alert is closed."""

    disposition: Disposition
    note: str | None = Field(None, max_length=2000)


class OutcomeIn(_In):
    """What came of a confirmed alert."""

    outcome: Outcome
    note: str | None = Field(None, max_length=2000)
    case_number: str | None = Field(None, max_length=100)
    incident_id: str | None = Field(None, max_length=36)


class PrecisionRow(_Out):
    """Hits of one reader or one hotlist and how many were confirmed."""

    key: str
    name: str
    hits: int
    confirmed: int
    misread: int
    entry_not_active: int
    no_action: int
    open: int
    precision: float | None = Field(description="confirmed / all hits; None with no hits")


class PrecisionOut(_Out):
    """Precision per reader and per hotlist: bad readers and bad lists become visible."""

    readers: list[PrecisionRow]
    hotlists: list[PrecisionRow]
