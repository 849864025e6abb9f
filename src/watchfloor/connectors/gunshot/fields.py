"""Reading fields of a JSON webhook body one by one, naming every bad field by its JSON pointer
(RFC 6901) instead of stopping at the first. Shared by the gunshot and panic connectors."""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import datetime
from typing import Any

import msgspec

from watchfloor.core.errors import FieldProblem, InvalidInput, MalformedInput


def items_of(raw: bytes, wrapper: str) -> list[tuple[str, dict[str, Any]]]:
    """The objects of a body that is one object, a list of them, or `{wrapper: [...]}`, each
    with the pointer it sits at; MalformedInput for broken JSON, InvalidInput for bad shapes."""
    try:
        document = msgspec.json.decode(raw)
    except msgspec.DecodeError as exc:
        raise MalformedInput("body is not JSON", [FieldProblem("", str(exc))]) from None
    prefix = ""
    if isinstance(document, dict) and isinstance(document.get(wrapper), list):
        document, prefix = document[wrapper], f"/{wrapper}"
    if isinstance(document, dict):
        return [("", document)]
    if not isinstance(document, list):
        raise InvalidInput("body is not an object or a list", [FieldProblem("", "not an object")])
    if not document:
        raise InvalidInput("no alerts in the body", [FieldProblem(prefix, "empty list")])
    bad = [FieldProblem(f"{prefix}/{i}", "not an object") for i, item in enumerate(document)]
    bad = [p for p, item in zip(bad, document, strict=True) if not isinstance(item, dict)]
    if bad:
        raise InvalidInput(f"{len(bad)} items are not objects", bad)
    return [(f"{prefix}/{i}", item) for i, item in enumerate(document)]


class Fields:
    """Typed reads of one JSON object's fields; each bad field adds a problem and reads None."""

    def __init__(self, item: Mapping[str, Any], pointer: str, problems: list[FieldProblem]):
        self._item = item
        self._pointer = pointer
        self.problems = problems

    def _get(self, name: str, required: bool) -> Any:
        value = self._item.get(name)
        if value is None and required:
            self.bad(name, "required")
        return value

    def raw(self, name: str) -> Any:
        """The field as sent (None when absent)."""
        return self._item.get(name)

    def bad(self, name: str, reason: str) -> None:
        """Record a problem with one field."""
        escaped = name.replace("~", "~0").replace("/", "~1")
        self.problems.append(FieldProblem(f"{self._pointer}/{escaped}", reason))

    def text(self, name: str, max_length: int, *, required: bool = False) -> str | None:
        """A non-empty string of at most max_length characters (trimmed)."""
        value = self._get(name, required)
        if value is None:
            return None
        if not isinstance(value, str | int) or isinstance(value, bool):
            self.bad(name, "must be a string")
            return None
        text = str(value).strip()
        if not text or len(text) > max_length:
            self.bad(name, f"must be 1-{max_length} characters")
            return None
        return text

    def number(self, name: str, low: float, high: float, *, required: bool = False) -> float | None:
        """A finite number in [low, high]."""
        value = self._get(name, required)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.bad(name, "must be a number")
            return None
        if not math.isfinite(value) or not low <= value <= high:
            self.bad(name, f"must be between {low:g} and {high:g}")
            return None
        return float(value)

    def integer(self, name: str, low: int, high: int) -> int | None:
        """A whole number in [low, high]."""
        value = self._get(name, False)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.bad(name, "must be a whole number")
            return None
        if not low <= value <= high:
            self.bad(name, f"must be between {low} and {high}")
            return None
        return value

    def boolean(self, name: str) -> bool | None:
        """true or false."""
        value = self._get(name, False)
        if value is None or isinstance(value, bool):
            return value
        self.bad(name, "must be true or false")
        return None

    def time(self, name: str) -> datetime | None:
        """A required ISO 8601 time with a UTC offset (a local time is unknowable here)."""
        value = self._get(name, True)
        if value is None:
            return None
        try:
            parsed = datetime.fromisoformat(str(value)) if isinstance(value, str) else None
        except ValueError:
            parsed = None
        if parsed is None:
            self.bad(name, "must be an ISO 8601 time")
            return None
        if parsed.tzinfo is None or parsed.utcoffset() is None:
            self.bad(name, "must carry a UTC offset or Z")
            return None
        return parsed

    def choice(self, name: str, choices: Mapping[str, str]) -> str | None:
        """One of the keys of choices (case-insensitive), as its normalised value."""
        value = self._get(name, False)
        if value is None:
            return None
        found = choices.get(str(value).strip().lower()) if isinstance(value, str) else None
        if found is None:
            self.bad(name, f"must be one of {', '.join(sorted(set(choices.values())))}")
        return found

    def point(self, *, required: bool = True) -> tuple[float, float] | None:
        """`latitude` and `longitude` in range (both or neither when not required)."""
        present = self._item.get("latitude") is not None or self._item.get("longitude") is not None
        lat = self.number("latitude", -90.0, 90.0, required=required or present)
        lon = self.number("longitude", -180.0, 180.0, required=required or present)
        if lat is None or lon is None:
            return None
        if lat == 0.0 and lon == 0.0:
            self.bad("latitude", "0,0 is not a location (a device without a fix)")
            return None
        return lat, lon
