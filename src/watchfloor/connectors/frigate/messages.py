"""Frigate's MQTT messages, decoded.

`<prefix>/events` (one message per change of a tracked object) and `<prefix>/reviews` (one per
change of a review item, Frigate 0.14 and later) both carry `{"type": "new"|"update"|"end",
"before": {...}, "after": {...}}`. Times are Unix seconds (floats). Only what an alert needs is
modelled; unknown fields are ignored. Sub-labels (recognised faces, names) and attributes such as
`face` are deliberately not read: biometric results stay out of Watchfloor.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from watchfloor.core.errors import FieldProblem, InvalidInput, MalformedInput

MAX_PROBLEMS = 20


class _Frigate(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")


class TrackedObject(_Frigate):
    """A tracked object (`events` before/after)."""

    id: str = Field(min_length=1, max_length=100)
    camera: str = Field(min_length=1, max_length=100)
    label: str = Field(min_length=1, max_length=64)
    start_time: float = Field(gt=0)
    end_time: float | None = None
    score: float | None = Field(None, ge=0, le=1)
    top_score: float | None = Field(None, ge=0, le=1)
    false_positive: bool = False
    current_zones: list[str] = Field(default_factory=list, max_length=64)
    entered_zones: list[str] = Field(default_factory=list, max_length=64)
    has_snapshot: bool = False
    has_clip: bool = False
    stationary: bool = False


class EventMessage(_Frigate):
    """A `frigate/events` message."""

    type: Literal["new", "update", "end"]
    before: TrackedObject | None = None
    after: TrackedObject


class ReviewData(_Frigate):
    """What a review item holds: its tracked objects (event ids), labels and zones."""

    detections: list[str] = Field(default_factory=list, max_length=1000)
    objects: list[str] = Field(default_factory=list, max_length=100)
    zones: list[str] = Field(default_factory=list, max_length=64)
    audio: list[str] = Field(default_factory=list, max_length=64)


class ReviewItem(_Frigate):
    """A review item (`reviews` before/after): one activity on one camera."""

    id: str = Field(min_length=1, max_length=100)
    camera: str = Field(min_length=1, max_length=100)
    start_time: float = Field(gt=0)
    end_time: float | None = None
    severity: Literal["alert", "detection"]
    thumb_path: str | None = Field(None, max_length=500)
    data: ReviewData = ReviewData()


class ReviewMessage(_Frigate):
    """A `frigate/reviews` message."""

    type: Literal["new", "update", "end"]
    before: ReviewItem | None = None
    after: ReviewItem


def decode(kind: Literal["events", "reviews"], raw: bytes) -> EventMessage | ReviewMessage:
    """A message of either topic; MalformedInput when it is not JSON, InvalidInput naming each
    bad field by JSON pointer otherwise."""
    model: type[EventMessage] | type[ReviewMessage] = (
        EventMessage if kind == "events" else ReviewMessage
    )
    try:
        return model.model_validate(_json(raw))
    except ValidationError as exc:
        problems = [_problem(error) for error in exc.errors()[:MAX_PROBLEMS]]
        reason = problems[0].reason
        raise InvalidInput(f"not a Frigate {kind} message: {reason}", problems) from None


def when(seconds: float) -> datetime:
    """A Frigate time (Unix seconds) as an aware datetime."""
    return datetime.fromtimestamp(seconds, UTC)


def _json(raw: bytes) -> Any:
    try:
        return json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise MalformedInput("not JSON", [FieldProblem("", str(exc)[:200])]) from None


def _problem(error: Any) -> FieldProblem:
    parts = [str(p).replace("~", "~0").replace("/", "~1") for p in error["loc"]]
    return FieldProblem("".join("/" + p for p in parts), str(error["msg"])[:200])
