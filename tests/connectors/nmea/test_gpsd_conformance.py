"""Conformance on real receiver captures: gpsd 3.22's regression logs and the fixes gpsd itself
reported for them (TPV in *.log.chk), with pynmea2 as a second reading of each sentence."""

from __future__ import annotations

import json
import math
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import pynmea2  # type: ignore[import-untyped]
import pytest

from watchfloor.connectors.nmea.parser import NmeaError, NmeaFix, NmeaReader
from watchfloor.core.clock import ManualClock

GPSD = Path(__file__).parents[2] / "fixtures" / "third_party" / "gpsd"
ROLLOVER = timedelta(weeks=1024)
TOLERANCE_DEG = 1e-8  # gpsd prints 9 decimals; ~1 mm
NOW = datetime(2026, 11, 21, 14, 0, tzinfo=UTC)

# capture -> (max line, talkers expected among the fixes, valid fixes at least)
CAPTURES = {
    "bu353-glonass": (82, {"GN", "GP"}, 17),
    "ch-4711": (82, {"GL", "GN", "GP"}, 14),
    "beidou-gb": (82, {"GN", "GP"}, 4),
    "hab-gpspi": (82, {"GN"}, 6),
    "ublox-lea-4s": (82, {"GP"}, 6),
    "magellan315": (82, {"GP"}, 6),
    "nmea-fuzzy-cases": (120, {"GN", "GP"}, 28),
    "april6_2019": (82, {"GP"}, 1),
}


def _read(name: str, max_line: int) -> tuple[list[NmeaFix], NmeaReader]:
    reader = NmeaReader(ManualClock(NOW), max_line=max_line)
    data = (GPSD / f"{name}.log").read_bytes()
    return reader.feed(data) + reader.flush(), reader


def _gpsd_fixes(name: str) -> list[dict[str, object]]:
    reports = []
    for line in (GPSD / f"{name}.log.chk").read_text(errors="replace").splitlines():
        if line.startswith('{"class":"TPV"'):
            report = json.loads(line)
            if "lat" in report and "time" in report:
                reports.append(report)
    return reports


def _time_of_day(fix: NmeaFix) -> time:
    assert fix.time is not None
    return fix.time.time().replace(tzinfo=None)


@pytest.mark.parametrize("name", sorted(CAPTURES))
def test_fixes_agree_with_gpsd(name: str) -> None:
    max_line, talkers, at_least = CAPTURES[name]
    fixes, _reader = _read(name, max_line)
    valid = [f for f in fixes if f.valid]
    assert len(valid) >= at_least
    assert {f.talker for f in fixes} == talkers
    by_time: dict[time, list[NmeaFix]] = {}
    for fix in valid:
        by_time.setdefault(_time_of_day(fix), []).append(fix)
    reports = _gpsd_fixes(name)
    assert reports, "gpsd reported fixes for this capture"
    for report in reports:
        at = datetime.fromisoformat(str(report["time"]).replace("Z", "+00:00"))
        same = [
            f
            for f in by_time.get(at.time().replace(tzinfo=None), [])
            if abs(f.lat - float(str(report["lat"]))) < TOLERANCE_DEG
            and abs(f.lon - float(str(report["lon"]))) < TOLERANCE_DEG
        ]
        assert same, f"gpsd's fix at {report['time']} is not among ours"
        for fix in (f for f in same if f.sentence == "RMC"):  # GGA has no date of its own
            assert fix.time is not None
            assert (at - fix.time) % ROLLOVER == timedelta(0)  # gpsd's own rollover guess


@pytest.mark.parametrize("name", sorted(CAPTURES))
def test_each_fix_agrees_with_pynmea2(name: str) -> None:
    max_line, _talkers, at_least = CAPTURES[name]
    reader = NmeaReader(ManualClock(NOW), max_line=max_line)
    compared = 0
    for raw in (GPSD / f"{name}.log").read_bytes().splitlines():
        try:
            fix = reader.parse_line(raw.strip())
        except NmeaError:
            continue
        if fix is None or math.isnan(fix.lat):
            continue
        theirs = pynmea2.parse(raw.decode("ascii").strip(), check=True)
        assert (theirs.talker, theirs.sentence_type) == (fix.talker, fix.sentence)
        assert (fix.lat, fix.lon) == pytest.approx((theirs.latitude, theirs.longitude), abs=1e-9)
        assert _time_of_day(fix) == theirs.timestamp.replace(tzinfo=None)
        compared += 1
    assert compared >= at_least


def test_header_and_binary_lines_are_counted_as_garbage() -> None:
    _fixes, reader = _read("bu353-glonass", 82)
    comments = (GPSD / "bu353-glonass.log").read_bytes().count(b"\n#")
    assert reader.counts.garbage == comments + 1  # the first line has no newline before it
    assert reader.counts.bad_checksum == 0
    assert reader.counts.unsupported > 0  # GSA, GSV, ZDA


def test_long_rtk_sentences_are_over_long_at_the_nmea_limit() -> None:
    fixes, reader = _read("nmea-fuzzy-cases", 82)
    assert fixes == []
    assert reader.counts.garbage >= 28


def test_a_broken_date_is_malformed_and_a_rolled_over_year_is_corrected() -> None:
    fixes, reader = _read("april6_2019", 82)
    assert reader.counts.malformed == 1  # "2208-1"
    [valid] = [f for f in fixes if f.valid]
    assert valid.time == datetime(2019, 4, 7, 0, 2, 31, 420_000, tzinfo=UTC)  # sent as 1999


def test_writes_split_where_gpsd_split_them_are_joined() -> None:
    """tcp-torture marks the sender's write boundaries with `|` (gpsd's delay cookies)."""
    data = (GPSD / "tcp-torture.log").read_bytes()
    body = b"".join(line for line in data.splitlines(keepends=True) if not line.startswith(b"#"))
    reader = NmeaReader(ManualClock(NOW))
    fixes = [fix for chunk in body.split(b"|") for fix in reader.feed(chunk)]
    [gga, rmc] = fixes
    assert (gga.sentence, rmc.sentence) == ("GGA", "RMC")
    assert gga.lat == pytest.approx(20 + 37.72792 / 60)
    [report] = _gpsd_fixes("tcp-torture")
    assert rmc.lat == pytest.approx(float(str(report["lat"])), abs=TOLERANCE_DEG)
    assert reader.counts.garbage == 1  # the capture starts in the middle of a sentence
