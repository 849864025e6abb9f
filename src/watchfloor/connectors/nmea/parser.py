"""NMEA 0183 GGA and RMC sentences, from a byte stream of an in-vehicle router or a receiver,
into typed fixes.

Strict where pynmea2 is lenient: the checksum is required, lines are printable ASCII of at most
`max_line` characters starting with `$`, and every field is converted and range-checked at
once (pynmea2 converts lazily and accepts a broken date). pynmea2 is the tests' second reading
beside gpsd's regression captures.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import reduce
from operator import xor

from watchfloor.core.clock import Clock, SystemClock

KNOT_MPS = 0.514444
MAX_SENTENCE = 82
"""NMEA 0183's limit (82 characters with CR LF; a line longer than this without them is refused)."""
MAX_PREFIX = 64
"""The longest device-id prefix (`ID,$GPRMC...`) accepted before the `$`."""
_HALF_DAY = timedelta(hours=12)
_ROLLOVER = timedelta(weeks=1024)
_LINE_END = re.compile(rb"[\r\n]+")
_PRINTABLE = re.compile(rb"[\x20-\x7e]+")
_PREFIX = re.compile(rb"([A-Za-z0-9][A-Za-z0-9._:-]{0,63}),\$")
_DEVICE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,63}")
_ADDRESS = re.compile(r"[A-Z][A-Z0-9]{4}")
_ID_SENTENCE = re.compile(r"P[A-Z]{3}ID|PCPTI")
_HEX = frozenset("0123456789ABCDEFabcdef")


@dataclass(frozen=True)
class NmeaFix:
    """One GGA or RMC sentence as a fix; lat/lon are NaN when the sentence had no position."""

    talker: str
    sentence: str
    time: datetime | None
    lat: float
    lon: float
    speed_mps: float | None
    course: float | None
    fix_quality: int | None
    satellites: int | None
    hdop: float | None
    altitude_m: float | None
    valid: bool
    device: str | None = None


@dataclass
class NmeaCounts:
    """What a reader (or several sharing one) saw, line by line."""

    accepted: int = 0
    no_fix: int = 0
    bad_checksum: int = 0
    garbage: int = 0
    unsupported: int = 0
    malformed: int = 0

    def as_dict(self) -> dict[str, int]:
        """The counts by name."""
        return dict(vars(self))


class NmeaError(ValueError):
    """A line refused: `kind` is the counter it goes to, `reason` says why."""

    def __init__(self, kind: str, reason: str) -> None:
        super().__init__(reason)
        self.kind = kind
        self.reason = reason


@dataclass
class _Sentence:
    talker: str
    kind: str
    fields: list[str] = field(default_factory=list)


def checksum(body: bytes) -> int:
    """The NMEA checksum: XOR of the bytes between `$` and `*`."""
    return reduce(xor, body, 0)


def split_sentence(line: bytes, max_line: int = MAX_SENTENCE) -> _Sentence:
    """A checked `$...*hh` line into address and fields; NmeaError when it is not one."""
    if len(line) > max_line:
        raise NmeaError("garbage", f"longer than {max_line} characters")
    if not line.startswith(b"$"):
        raise NmeaError("garbage", "does not start with $")
    star = line.rfind(b"*")
    if star < 0 or len(line) - star != 3:
        raise NmeaError("bad_checksum", "no checksum")
    digits = line[star + 1 :].decode("ascii")
    if not set(digits) <= _HEX or int(digits, 16) != checksum(line[1:star]):
        raise NmeaError("bad_checksum", "checksum does not match")
    parts = line[1:star].decode("ascii").split(",")
    address = parts[0]
    if not _ADDRESS.fullmatch(address):
        raise NmeaError("garbage", "bad address field")
    if address[0] == "P":
        return _Sentence("P", address, parts[1:])
    return _Sentence(address[:2], address[2:], parts[1:])


def _time_of_day(text: str) -> time | None:
    if not text:
        return None
    if len(text) < 6 or not text[:6].isdigit():
        raise NmeaError("malformed", "bad time")
    hour, minute, seconds = int(text[0:2]), int(text[2:4]), float(text[4:])
    if hour > 23 or minute > 59 or not 0 <= seconds < 60:
        raise NmeaError("malformed", "time out of range")
    whole = int(seconds)
    micros = min(round((seconds - whole) * 1_000_000), 999_999)
    return time(hour, minute, whole, micros, tzinfo=UTC)


