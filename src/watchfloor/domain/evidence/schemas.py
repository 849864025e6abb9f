"""What video evidence takes in and hands out: items with their custody, packages, checks.

No schema carries where an item lies on disk: the store opens files, callers name codes."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_validator

MAX_PACKAGE_ITEMS = 500


class EvidenceKind(StrEnum):
    """How an item came to be evidence."""

    CLIP = "clip"  # a recording from a live view or its buffer
    SNAPSHOT = "snapshot"  # one frame, JPEG
    EXPORT = "export"  # footage exported from a recorder (VMS/NVR)
    UPLOAD = "upload"  # a file someone brought in (a business's footage)


class CustodyAction(StrEnum):
    """What was done with an item, as its chain of custody records it."""

    CREATED = "created"
    VIEWED = "viewed"  # played or shown inline
    DOWNLOADED = "downloaded"  # saved as a file
    PACKAGED = "packaged"  # put into a package for a named recipient
    TRANSFERRED = "transferred"  # the package handed over (downloaded for its recipient)
    VERIFIED = "verified"  # its stored bytes checked against the hash taken at creation


class _Out(BaseModel):
    model_config = ConfigDict(frozen=True, from_attributes=True)


class EvidenceOut(_Out):
    """An evidence item's metadata and the hash taken when it was created."""

    code: str
    kind: EvidenceKind
    media_type: str
    size_bytes: int
    sha256: str
    camera_code: str | None
    incident_ref: str | None
    alert_ref: str | None
    captured_from: datetime | None
    captured_to: datetime | None
    created_at: datetime
    created_by: str
    note: str | None
    legal_hold: bool
    deleted_at: datetime | None


class CustodyOut(_Out):
    """One entry of an item's chain of custody."""

    at: datetime
    actor_username: str
    actor_role: str | None
    action: CustodyAction
    reason: str | None
    recipient: str | None
    detail: dict[str, Any]


class EvidenceDetail(EvidenceOut):
    """An item with its whole chain of custody, oldest first."""

    custody: list[CustodyOut]


class PackageIn(BaseModel):
    """Which items go to whom, and why."""

    model_config = ConfigDict(extra="forbid")

    codes: list[str] = Field(min_length=1, max_length=MAX_PACKAGE_ITEMS)
    recipient: str = Field(min_length=2, max_length=200, description="agency or office receiving")
    purpose: str = Field(min_length=3, max_length=500, description="why it is released")

    @field_validator("codes")
    @classmethod
    def _distinct(cls, codes: list[str]) -> list[str]:
        if len(set(codes)) != len(codes):
            raise ValueError("an item may appear only once")
        return codes


class PackageOut(_Out):
    """A package: its items, recipient, purpose and the archive's hash."""

    code: str
    status: str
    created_at: datetime
    created_by: str
    recipient: str
    purpose: str
    item_codes: list[str]
    sha256: str | None
    size_bytes: int | None


class EvidenceQuery(BaseModel):
    """Which items a search wants; every field narrows the result."""

    model_config = ConfigDict(frozen=True)

    incident_ref: str | None = None
    camera_code: str | None = None
    kind: EvidenceKind | None = None
    since: AwareDatetime | None = None
    until: AwareDatetime | None = None
    include_deleted: bool = False
    limit: int = Field(100, ge=1, le=1000)


class ItemCheck(_Out):
    """Whether a stored item still has the bytes it had when it was created."""

    code: str
    ok: bool
    expected_sha256: str
    actual_sha256: str | None
    expected_size: int
    actual_size: int | None
    problem: str | None


class AlteredFile(_Out):
    """A file of a package whose bytes are not the ones it was listed with."""

    path: str
    against: str  # "SHA256SUMS", "manifest" or "archive"
    expected: str | None
    actual: str | None


class VerifyReport(_Out):
    """The result of checking a package: ok only when every file matches every listing."""

    ok: bool
    package: str | None
    archive_sha256: str | None
    files_checked: int
    altered: list[AlteredFile]
    missing: list[str]
    unexpected: list[str]
    disagreements: list[str]
    problems: list[str]
    recorded_match: bool | None = None  # the archive is the one this installation built
