"""What the hotlist routes take and hand out, and the payload of `hotlist.refreshed`."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from watchfloor.domain.hotlists.models import Hotlist, HotlistEntry, HotlistImport
from watchfloor.events.lpr import ReasonCode


class HotlistKind(StrEnum):
    """ncic: the FBI's NCIC extract; state: a state system's extract; local: the agency's own."""

    NCIC = "ncic"
    STATE = "state"
    LOCAL = "local"


class ImportStatus(StrEnum):
    """An import runs, then succeeds (entries replaced) or fails (previous entries kept)."""

    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"


class ImportTrigger(StrEnum):
    """What started an import: the refresh schedule, an uploaded file, or a person's refresh."""

    SCHEDULE = "schedule"
    UPLOAD = "upload"
    MANUAL = "manual"


class HotlistIn(BaseModel):
    """A new list. source_format is a registered parser (ncic_fixed, csv) or manual."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200)
    kind: HotlistKind
    source_format: str = Field(min_length=1, max_length=20)
    source_uri: str | None = Field(
        None, max_length=1000, description="local path (or file:// URI) where the extract lands"
    )
    refresh_every_minutes: int | None = Field(None, ge=5, le=7 * 24 * 60)
    max_age_minutes: int = Field(ge=1, le=365 * 24 * 60, description="older than this is stale")
    default_reason: ReasonCode | None = None


class ReasonIn(BaseModel):
    """Why something is done (deactivating a list, removing an entry)."""

    model_config = ConfigDict(extra="forbid")

    reason: str = Field(min_length=3, max_length=1000)


class ProblemLine(BaseModel):
    """One rejected line of an import."""

    model_config = ConfigDict(frozen=True)

    line: int
    reason: str


class ImportOut(BaseModel):
    """One import of a list: its progress while running, its counts when done."""

    model_config = ConfigDict(frozen=True)

    id: str
    hotlist_id: int
    status: ImportStatus
    trigger: ImportTrigger
    triggered_by: str
    started_at: datetime
    finished_at: datetime | None
    total_lines: int | None
    processed: int
    accepted: int
    rejected: int
    problems: list[ProblemLine] = Field(description="the first 200 rejected lines")
    source_sha256: str | None
    message: str | None

    @classmethod
    def of(cls, row: HotlistImport) -> ImportOut:
        """From a stored row."""
        values: dict[str, Any] = {
            name: getattr(row, name) for name in cls.model_fields if name != "problems"
        }
        return cls(**values, problems=[ProblemLine(**p) for p in row.problems])


class HotlistOut(BaseModel):
    """A list with its status: size, freshness and the last import."""

    model_config = ConfigDict(frozen=True)

    id: int
    name: str
    kind: HotlistKind
    source_format: str
    source_uri: str | None
    refresh_every_minutes: int | None
    max_age_minutes: int
    default_reason: str | None
    active: bool
    entry_count: int
    created_at: datetime
    created_by: str
    last_refreshed_at: datetime | None
    age_minutes: float | None = Field(description="minutes since the last refresh")
    stale: bool = Field(description="older than max_age_minutes, or never refreshed")
    last_import: ImportOut | None

    @classmethod
    def of(
        cls, row: Hotlist, *, age_minutes: float | None, stale: bool, last: HotlistImport | None
    ) -> HotlistOut:
        """From a stored row and its status now."""
        names = set(cls.model_fields) - {"age_minutes", "stale", "last_import"}
        values: dict[str, Any] = {name: getattr(row, name) for name in names}
        last_import = ImportOut.of(last) if last is not None else None
        return cls(**values, age_minutes=age_minutes, stale=stale, last_import=last_import)


class ManualEntryIn(BaseModel):
    """A plate put on a local list by a person, with the documented reason and an expiry."""

    model_config = ConfigDict(extra="forbid")

    plate: str = Field(min_length=1, max_length=32)
    state: str | None = Field(None, max_length=8)
    plate_type: str | None = Field(None, max_length=8)
    reason_code: ReasonCode
    reason: str = Field(min_length=1, max_length=4000, description="why the plate is listed")
    expires_at: AwareDatetime = Field(description="in the future, at most 30 days ahead")
    case_number: str | None = Field(None, max_length=100)
    make: str | None = Field(None, max_length=40)
    model: str | None = Field(None, max_length=40)
    colour: str | None = Field(None, max_length=40)
    vehicle_year: int | None = Field(None, ge=1900, le=2100)
    description: str | None = Field(None, max_length=2000)


class EntryOut(BaseModel):
    """One entry of a list."""

    model_config = ConfigDict(frozen=True)

    id: int
    hotlist_id: int
    plate: str
    plate_raw: str
    state: str | None
    plate_type: str | None
    reason_code: str
    list_code: str | None
    nic: str | None
    ori: str | None
    oca: str | None
    vehicle_year: int | None
    make: str | None
    model: str | None
    style: str | None
    colour: str | None
    description: str | None
    entered_at: datetime | None
    expires_at: datetime | None
    entered_by: str | None
    manual_reason: str | None
    case_number: str | None
    removed_at: datetime | None
    removed_by: str | None

    @classmethod
    def of(cls, row: HotlistEntry) -> EntryOut:
        """From a stored row."""
        return cls(**{name: getattr(row, name) for name in cls.model_fields})


class HotlistRefreshed(BaseModel):
    """A list's imported entries were replaced (kind `hotlist.refreshed`)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    hotlist_id: int
    name: str
    import_id: str
    trigger: str
    accepted: int
    rejected: int
    entry_count: int