def _date(text: str) -> date | None:
    if not text:
        return None
    if len(text) != 6 or not text.isdigit():
        raise NmeaError("malformed", "bad date")
    day, month, year = int(text[0:2]), int(text[2:4]), int(text[4:6])
    try:
        return date(2000 + year if year < 80 else 1900 + year, month, day)
    except ValueError as error:
        raise NmeaError("malformed", "date out of range") from error


def _angle(text: str, hemisphere: str, positive: str, negative: str, limit: float) -> float:
    """ddmm.mmmm (or dddmm.mmmm) and N/S (E/W) as signed decimal degrees; NaN when empty."""
    if not text and not hemisphere:
        return math.nan
    dot = text.find(".")
    dot = len(text) if dot < 0 else dot
    whole, minutes_text = text[: dot - 2], text[dot - 2 :]
    if dot < 3 or not whole.isdigit() or hemisphere not in (positive, negative):
        raise NmeaError("malformed", "bad latitude/longitude")
    try:
        minutes = float(minutes_text)
    except ValueError as error:
        raise NmeaError("malformed", "bad latitude/longitude") from error
    value = int(whole) + minutes / 60
    if not 0 <= minutes < 60 or value > limit:
        raise NmeaError("malformed", "latitude/longitude out of range")
    return -value if hemisphere == negative else value


def _number(text: str, low: float = -math.inf, high: float = math.inf) -> float | None:
    if not text:
        return None
    try:
        value = float(text)
    except ValueError as error:
        raise NmeaError("malformed", "bad number") from error
    if not low <= value <= high:
        raise NmeaError("malformed", "number out of range")
    return value


def _integer(text: str) -> int | None:
    if not text:
        return None
    if not text.isdigit():
        raise NmeaError("malformed", "bad integer")
    return int(text)


def _position(fields: list[str]) -> tuple[float, float]:
    return _angle(fields[0], fields[1], "N", "S", 90.0), _angle(
        fields[2], fields[3], "E", "W", 180.0
    )


@dataclass(frozen=True)
class _Timing:
    """How a sentence's time of day becomes a datetime."""

    reference: datetime
    now: datetime

    def on_date(self, tod: time | None, day: date | None = None) -> datetime | None:
        """With the sentence's own date (moved past GPS week rollovers a receiver missed);
        else the date that puts it nearest the reference."""
        if tod is None:
            return None
        if day is not None:
            when = datetime.combine(day, tod)
            while self.now - when > _ROLLOVER / 2:
                when += _ROLLOVER
            return when
        candidate = datetime.combine(self.reference.date(), tod)
        if candidate - self.reference > _HALF_DAY:
            return candidate - timedelta(days=1)
        if self.reference - candidate > _HALF_DAY:
            return candidate + timedelta(days=1)
        return candidate


def fix_from_rmc(sentence: _Sentence, timing: _Timing, device: str | None = None) -> NmeaFix:
    """An RMC sentence: time, status, position, speed (knots), course, date[, mode]."""
    f = sentence.fields
    if len(f) < 9:
        raise NmeaError("malformed", "RMC has too few fields")
    lat, lon = _position(f[2:6])
    knots = _number(f[6], 0.0)
    mode_ok = len(f) < 12 or f[11] != "N"
    return NmeaFix(
        talker=sentence.talker,
        sentence="RMC",
        time=timing.on_date(_time_of_day(f[0]), _date(f[8])),
        lat=lat,
        lon=lon,
        speed_mps=None if knots is None else knots * KNOT_MPS,
        course=_number(f[7], 0.0, 360.0),
        fix_quality=None,
        satellites=None,
        hdop=None,
        altitude_m=None,
        valid=f[1] == "A" and mode_ok and not math.isnan(lat) and not math.isnan(lon),
        device=device,
    )


