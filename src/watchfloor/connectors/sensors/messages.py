"""The JSON sensor message format (HTTP POST bodies and MQTT payloads) decoded into
`SensorMessage`s.

A payload is one message object or a JSON array of them (at most `max_batch`, never empty):

    {"sensor_id": "FLOOD-0007", "kind": "flood", "at": "2026-11-21T14:00:00+00:00",
     "latitude": 60.1699, "longitude": 24.9384, "value": 1.42, "unit": "m",
     "severity": "severe", "message": "water over the road", "state": "active"}

Required: `sensor_id` (1-100), `kind` (1-50: flood, smoke, air_quality, door ...), `at` (ISO 8601
with an offset or `Z`), `latitude` -90..90 and `longitude` -180..180. Optional: `value` (a
number, or a short string for a reading such as "open"), `unit` (1-20), `severity` (1-50),
`message` (up to 500), `state` `active` (default) or `cleared`. Unknown fields are ignored. Every
bad field is named by its JSON pointer (`/3/latitude` in a batch, `/latitude` alone); one bad
message refuses the whole payload, so a payload is kept or quarantined whole.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, field_validator

from watchfloor.core.errors import FieldProblem, InvalidInput, MalformedInput

MAX_PROBLEMS = 50


class SensorMessage(BaseModel):
    """One sensor's report: what it senses, where, when, and whether the condition holds."""

    model_config = ConfigDict(frozen=True, extra="ignore", str_strip_whitespace=True)

    sensor_id: str = Field(min_length=1, max_length=100)
    kind: str = Field(min_length=1, max_length=50)
    at: datetime
    latitude: float = Field(ge=-90, le=90, allow_inf_nan=False)
    longitude: float = Field(ge=-180, le=180, allow_inf_nan=False)
    value: float | str | None = Field(None, union_mode="left_to_right")
    unit: str | None = Field(None, min_length=1, max_length=20)
    severity: str | None = Field(None, min_length=1, max_length=50)
    message: str | None = Field(None, max_length=500)
    state: Literal["active", "cleared"] = "active"

    @field_validator("at")
    @classmethod
    def _has_offset(cls, value: datetime) -> datetime:
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError("time has no UTC offset")
        return value

    @field_validator("value")
    @classmethod
    def _short_value(cls, value: float | str | None) -> float | str | None:
        if isinstance(value, str) and len(value) > 100:
            raise ValueError("a text value is at most 100 characters")
        return value


_ONE = TypeAdapter(SensorMessage)


def decode_sensor_messages(raw: bytes, max_batch: int) -> list[SensorMessage]:
    """The messages of a payload; MalformedInput when it is not JSON, InvalidInput naming every
    bad field otherwise."""
    try:
        document = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise MalformedInput("not JSON", [FieldProblem("", str(exc)[:200])]) from None
    batch = isinstance(document, list)
    items: list[Any] = document if batch else [document]
    if not items:
        raise InvalidInput("no sensor messages", [FieldProblem("", "the array is empty")])
    if len(items) > max_batch:
        reason = f"{len(items)} messages, at most {max_batch} in one payload"
        raise InvalidInput("too many sensor messages", [FieldProblem("", reason)])
    messages, problems = [], []
    for index, item in enumerate(items):
        prefix = f"/{index}" if batch else ""
        try:
            messages.append(_ONE.validate_python(item))
        except ValidationError as exc:
            problems += [_problem(prefix, error) for error in exc.errors()]
    if problems:
        unique = list(dict.fromkeys(problems))[:MAX_PROBLEMS]
        raise InvalidInput(f"{len(unique)} problems in the sensor messages", unique)
    return messages


def _problem(prefix: str, error: Any) -> FieldProblem:
    # The message is flat: its first location part is the field (the rest names union members).
    field = str(error["loc"][0]) if error["loc"] else ""
    path = "/" + field.replace("~", "~0").replace("/", "~1") if field else ""
    reason = "a number or a short text" if field == "value" else str(error["msg"])[:200]
    return FieldProblem(prefix + path, reason)
