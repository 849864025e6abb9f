"""The NMEA reader on hand-made sentences: fields, checksums, garbage, streams, dates."""

from __future__ import annotations

import math
from datetime import UTC, datetime

import pytest

from tests.connectors.nmea.sentences import gga, rmc, sentence
from watchfloor.connectors.nmea.parser import KNOT_MPS, NmeaReader
from watchfloor.core.clock import ManualClock

NOON = datetime(2026, 11, 21, 14, 0, 5, tzinfo=UTC)


def _reader(at: datetime = NOON, max_line: int = 82) -> NmeaReader:
    return NmeaReader(ManualClock(at), max_line=max_line)


def test_rmc_fields_become_a_fix() -> None:
    [fix] = _reader().feed(rmc(lat="4807.038,S", lon="01131.000,W") + b"\r\n")
    assert (fix.talker, fix.sentence, fix.valid) == ("GP", "RMC", True)
    assert fix.time == datetime(2026, 11, 21, 14, 0, tzinfo=UTC)
    assert fix.lat == pytest.approx(-(48 + 7.038 / 60))
    assert fix.lon == pytest.approx(-(11 + 31.0 / 60))
    assert fix.speed_mps == pytest.approx(22.4 * KNOT_MPS)
    assert fix.course == pytest.approx(84.4)


def test_gga_fields_become_a_fix_dated_from_the_clock() -> None:
    [fix] = _reader().feed(gga(hhmmss="135959.50") + b"\r\n")
    assert (fix.sentence, fix.fix_quality, fix.satellites) == ("GGA", 1, 8)
    assert (fix.hdop, fix.altitude_m, fix.speed_mps) == (0.9, 545.4, None)
    assert fix.time == datetime(2026, 11, 21, 13, 59, 59, 500_000, tzinfo=UTC)
    assert fix.valid


def test_gga_takes_the_date_of_the_last_rmc_not_the_clock() -> None:
    reader = _reader()
    stream = rmc(ddmmyy="010326") + b"\r\n" + gga(hhmmss="140001.00") + b"\r\n"
    _, fix = reader.feed(stream)
    assert fix.time == datetime(2026, 3, 1, 14, 0, 1, tzinfo=UTC)


def test_gga_just_before_midnight_read_just_after_is_yesterday() -> None:
    just_after = datetime(2026, 11, 22, 0, 0, 2, tzinfo=UTC)
    [fix] = _reader(just_after).feed(gga(hhmmss="235959.00") + b"\n")
    assert fix.time == datetime(2026, 11, 21, 23, 59, 59, tzinfo=UTC)


def test_gga_after_midnight_follows_an_rmc_from_before() -> None:
    reader = _reader()
    late = rmc(hhmmss="235959.00", ddmmyy="211126") + b"\n" + gga(hhmmss="000000.00") + b"\n"
    _, fix = reader.feed(late)
    assert fix.time == datetime(2026, 11, 22, 0, 0, tzinfo=UTC)


@pytest.mark.parametrize("talker", ["GP", "GN", "GL", "GA", "GB", "BD"])
def test_every_constellation_talker_is_read(talker: str) -> None:
    fixes = _reader().feed(rmc(talker=talker) + b"\r\n" + gga(talker=talker) + b"\r\n")
    assert [(f.talker, f.sentence) for f in fixes] == [(talker, "RMC"), (talker, "GGA")]


def test_void_rmc_and_gga_without_fix_are_reported_not_valid() -> None:
    reader = _reader()
    empty_position = sentence("GPRMC,140000.00,V,,,,,,,211126,,,N")
    stream = b"\r\n".join(
        [rmc(status="V"), gga(quality="0"), empty_position, gga(quality="8"), b""]
    )
    fixes = reader.feed(stream)
    assert [f.valid for f in fixes] == [False, False, False, False]
    assert math.isnan(fixes[2].lat)
    assert (reader.counts.accepted, reader.counts.no_fix) == (4, 4)


def test_wrong_and_missing_checksums_are_refused_and_counted() -> None:
    reader = _reader()
    good = rmc()
    wrong = good[:-2] + (b"00" if not good.endswith(b"00") else b"01")
    missing = good[: good.rindex(b"*")]
    fixes = reader.feed(b"\r\n".join([wrong, missing, good, b""]))
    assert len(fixes) == 1
    assert reader.counts.bad_checksum == 2