def fix_from_gga(sentence: _Sentence, timing: _Timing, device: str | None = None) -> NmeaFix:
    """A GGA sentence: time, position, quality, satellites, HDOP, altitude (metres)."""
    f = sentence.fields
    if len(f) < 9:
        raise NmeaError("malformed", "GGA has too few fields")
    lat, lon = _position(f[1:5])
    quality = _integer(f[5])
    return NmeaFix(
        talker=sentence.talker,
        sentence="GGA",
        time=timing.on_date(_time_of_day(f[0])),
        lat=lat,
        lon=lon,
        speed_mps=None,
        course=None,
        fix_quality=quality,
        satellites=_integer(f[6]),
        hdop=_number(f[7], 0.0),
        altitude_m=_number(f[8]),
        valid=quality is not None
        and 1 <= quality <= 6
        and not math.isnan(lat)
        and not math.isnan(lon),
        device=device,
    )


_FIXES = {"RMC": fix_from_rmc, "GGA": fix_from_gga}


class NmeaReader:
    """Turns a byte stream (one router's TCP connection or UDP datagrams) into fixes, counting
    what it refuses; memory stays bounded however long a line without an end gets."""

    def __init__(
        self,
        clock: Clock | None = None,
        *,
        max_line: int = MAX_SENTENCE,
        counts: NmeaCounts | None = None,
    ) -> None:
        self._clock = clock or SystemClock()
        self._max_line = max_line
        self._max_buffer = max_line + MAX_PREFIX + 1
        self.counts = counts if counts is not None else NmeaCounts()
        self.device: str | None = None
        self._buffer = b""
        self._discarding = False
        self._last_dated: datetime | None = None

    def feed(self, data: bytes) -> list[NmeaFix]:
        """The fixes of the lines this data completes; a partial last line waits for more."""
        if self._discarding:
            end = _LINE_END.search(data)
            if end is None:
                return []
            data, self._discarding = data[end.start() :], False
        lines = _LINE_END.split(self._buffer + data)
        self._buffer = lines.pop()
        if len(self._buffer) > self._max_buffer:
            self._buffer, self._discarding = b"", True
            self.counts.garbage += 1
        return self._lines(lines)

    def flush(self) -> list[NmeaFix]:
        """End of a message (a UDP datagram): a partial line is taken as complete."""
        rest, self._buffer = self._buffer, b""
        self._discarding = False
        return self._lines([rest])

    def _lines(self, lines: list[bytes]) -> list[NmeaFix]:
        fixes: list[NmeaFix] = []
        now = self._clock.now().astimezone(UTC)
        for line in lines:
            if not line:
                continue
            try:
                fix = self.parse_line(line, now)
            except NmeaError as error:
                setattr(self.counts, error.kind, getattr(self.counts, error.kind) + 1)
                continue
            if fix is not None:
                fixes.append(fix)
        return fixes

    def parse_line(self, line: bytes, now: datetime | None = None) -> NmeaFix | None:
        """One line (without its end) as a fix; None for a device-id sentence; NmeaError else.
        `now` (else the clock's) dates a GGA when no RMC has yet."""
        if not _PRINTABLE.fullmatch(line):
            raise NmeaError("garbage", "not printable ASCII")
        if line.startswith(b"!"):
            raise NmeaError("unsupported", "encapsulated sentence (AIS)")
        device = None
        if not line.startswith(b"$"):
            prefix = _PREFIX.match(line)
            if prefix is None:
                raise NmeaError("garbage", "does not start with $")
            device, line = prefix.group(1).decode("ascii"), line[prefix.end() - 1 :]
        sentence = split_sentence(line, self._max_line)
        if sentence.talker == "P":
            self._proprietary(sentence)
            return None
        make = _FIXES.get(sentence.kind)
        if make is None:
            raise NmeaError("unsupported", f"{sentence.kind} sentences are not used")
        now = now or self._clock.now().astimezone(UTC)
        fix = make(sentence, _Timing(self._last_dated or now, now), device or self.device)
        return self._accepted(fix, device)

    def _proprietary(self, sentence: _Sentence) -> None:
        if not _ID_SENTENCE.fullmatch(sentence.kind) or not sentence.fields:
            raise NmeaError("unsupported", "proprietary sentence")
        device = sentence.fields[0]
        if not _DEVICE.fullmatch(device):
            raise NmeaError("malformed", "bad device id")
        self.device = device

    def _accepted(self, fix: NmeaFix, device: str | None) -> NmeaFix:
        if device is not None:
            self.device = device
        self.counts.accepted += 1
        if not fix.valid:
            self.counts.no_fix += 1
        elif fix.sentence == "RMC" and fix.time is not None:
            self._last_dated = fix.time
        return fix
