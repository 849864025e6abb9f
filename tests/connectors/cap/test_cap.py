"""CAP 1.2: hardened parsing, validation against the bundled OASIS schema naming the failing
element, and the alert report (Update and Cancel merge into the original)."""

from __future__ import annotations

from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

import pytest

from watchfloor.connectors.cap.areas import AreaError, centroid, parse_circle, parse_polygon
from watchfloor.connectors.cap.mapping import cap_reports
from watchfloor.connectors.cap.parse import cap_schema, parse_cap
from watchfloor.core.errors import DomainError, InvalidInput, MalformedInput, PayloadTooLarge
from watchfloor.events.alerts import AlertKind, AlertReport

FIXTURES = Path(__file__).parent / "fixtures"
LIMIT = 1024 * 1024
NWS = "w-nws.webmaster@noaa.gov,urn:oid:2.49.0.1.840.0.4b1c3a3e1b2f5d0c.001.1"


def _read(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def _report(raw: bytes) -> AlertReport:
    [report] = cap_reports(parse_cap(raw, LIMIT))
    return report


def _refused(raw: bytes) -> DomainError:
    with pytest.raises(DomainError) as caught:
        cap_reports(parse_cap(raw, LIMIT))
    return caught.value


def test_the_schema_is_bundled_with_the_package() -> None:
    files = resources.files("watchfloor.connectors.cap")
    assert files.joinpath("CAP-v1.2.xsd").is_file()
    assert "Copyright OASIS" in files.joinpath("CAP-v1.2.xsd").read_text()
    assert cap_schema() is cap_schema()


def test_the_specs_amber_example_becomes_one_alert_with_both_languages() -> None:
    report = _report(_read("cap_amber_alert_example.xml"))
    assert (report.kind, report.source) == (AlertKind.CAP, "alerts-cap")
    assert report.source_ref == "KARO@CLETS.DOJ.CA.GOV,KAR0-0306112239-SW"
    assert report.title == "Amber Alert in Los Angeles County"
    assert report.severity == "Severe"
    assert report.occurred_at == datetime(2003, 6, 12, 5, 39, tzinfo=UTC)
    assert (report.lat, report.lon, report.address) == (None, None, "Los Angeles County")
    details = report.details
    assert {k: details[k] for k in ("identifier", "status", "msgType", "scope")} == {
        "identifier": "KAR0-0306112239-SW",
        "status": "Actual",
        "msgType": "Alert",
        "scope": "Public",
    }
    english, spanish = details["infos"]
    assert (english["language"], spanish["language"]) == ("en-US", "es-US")
    assert english["category"] == ["Rescue"]
    assert english["eventCodes"] == [{"valueName": "SAME", "value": "CAE"}]
    assert english["areas"][0]["geocodes"] == [{"valueName": "SAME", "value": "006037"}]
    assert not report.ended


def test_an_nws_warning_is_placed_at_its_polygons_centroid() -> None:
    report = _report(_read("nws_tornado_warning.xml"))
    assert report.source_ref == NWS
    assert report.lat == pytest.approx(35.20)
    assert report.lon == pytest.approx(-97.40)
    assert report.location_error_m is not None
    assert 15_000 < report.location_error_m < 25_000
    assert report.severity == "Extreme"
    assert report.title.startswith("Tornado Warning issued November 21")
    [info] = report.details["infos"]
    assert (info["urgency"], info["certainty"], info["event"]) == (
        "Immediate",
        "Observed",
        "Tornado Warning",
    )
    assert info["instruction"].startswith("TAKE COVER NOW!")
    assert info["areas"][0]["polygons"][0][0] == [35.10, -97.60]
    assert report.details["codes"] == ["IPAWSv1.0"]


def test_a_circle_places_the_alert_at_its_centre_with_its_radius() -> None:
    report = _report(_read("flood_circle.xml"))
    assert (report.lat, report.lon, report.location_error_m) == (60.1699, 24.9384, 500.0)
    assert report.address == "Mill Creek underpass"


def test_update_and_cancel_merge_into_the_original_and_cancel_ends_it() -> None:
    update = _report(_read("nws_tornado_warning_update.xml"))
    cancel = _report(_read("nws_tornado_warning_cancel.xml"))
    assert update.source_ref == cancel.source_ref == NWS
    assert not update.ended
    assert cancel.ended
    assert cancel.title.startswith("Cancelled: ")
    assert len(cancel.details["references"]) == 2


def test_ack_and_error_messages_carry_no_alert() -> None:
    raw = _read("nws_tornado_warning_update.xml").replace(b"Update</msgType>", b"Ack</msgType>")
    assert cap_reports(parse_cap(raw, LIMIT)) == []


@pytest.mark.parametrize(
    ("old", "new", "pointer", "words"),
    [
        (
            b"<urgency>Immediate</urgency>",
            b"<urgency>Soon</urgency>",
            "/alert/info/urgency",
            "Soon",
        ),
        (b"<sent>2026-11-21T08:02:00-06:00</sent>", b"", "/alert/status", "sent"),
        (
            b"<sent>2026-11-21T08:02:00-06:00</sent>",
            b"<sent>2026-11-21T14:02:00Z</sent>",
            "/alert/sent",
            "pattern",
        ),
        (b"<status>Actual</status>", b"<status>Real</status>", "/alert/status", "Real"),
        (b"<category>Met</category>", b"<category>Weather</category>", "/alert/info/category", ""),
    ],
)
def test_schema_violations_name_the_failing_element(
    old: bytes, new: bytes, pointer: str, words: str
) -> None:
    raw = _read("nws_tornado_warning.xml").replace(old, new, 1)
    error = _refused(raw)
    assert isinstance(error, InvalidInput)
    assert error.problems[0].pointer == pointer
    assert words in error.problems[0].reason


def test_bad_areas_and_references_are_named() -> None:
    raw = _read("nws_tornado_warning.xml").replace(b" 35.10,-97.60</polygon>", b"</polygon>")
    error = _refused(raw)
    assert error.problems[0].pointer == "/alert/info/area/polygon"
    assert "closed" in error.problems[0].reason
    bad_ref = _read("nws_tornado_warning_update.xml").replace(b",2026-11-21T08:02:00-06:00<", b"<")
    assert _refused(bad_ref).problems[0].pointer == "/alert/references"


def test_hostile_or_foreign_xml_is_refused() -> None:
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE alert [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]><alert>&b;</alert>'
    )
    assert isinstance(_refused(bomb), MalformedInput)
    xxe = b'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><a>&x;</a>'
    assert isinstance(_refused(xxe), MalformedInput)
    assert isinstance(_refused(b"<alert><unclosed></alert>"), MalformedInput)
    cap11 = b'<alert xmlns="urn:oasis:names:tc:emergency:cap:1.1"><sender>x</sender></alert>'
    error = _refused(cap11)
    assert error.problems[0].pointer == "/alert"
    assert "not CAP 1.2" in error.problems[0].reason
    with pytest.raises(PayloadTooLarge):
        parse_cap(_read("nws_tornado_warning.xml"), 100)


def test_area_helpers() -> None:
    square = parse_polygon("0,0 0,2 2,2 2,0 0,0")
    assert centroid(square) == pytest.approx((1.0, 1.0))
    assert parse_circle("38.47,-120.14 50").radius_km == 50
    for bad in ("1,2 3,4 1,2", "0,0 0,1 1,1 1,0"):
        with pytest.raises(AreaError):
            parse_polygon(bad)
    for bad in ("91,0 1", "1,2", "1,2 -3", "a,b 1"):
        with pytest.raises(AreaError):
            parse_circle(bad)
