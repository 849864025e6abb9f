"""What a hotlist parser yields: a typed record per accepted line, a problem per rejected one."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from functools import lru_cache

import msgspec

from watchfloor.events.lpr import ReasonCode, normalize_plate

# Longest value each field may carry (the hotlist_entry columns); longer is a bad line.
MAX_LENGTHS: dict[str, int] = {
    "plate": 16,
    "plate_raw": 32,
    "state": 8,
    "plate_type": 8,
    "list_code": 8,
    "nic": 20,
    "ori": 20,
    "oca": 40,
    "make": 40,
    "model": 40,
    "style": 20,
    "colour": 40,
}
_STATE = re.compile(r"^[A-Z]{2,3}$")
REASON_CODES = frozenset(code.value for code in ReasonCode)


class HotlistRecord(msgspec.Struct, frozen=True, kw_only=True):
    """One plate of an extract, with why it is listed and the vehicle it should be."""

    line: int
    plate: str
    plate_raw: str
    reason_code: str
    state: str | None = None
    plate_type: str | None = None
    list_code: str | None = None
    nic: str | None = None
    ori: str | None = None
    oca: str | None = None
    vehicle_year: int | None = None
    make: str | None = None
    model: str | None = None
    style: str | None = None
    colour: str | None = None
    description: str | None = None
    entered_at: datetime | None = None
    expires_at: datetime | None = None


class LineProblem(msgspec.Struct, frozen=True):
    """A line that was not taken, and why (the line number counts from 1, header included)."""

    line: int
    reason: str


Parsed = HotlistRecord | LineProblem


class BadField(ValueError):
    """A field of one line is unusable; the line becomes a LineProblem with this reason."""


def text(value: str | None, name: str) -> str | None:
    """A trimmed optional field (None when blank), refused when longer than its column."""
    if value is None:
        return None
    value = value.strip()
    if not value:
        return None
    limit = MAX_LENGTHS.get(name)
    if limit is not None and len(value) > limit:
        raise BadField(f"{name} is longer than {limit} characters")
    return value


def plate_of(raw: str | None) -> tuple[str, str]:
    """(normalised plate, plate as written); refused when nothing of it is left."""
    written = text(raw, "plate_raw")
    if written is None or "\ufffd" in written:
        raise BadField("plate is missing or not readable text")
    plate = normalize_plate(written)
    if not plate:
        raise BadField(f"plate {written!r} has no letters or digits")
    if len(plate) > MAX_LENGTHS["plate"]:
        raise BadField(f"plate is longer than {MAX_LENGTHS['plate']} characters")
    return plate, written


@lru_cache(maxsize=1024)
def state_of(raw: str | None) -> str | None:
    """A plate state or province code (2-3 letters, e.g. CA, ON), or None when blank."""
    value = text(raw, "state")
    if value is None:
        return None
    value = value.upper()
    if not _STATE.match(value):
        raise BadField(f"state {value!r} is not a 2-3 letter code")
    return value


@lru_cache(maxsize=1024)
def year_of(raw: str | None, name: str = "vehicle_year") -> int | None:
    """A four-digit year, or None when blank or zero."""
    value = text(raw, name)
    if value is None or value.strip("0") == "":
        return None
    if not (len(value) == 4 and value.isdigit()) or not 1900 <= int(value) <= 2100:
        raise BadField(f"{name} {value!r} is not a four-digit year")
    return int(value)


@lru_cache(maxsize=16384)  # an extract holds a few thousand distinct dates at most
def yyyymmdd(raw: str, name: str) -> datetime | None:
    """An NCIC date (YYYYMMDD) as midnight UTC, or None when blank or all zeros."""
    value = raw.strip()
    if not value or value.strip("0") == "":
        return None
    try:
        day = datetime.strptime(value, "%Y%m%d").replace(tzinfo=UTC)
    except ValueError:
        raise BadField(f"{name} {value!r} is not a date (YYYYMMDD)") from None
    return day


def timestamp(raw: str | None, name: str) -> datetime | None:
    """An ISO 8601 date or date-time (UTC when it names no offset), or None when blank."""
    value = text(raw, name)
    if value is None:
        return None
    try:
        if len(value) == 10:
            day = date.fromisoformat(value)
            return datetime(day.year, day.month, day.day, tzinfo=UTC)
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise BadField(f"{name} {value!r} is not an ISO 8601 date or date-time") from None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
