"""The one envelope for everything on the bus."""

from __future__ import annotations

import re
import uuid
from datetime import datetime
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field, field_validator

from watchfloor.core.context import RequestContext
from watchfloor.core.geo import GeoPoint

_KIND = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")
# Irregular past tenses that event kinds use ("lpr.plate.read", "alert.sent" ...).
_IRREGULAR_PAST = frozenset(
    {"read", "sent", "seen", "lost", "begun", "run", "found", "held", "made", "shot", "heard"}
)

P = TypeVar("P", bound=BaseModel)


def is_event_kind(kind: str) -> bool:
    """True when kind is dotted lower-case and ends in a past-tense verb."""
    if not _KIND.match(kind):
        return False
    last = kind.rsplit(".", 1)[1]
    return last.endswith("ed") or last in _IRREGULAR_PAST


class Event(BaseModel, Generic[P]):
    """A typed event: what happened (kind), where it came from, when, where, and who caused it."""

    model_config = ConfigDict(frozen=True)

    id: uuid.UUID = Field(default_factory=uuid.uuid4)
    kind: str
    source: str = Field(min_length=1, max_length=200)
    occurred_at: datetime
    received_at: datetime
    location: GeoPoint | None = None
    payload: P
    context: RequestContext | None = None

    @field_validator("kind")
    @classmethod
    def _kind_is_dotted_past_tense(cls, value: str) -> str:
        if not is_event_kind(value):
            raise ValueError(f"event kind {value!r} is not dotted, lower-case and past tense")
        return value

    @field_validator("occurred_at", "received_at")
    @classmethod
    def _aware(cls, value: datetime) -> datetime:
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError("event times must be timezone-aware")
        return value


AnyEvent = Event[Any]
