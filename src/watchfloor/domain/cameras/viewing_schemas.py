"""Shapes of audited camera viewing: why a view is opened, what it may do, what supervisors see."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, model_validator

from watchfloor.domain.cameras.schemas import AccessLevel


class VideoAction(StrEnum):
    """What an operator does with a camera's video."""

    LIVE = "live"
    PLAYBACK = "playback"
    PTZ = "ptz"
    SNAPSHOT = "snapshot"
    RECORD = "record"
    EXPORT = "export"


class ReasonKind(StrEnum):
    """The grounds for looking: a call, an alert, or proactive monitoring (with a note)."""

    INCIDENT = "incident"
    ALERT = "alert"
    PROACTIVE = "proactive"


ALLOWED_ACTIONS: dict[AccessLevel, frozenset[VideoAction]] = {
    AccessLevel.LIVE: frozenset(VideoAction),
    AccessLevel.RECORDED_ONLY: frozenset({VideoAction.PLAYBACK, VideoAction.EXPORT}),
    AccessLevel.REQUEST_ONLY: frozenset(),
}
"""What each camera access level lets the floor do through Watchfloor."""

REFUSALS = {
    AccessLevel.RECORDED_ONLY: "this camera is recorded only: no live view, PTZ or snapshots",
    AccessLevel.REQUEST_ONLY: "this camera's footage is available only on request to its owner",
}


class ViewReason(BaseModel):
    """Why a camera is opened: an incident number, an alert, or a proactive-monitoring note."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: ReasonKind
    ref: str | None = Field(None, min_length=1, max_length=100, description="incident or alert")
    note: str | None = Field(None, max_length=500)

    @model_validator(mode="after")
    def _grounded(self) -> ViewReason:
        if self.kind in (ReasonKind.INCIDENT, ReasonKind.ALERT) and not (self.ref or "").strip():
            raise ValueError(f"ref: a {self.kind.value} reason names the {self.kind.value}")
        if self.kind is ReasonKind.PROACTIVE and len((self.note or "").strip()) < 5:
            raise ValueError("note: proactive monitoring needs a note of at least 5 characters")
        return self

    def text(self) -> str:
        """The reason as one line for the audit log."""
        parts = [self.kind.value, self.ref or "", (self.note or "").strip()]
        return ": ".join(part for part in parts if part)


class ViewIn(BaseModel):
    """A request to open a camera for an action, with its reason."""

    model_config = ConfigDict(extra="forbid")

    action: VideoAction = VideoAction.LIVE
    reason: ViewReason


class ViewOut(BaseModel):
    """An opened (or ended) view of a camera."""

    model_config = ConfigDict(frozen=True, from_attributes=True)

    view_id: str
    camera: str
    action: VideoAction
    username: str
    reason_kind: ReasonKind
    reason_ref: str | None
    reason_note: str | None
    parent_id: str | None
    started_at: datetime
    ended_at: datetime | None
    duration_s: float | None


class CameraUse(BaseModel):
    """One camera's share of a person's viewing in a period."""

    camera: str
    views: int
    seconds: float
    actions: dict[str, int]


class UsageReport(BaseModel):
    """A person's (or everyone's) camera use in a period: the supervisor's quarterly audit."""

    person: str | None
    camera: str | None
    since: datetime
    until: datetime
    views: int
    seconds: float
    without_end: int = Field(description="views never closed (a lost console), counted as 0 s")
    by_camera: list[CameraUse]
    by_reason: dict[str, int]
    entries: list[ViewOut]
