"""Hand-made NMEA sentences with correct checksums, for tests."""

from __future__ import annotations

from functools import reduce
from operator import xor


def sentence(body: str) -> bytes:
    """`$body*hh` with the checksum NMEA 0183 defines, without a line end."""
    digest = reduce(xor, body.encode("ascii"), 0)
    return f"${body}*{digest:02X}".encode("ascii")


def rmc(
    hhmmss: str = "140000.00",
    lat: str = "4807.038,N",
    lon: str = "01131.000,E",
    *,
    talker: str = "GP",
    status: str = "A",
    knots: str = "022.4",
    course: str = "084.4",
    ddmmyy: str = "211126",
) -> bytes:
    """An RMC sentence (defaults: Munich, 21 Nov 2026 14:00 UTC, 22.4 kn on 84.4 degrees)."""
    return sentence(f"{talker}RMC,{hhmmss},{status},{lat},{lon},{knots},{course},{ddmmyy},,,A")


def gga(
    hhmmss: str = "140000.00",
    lat: str = "4807.038,N",
    lon: str = "01131.000,E",
    *,
    talker: str = "GP",
    quality: str = "1",
) -> bytes:
    """A GGA sentence (8 satellites, HDOP 0.9, 545.4 m)."""
    return sentence(f"{talker}GGA,{hhmmss},{lat},{lon},{quality},08,0.9,545.4,M,46.9,M,,")
