"""Shapes of footage requests: what the RTCC sends and sees, what an owner sees and answers, the
supervisor's statistics and the public transparency numbers. Every text has a size limit."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
)

from watchfloor.domain.community.vocabulary import RequestKind, RequestStatus, UploadStatus

REQUEST_CHANGED = "community.request.changed"
"""The bus subject of a footage request's change of status."""

Id = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=36)]
Note = Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class _Out(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class FootageRequestIn(_In):
    """An operator's request for footage of an incident's time window from listed cameras."""

    incident_id: Id
    camera_ids: list[Id] = Field(min_length=1, max_length=50)
    kind: RequestKind
    window_from: AwareDatetime
    window_to: AwareDatetime
    reason: Annotated[str, StringConstraints(strip_whitespace=True, min_length=10, max_length=2000)]

    @field_validator("window_to")
    @classmethod
    def _window_runs_forward(cls, value: datetime, info: ValidationInfo) -> datetime:
        start = info.data.get("window_from")
        if start is not None and value <= start:
            raise ValueError("must be after window_from")
        return value


class RequestChanged(BaseModel):
    """Bus payload: a footage request's status changed."""

    id: str
    incident_id: str
    status: str


class UploadOut(_Out):
    """One file an owner sends: how much has arrived and what became of it."""

    id: str
    filename: str
    size: int
    received: int
    status: UploadStatus
    media_type: str | None
    sha256: str | None
    problem: str | None


class RequestFileOut(UploadOut):
    """An uploaded file as the RTCC sees it, with the evidence item it became."""

    evidence_code: str | None


class FootageRequestOut(_Out):
    """A footage request as the RTCC tracks it; never the owner's contact details."""

    id: str
    site_id: str | None
    site_label: str
    camera_ids: list[str]
    incident_id: str
    incident_type: str
    kind: RequestKind
    window_from: datetime
    window_to: datetime
    reason: str
    requested_by: str
    status: RequestStatus
    created_at: datetime
    opened_at: datetime | None
    answered_at: datetime | None
    reminded_at: datetime | None
    footage_lost_at: datetime
    expires_at: datetime
    decline_note: str | None
    useful: bool | None
    files: list[RequestFileOut]


class OwnerRequest(_Out):
    """A request as its owner sees it on the private page: when, for what, and why."""

    id: str
    created_at: datetime
    incident_type: str
    kind: RequestKind
    window_from: datetime
    window_to: datetime
    reason: str
    status: RequestStatus
    answered_at: datetime | None


class AnswerCamera(BaseModel):
    """One of the owner's cameras a request names."""

    id: str
    label: str


class AnswerView(BaseModel):
    """What the owner's answer page shows for one request."""

    request_id: str
    incident_type: str
    kind: RequestKind
    window_from: datetime
    window_to: datetime
    reason: str
    cameras: list[AnswerCamera]
    status: RequestStatus
    expires_at: datetime
    footage_lost_at: datetime
    max_file_bytes: int
    chunk_bytes: int
    accepted: list[str]
    files: list[UploadOut]


class FileIn(_In):
    """A file the owner is about to upload."""

    filename: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=255)]
    size: int = Field(ge=1, le=2**50)


class AnswerIn(_In):
    """The owner's optional words with an answer."""

    note: Note | None = None


class WithdrawIn(_In):
    """Why the RTCC no longer needs the footage."""

    reason: Annotated[str, StringConstraints(strip_whitespace=True, min_length=5, max_length=2000)]


class UsefulIn(_In):
    """Whether the footage helped."""

    useful: bool


class RequestStats(BaseModel):
    """Footage requests sent in a period and how they were answered."""

    since: datetime
    until: datetime
    sent: int
    opened: int
    uploaded: int
    declined: int
    expired: int
    withdrawn: int
    useful: int
    not_useful: int
    answer_rate: float
    median_hours_to_answer: float | None


class MonthCount(BaseModel):
    """Requests of one calendar month and how many were answered."""

    month: str
    requests: int
    answered: int


class Transparency(BaseModel):
    """The program's public numbers: aggregate counts only."""

    as_of: datetime
    registrations: int
    cameras: int
    requests: int
    answered: int
    uploaded: int
    declined: int
    months: list[MonthCount]
