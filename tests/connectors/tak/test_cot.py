"""CoT XML: parsing real ATAK/iTAK captures (taky's test data), building XML back, hardening."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from lxml import etree

from watchfloor.connectors.tak.cot import CotError, CotEvent, cot_time, cot_xml, parse_cot

TAKY = Path(__file__).parents[2] / "fixtures" / "third_party" / "taky"
T0 = datetime(2026, 11, 21, 14, 0, tzinfo=UTC)


def test_atak_sa_capture_parses_into_typed_fields() -> None:
    event = parse_cot((TAKY / "atak_sa.xml").read_bytes())

    assert event.uid == "ANDROID-deadbeef"
    assert event.type == "a-f-G-U-C"
    assert event.how == "m-g"
    assert event.time == datetime(2021, 2, 27, 20, 32, 24, 771000, tzinfo=UTC)
    assert event.stale == datetime(2021, 2, 27, 20, 38, 39, 771000, tzinfo=UTC)
    assert (event.lat, event.lon, event.hae, event.ce) == (1.234567, -3.141592, -25.7, 9.9)
    assert event.callsign == "JENNY"
    assert (event.group, event.role) == ("Cyan", "Team Member")
    assert event.course == pytest.approx(80.24833892285461)
    assert event.speed_mps == 0.0
    assert event.dest_callsigns == ()
    assert event.detail_xml.startswith('<takv os="29"')
    assert event.detail_xml.endswith('<track course="80.24833892285461" speed="0.0"/>')


def test_geochat_capture_is_addressed_by_its_marti_dest() -> None:
    event = parse_cot((TAKY / "geochat.xml").read_bytes())

    assert event.type == "b-t-f"
    assert event.dest_callsigns == ("JOKER MAN",)
    assert event.remarks == "test"
    assert "<__chat " in event.detail_xml


def test_itak_marker_with_empty_marti_is_a_broadcast() -> None:
    event = parse_cot((TAKY / "itak_empty_marti.xml").read_bytes())

    assert event.type == "a-u-G"
    assert event.callsign == "poop"
    assert event.dest_callsigns == ()
    assert event.dest_uids == ()
    assert event.remarks == ""


def test_relayed_xml_keeps_the_detail_verbatim() -> None:
    original = parse_cot((TAKY / "geochat.xml").read_bytes())

    again = parse_cot(cot_xml(original))

    assert again == original


def test_built_event_carries_its_typed_fields_and_escapes_text() -> None:
    event = CotEvent(
        uid="wf-incident-1",
        type="a-h-G",
        how="h-e",
        time=T0,
        start=T0,
        stale=T0.replace(hour=15),
        lat=38.9,
        lon=-77.0,
        callsign="Shots <fired> & more",
        group="Red",
        remarks='P1 "armed" <suspect> & vehicle',
        dest_callsigns=("ALPHA-1",),
        dest_uids=("ANDROID-1",),
    )

    xml = cot_xml(event)
    back = parse_cot(xml)

    assert not xml.startswith(b"<?xml")
    assert back.callsign == event.callsign
    assert back.remarks == event.remarks
    assert back.dest_callsigns == ("ALPHA-1",)
    assert back.dest_uids == ("ANDROID-1",)
    assert (back.time, back.stale) == (event.time, event.stale)


def test_times_are_written_with_milliseconds_in_utc() -> None:
    assert cot_time(datetime(2026, 11, 21, 14, 0, 5, 123456, tzinfo=UTC)) == (
        "2026-11-21T14:00:05.123Z"
    )


def test_times_without_offset_or_with_many_digits_are_read_as_utc() -> None:
    xml = (
        (TAKY / "atak_sa.xml")
        .read_bytes()
        .replace(b'time="2021-02-27T20:32:24.771Z"', b'time="2021-02-27T20:32:24.7712345"')
    )

    assert parse_cot(xml).time == datetime(2021, 2, 27, 20, 32, 24, 771234, tzinfo=UTC)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ((b'uid="ANDROID-deadbeef"', b'uid=""'), "uid"),
        ((b'type="a-f-G-U-C"', b'type="a f"'), "type"),
        ((b'lat="1.234567"', b'lat="91"'), "point.lat"),
        ((b'lon="-3.141592"', b'lon="east"'), "point.lon"),
        ((b'stale="2021-02-27T20:38:39.771Z"', b'stale="tomorrow"'), "stale"),
        ((b'course="80.24833892285461"', b'course="north"'), "detail.track.course"),
        ((b"<point ", b"<pointless "), "point"),
    ],
)
def test_bad_fields_are_named(change: tuple[bytes, bytes], field: str) -> None:
    xml = (TAKY / "atak_sa.xml").read_bytes().replace(*change)

    with pytest.raises(CotError) as caught:
        parse_cot(xml)

    assert caught.value.field == field


def test_entities_and_dtds_are_refused() -> None:
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE e [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]><event uid="&b;"/>'
    )

    with pytest.raises(CotError, match="DTD"):
        parse_cot(bomb)


def test_external_entities_are_never_resolved(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("top secret")
    xml = (TAKY / "atak_sa.xml").read_bytes().replace(b"JENNY", b"&x;", 1)
    xxe = f'<!DOCTYPE event [<!ENTITY x SYSTEM "file://{secret}">]>'.encode() + xml

    with pytest.raises(CotError):
        parse_cot(xxe)


def test_oversize_and_garbage_are_refused() -> None:
    xml = (TAKY / "atak_sa.xml").read_bytes()

    with pytest.raises(CotError, match="more than 100"):
        parse_cot(xml, max_bytes=100)
    with pytest.raises(CotError, match="well-formed"):
        parse_cot(b"<event uid='x'><point")
    with pytest.raises(CotError, match="not <event>"):
        parse_cot(b"<html/>")


def test_xml_is_parseable_by_a_plain_xml_parser() -> None:
    event = parse_cot((TAKY / "atak_sa.xml").read_bytes())

    root = etree.fromstring(cot_xml(event))

    assert root.get("version") == "2.0"
    assert root.find("detail/contact").get("callsign") == "JENNY"  # type: ignore[union-attr]
