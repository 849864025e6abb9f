"""Decoding an electronic-monitoring post: one position object or a list of them. Every problem
is named by its JSON pointer; nothing is stored from a post with any problem."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import orjson
from pydantic import TypeAdapter, ValidationError

from watchfloor.core.errors import FieldProblem, InvalidInput, MalformedInput
from watchfloor.domain.geofences.schemas import PositionIn

_POSITION = TypeAdapter(PositionIn)


def decode_positions(
    raw: bytes, max_positions: int, now: datetime, future_tolerance_s: float
) -> list[PositionIn]:
    """The positions of a post, or MalformedInput / InvalidInput naming the fields at fault."""
    try:
        document: Any = orjson.loads(raw)
    except orjson.JSONDecodeError as error:
        raise MalformedInput("not JSON", [FieldProblem("", f"not JSON: {error}")]) from None
    listed = isinstance(document, list)
    items: list[Any] = document if listed else [document]
    if not items:
        raise InvalidInput("no positions", [FieldProblem("", "the list has no positions")])
    if len(items) > max_positions:
        reason = f"{len(items)} positions; at most {max_positions} in one post"
        raise InvalidInput("too many positions", [FieldProblem("", reason)])
    latest = now + timedelta(seconds=future_tolerance_s)
    positions: list[PositionIn] = []
    problems: list[FieldProblem] = []
    for index, item in enumerate(items):
        prefix = f"/{index}" if listed else ""
        position = _one(item, prefix, latest, problems)
        if position is not None:
            positions.append(position)
    if problems:
        raise InvalidInput(f"{len(problems)} problems in the positions", problems)
    return positions


def _one(
    item: Any, prefix: str, latest: datetime, problems: list[FieldProblem]
) -> PositionIn | None:
    if not isinstance(item, dict):
        problems.append(FieldProblem(prefix, "a position is a JSON object"))
        return None
    try:
        position = _POSITION.validate_python(item)
    except ValidationError as error:
        problems.extend(_problems(error, prefix))
        return None
    if position.at.tzinfo is None or position.at.utcoffset() is None:
        problems.append(FieldProblem(f"{prefix}/at", "needs a UTC offset (e.g. Z)"))
        return None
    if position.at > latest:
        problems.append(FieldProblem(f"{prefix}/at", "is in the future"))
        return None
    return position


def _problems(error: ValidationError, prefix: str) -> list[FieldProblem]:
    problems = []
    for detail in error.errors(include_url=False, include_context=False, include_input=False):
        path = "".join(f"/{part}" for part in detail["loc"])
        reason = "required field is missing" if detail["type"] == "missing" else detail["msg"]
        problems.append(FieldProblem(prefix + path, reason))
    return problems