def test_garbage_lines_are_refused_and_counted() -> None:
    reader = _reader()
    binary = b"\xb5b\x01\x07\x5c\x00" + rmc()
    no_dollar = b"GPRMC,140000.00,A,4807.038,N,01131.000,E,,,211126,,,A*00"
    too_long = sentence("GPRMC,140000.000000000,A,4807.0380000000,N,01131.0000000000,E," + "0" * 20)
    stream = b"\r\n".join([binary, no_dollar, too_long, b"# comment", rmc(), b""])
    assert len(reader.feed(stream)) == 1
    assert reader.counts.garbage == 4


def test_an_over_long_sentence_is_read_when_the_limit_is_raised() -> None:
    long_rmc = sentence(
        "GPRMC,132820.60,A,4134.49821229,N,09345.03351845,W,3.252,92.308,180320,11.5985,E,D"
    )
    assert len(long_rmc) > 82
    assert _reader().feed(long_rmc + b"\n") == []
    [fix] = _reader(max_line=120).feed(long_rmc + b"\n")
    assert fix.lat == pytest.approx(41 + 34.49821229 / 60)


def test_other_sentence_types_are_counted_unsupported() -> None:
    reader = _reader()
    gsa = sentence("GPGSA,A,3,04,05,,09,12,,,24,,,,,2.5,1.3,2.1")
    proprietary = sentence("PGRME,15.0,M,45.0,M,25.0,M")
    ais = b"!AIVDM,1,1,,B,177KQJ5000G?tO`K>RA1wUbN0TKH,0*5C"
    assert reader.feed(b"\r\n".join([gsa, proprietary, ais, b""])) == []
    assert reader.counts.unsupported == 3


def test_malformed_fields_are_counted() -> None:
    reader = _reader()
    bad_lat = rmc(lat="48x7.038,N")
    bad_date = rmc(ddmmyy="321326")
    bad_hemisphere = gga(lon="01131.000,Q")
    assert reader.feed(b"\n".join([bad_lat, bad_date, bad_hemisphere, b""])) == []
    assert reader.counts.malformed == 3


def test_lines_split_across_reads_are_joined() -> None:
    reader = _reader()
    stream = rmc() + b"\r\n" + gga() + b"\r\n"
    fixes = [fix for i in range(len(stream)) for fix in reader.feed(stream[i : i + 1])]
    assert [f.sentence for f in fixes] == ["RMC", "GGA"]


@pytest.mark.parametrize("end", [b"\r\n", b"\n", b"\r", b"\n\r"])
def test_every_line_end_separates_sentences(end: bytes) -> None:
    reader = _reader()
    fixes = reader.feed(rmc() + end + gga() + end + rmc(hhmmss="140001.00") + end)
    assert len(fixes) == 3
    assert reader.counts.garbage == 0


def test_a_stream_without_line_ends_keeps_bounded_memory() -> None:
    reader = _reader()
    for _ in range(1000):
        reader.feed(b"$GPRMC" + b"A" * 1000)
        assert len(reader._buffer) <= 82 + 64 + 1
    assert reader.counts.garbage == 1  # the one over-long line, however long it got
    [fix] = reader.feed(b"tail of the long line\r\n" + rmc() + b"\r\n")
    assert fix.valid


def test_flush_takes_a_partial_line_at_the_end_of_a_datagram() -> None:
    reader = _reader()
    assert reader.feed(rmc()) == []
    assert len(reader.flush()) == 1


def test_device_id_prefix_names_the_device() -> None:
    reader = _reader()
    fixes = reader.feed(b"CAR-12," + rmc() + b"\r\n" + gga() + b"\r\n")
    assert [f.device for f in fixes] == ["CAR-12", "CAR-12"]


def test_device_id_sentence_names_the_device_of_what_follows() -> None:
    reader = _reader()
    header = sentence("PCPTI,MDT-0042,140000,140000")
    fixes = reader.feed(header + b"\r\n" + rmc() + b"\r\n")
    assert [f.device for f in fixes] == ["MDT-0042"]
    assert reader.counts.unsupported == 0


def test_a_date_before_a_missed_gps_week_rollover_is_moved_forward() -> None:
    [fix] = _reader().feed(rmc(ddmmyy="070499") + b"\n")  # 1999-04-07 + 1024 weeks
    assert fix.time == datetime(2018, 11, 21, 14, 0, tzinfo=UTC)
