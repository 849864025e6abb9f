"""What the quarantine hands out."""

from __future__ import annotations

import base64
from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from watchfloor.domain.quarantine.models import QuarantinedPayload


class QuarantineStatus(StrEnum):
    """held: waiting for a fix; replayed: accepted on replay; discarded: dropped with a reason."""

    HELD = "held"
    REPLAYED = "replayed"
    DISCARDED = "discarded"


class ProblemOut(BaseModel):
    """One rejected field."""

    model_config = ConfigDict(frozen=True)

    pointer: str
    reason: str


class QuarantinedOut(BaseModel):
    """A quarantined payload without its body."""

    model_config = ConfigDict(frozen=True)

    id: str
    source: str
    received_at: datetime
    content_type: str | None
    size: int
    truncated: bool
    status: QuarantineStatus
    error_code: str
    message: str
    problems: list[ProblemOut]
    replayed_at: datetime | None
    replay_outcome: str | None
    replayed_by: str | None
    discarded_reason: str | None

    @classmethod
    def of(cls, row: QuarantinedPayload) -> QuarantinedOut:
        """From a stored row."""
        values: dict[str, Any] = {
            name: getattr(row, name) for name in cls.model_fields if name != "problems"
        }
        return cls(**values, problems=[ProblemOut(**p) for p in row.problems])


class QuarantinedDetail(QuarantinedOut):
    """A quarantined payload with its body (base64, and as text when it is UTF-8)."""

    body_base64: str
    body_text: str | None = Field(None, description="the body decoded as UTF-8, when it decodes")

    @classmethod
    def of_with_body(cls, row: QuarantinedPayload) -> QuarantinedDetail:
        """From a stored row, body included."""
        base = QuarantinedOut.of(row).model_dump()
        try:
            text: str | None = row.body.decode("utf-8")
        except UnicodeDecodeError:
            text = None
        return cls(**base, body_base64=base64.b64encode(row.body).decode("ascii"), body_text=text)


class DiscardIn(BaseModel):
    """Why a quarantined payload is discarded."""

    model_config = ConfigDict(extra="forbid")

    reason: str = Field(min_length=3, max_length=1000)
