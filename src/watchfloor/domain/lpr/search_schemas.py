"""What investigative search, legal holds and retention take in and hand out over HTTP."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class _Out(BaseModel):
    model_config = ConfigDict(frozen=True, from_attributes=True)


class CircleIn(_In):
    """Within radius_m metres of a point."""

    lat: float = Field(ge=-90.0, le=90.0, allow_inf_nan=False)
    lon: float = Field(ge=-180.0, le=180.0, allow_inf_nan=False)
    radius_m: float = Field(gt=0, le=100_000, allow_inf_nan=False)


class PolygonIn(_In):
    """Inside a ring of [lon, lat] points (GeoJSON order)."""

    polygon: list[tuple[float, float]] = Field(min_length=3, max_length=1000)


class SearchIn(_In):
    """An investigative search: a plate pattern and/or filters, a purpose and a case number."""

    plate: str | None = Field(
        None, max_length=40, description="ABC123 exact, ABC* prefix, *C12* or A?C123 wildcard"
    )
    since: AwareDatetime
    until: AwareDatetime
    area: CircleIn | PolygonIn | None = None
    reader_codes: list[str] = Field(default_factory=list, max_length=200)
    make: str | None = Field(None, max_length=40)
    model: str | None = Field(None, max_length=40)
    colour: str | None = Field(None, max_length=20)
    purpose: str = Field(max_length=100)
    case_number: str = Field(max_length=100)
    limit: int = Field(500, ge=1, le=5000)


class ReadHitOut(_Out):
    """One read found by a search."""

    id: int
    reader_code: str | None
    reader_name: str | None
    captured_at: datetime
    plate: str
    plate_raw: str
    region: str | None
    confidence: float | None
    lat: float | None
    lon: float | None
    heading: float | None
    direction: str | None
    lane: int | None
    speed_kmh: float | None
    plate_image: str | None = Field(description="SHA-256 of the plate crop, if stored")
    vehicle_image: str | None = Field(description="SHA-256 of the vehicle image, if stored")
    make: str | None
    model: str | None
    colour: str | None
    vehicle_kind: str | None
    hit: bool


class SearchOut(_Out):
    """The reads found, newest first."""

    search_id: str
    reads: list[ReadHitOut]
    truncated: bool = Field(description="more reads matched than the limit")


class PurposesOut(_Out):
    """The purposes a search may name, and those the agency prohibits."""

    purposes: list[str]
    prohibited: list[str]


class HoldIn(_In):
    """A legal hold: a case, a reason and at least one of plate, reader, time range."""

    case_number: str = Field(min_length=1, max_length=100)
    reason: str = Field(min_length=3, max_length=2000)
    plate: str | None = Field(None, max_length=32)
    reader_code: str | None = Field(None, max_length=64)
    since: AwareDatetime | None = None
    until: AwareDatetime | None = None


class ReleaseIn(_In):
    """Why a legal hold ends."""

    reason: str = Field(min_length=3, max_length=2000)


class HoldOut(_Out):
    """A legal hold."""

    id: str
    case_number: str
    reason: str
    plate: str | None
    reader_code: str | None
    since: datetime | None
    until: datetime | None
    created_by: str
    created_at: datetime
    released_by: str | None
    released_at: datetime | None
    release_reason: str | None = None
    active: bool


class PolicyOut(_Out):
    """The retention policy in force."""

    preset: str
    jurisdiction: str
    statute: str
    verification: str
    note: str
    nonhit_limit_s: int
    hit_limit_s: int
    nonhit_limit: str = Field(description="ISO 8601 duration")
    hit_limit: str = Field(description="ISO 8601 duration")
    overridden: bool = Field(description="the agency's settings override the preset's limits")


class ReceiptOut(_Out):
    """One class's purge receipt, as written to the audit log."""

    retention_class: str = Field(description="non_hit or hit")
    count: int
    oldest: datetime | None
    newest: datetime | None
    cutoff: datetime
    digest: str = Field(description="SHA-256 over the deleted read ids, ascending, one per line")
    kept_by_hold: int
    kept_with_case: int
    images_deleted: int
    plates_removed: int
    purged_at: datetime | None = None


class PurgeOut(_Out):
    """What one purge did."""

    ran_at: datetime
    receipts: list[ReceiptOut]


class RetentionOut(_Out):
    """The policy, the schedule and the last purge's receipts."""

    policy: PolicyOut
    purge_every_s: int
    last_purge: list[ReceiptOut]


def receipt_of(details: dict[str, Any], purged_at: datetime | None) -> ReceiptOut:
    """A receipt from the details of an `lpr.retention.purged` audit record."""
    return ReceiptOut(
        retention_class=details["class"],
        count=details["count"],
        oldest=details.get("oldest"),
        newest=details.get("newest"),
        cutoff=details["cutoff"],
        digest=details["digest"],
        kept_by_hold=details.get("kept_by_hold", 0),
        kept_with_case=details.get("kept_with_case", 0),
        images_deleted=details.get("images_deleted", 0),
        plates_removed=details.get("plates_removed", 0),
        purged_at=purged_at,
    )
