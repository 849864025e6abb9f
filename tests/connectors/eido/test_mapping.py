"""EIDO -> IncidentReport: every component mapped, both NENA samples handled."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.connectors.eido.documents import (
    INCIDENT_ID,
    LOC,
    NOW,
    SETTINGS,
    deep_copy,
    full_document,
    nena_sample,
    patched,
    pidf_point,
)
from watchfloor.connectors.eido.mapping import translate
from watchfloor.core.geo import GeoPoint
from watchfloor.events.cad import IncidentStatus, UnitStatus


def test_full_document_maps_every_component() -> None:
    report = translate(full_document(), SETTINGS, NOW)
    assert report.eido_id == INCIDENT_ID
    assert report.last_updated_at == datetime(2026, 11, 21, 13, 55, tzinfo=UTC)
    assert report.last_updated_at.utcoffset() is not None
    assert report.issuing_element == "cad.example.gov"
    assert (report.type_code, report.type_internal_code, report.type_text) == (
        "ROBBERY",
        "211",
        "ARMED ROBBERY",
    )
    assert (report.priority, report.priority_text) == (1, "P1 EMERGENCY")
    assert report.status is IncidentStatus.ON_SCENE
    assert report.status_texts == ["Dispatched", "On Scene", "OS"]
    assert (report.cad_incident_number, report.beat) == ("2026-004211", "Beat 12")
    assert report.call_started_at == datetime(2026, 11, 21, 13, 40, tzinfo=UTC)


def test_incident_location_is_the_referenced_one() -> None:
    location = translate(full_document(), SETTINGS, NOW).location
    assert location is not None
    assert location.point == GeoPoint(lat=40.441345, lon=-80.000266, uncertainty_m=15.0)
    assert location.address == "100 N Main St, Pittsburgh, PA"
    assert location.cross_streets == ["Oak Ave", "Elm St"]
    assert (location.description, location.kind) == ("behind the bank", "Incident")


def test_without_reference_the_first_location_with_a_point_wins() -> None:
    doc = full_document()
    doc["incidentComponent"].pop("locationReference")
    location = translate(doc, SETTINGS, NOW).location
    assert location is not None
    assert location.point == GeoPoint(lat=40.1, lon=-79.9)
    assert location.kind == "Caller"


def test_ellipsoid_with_altitude_and_polygon_centre() -> None:
    ellipsoid = (
        '<presence xmlns:gml="http://www.opengis.net/gml" xmlns:gs="http://www.opengis.net/pidflo/1.0">'
        "<gs:Ellipsoid><gml:pos>40.5 -80.5 34</gml:pos><gs:semiMajorAxis>7.5</gs:semiMajorAxis>"
        "<gs:semiMinorAxis>3</gs:semiMinorAxis></gs:Ellipsoid></presence>"
    )
    polygon = (
        '<presence xmlns:gml="http://www.opengis.net/gml"><gml:Polygon><gml:exterior>'
        "<gml:LinearRing><gml:posList>40 -80 40 -79 41 -79 41 -80 40 -80</gml:posList>"
        "</gml:LinearRing></gml:exterior></gml:Polygon></presence>"
    )
    for value, expected in [
        (ellipsoid, GeoPoint(lat=40.5, lon=-80.5, alt_m=34, uncertainty_m=7.5)),
        (polygon, GeoPoint(lat=40.5, lon=-79.5)),
    ]:
        location = translate(patched(f"{LOC}/locationByValue", value), SETTINGS, NOW).location
        assert location is not None
        assert location.point == expected


def test_units_notes_cautions_persons_vehicles() -> None:
    report = translate(full_document(), SETTINGS, NOW)
    first, second = report.units
    assert (first.eido_id, first.name, first.kind) == ("unit-1A12", "1A12", "PatrolCar")
    assert (first.status, first.status_text) == (UnitStatus.ON_SCENE, "OnScene")
    assert first.agency_ref == "police.example.gov"
    assert first.location == GeoPoint(lat=40.45, lon=-80.01)
    assert first.updated_at == datetime(2026, 11, 21, 13, 50, tzinfo=UTC)
    assert (second.name, second.status, second.status_text) == (
        "unit-77",
        UnitStatus.UNKNOWN,
        "Sleeping",
    )
    (note,) = report.notes
    assert (note.eido_id, note.text) == ("note-1", "<p>Suspect fled north on foot</p>")
    assert note.author == "dispatcher7@police.example.gov"
    assert note.written_at == datetime(2026, 11, 21, 13, 45, tzinfo=UTC)
    (caution,) = report.cautions
    assert (caution.kind, caution.kind_text, caution.severity) == ("Weapons", "ARMED", "highest")
    assert (caution.source, caution.starts_at) == (
        "caller",
        datetime(2026, 11, 21, 13, 40, tzinfo=UTC),
    )
    suspect, caller = report.persons
    assert (suspect.roles, suspect.name, suspect.description) == (
        ["Suspect"],
        "John Doe",
        "red hoodie",
    )
    assert (caller.roles, caller.name) == (["Caller"], None)
    (vehicle,) = report.vehicles
    assert vehicle.relationships == ["Suspect"]
    assert (vehicle.plate, vehicle.plate_state, vehicle.make, vehicle.model) == (
        "ABC1234",
        "PA",
        "FORD",
        "F150",
    )
    assert (vehicle.color, vehicle.year, vehicle.description) == ("BLK", 2019, "dented tailgate")


def test_agencies() -> None:
    police, fire = translate(full_document(), SETTINGS, NOW).agencies
    assert (police.eido_id, police.name, police.roles, police.types, police.owning) == (
        "police.example.gov",
        "Example City Police",
        ["Dispatch"],
        ["police"],
        True,
    )
    assert (fire.name, fire.types, fire.owning) == (None, ["fire"], False)


@pytest.mark.parametrize(
    ("word", "status"),
    [
        ("Dispatched", UnitStatus.DISPATCHED),
        ("Enroute", UnitStatus.EN_ROUTE),
        ("En Route", UnitStatus.EN_ROUTE),
        ("on-scene", UnitStatus.ON_SCENE),
        ("Available", UnitStatus.AVAILABLE),
        ("Transporting", UnitStatus.TRANSPORTING),
        ("OutOfService", UnitStatus.OUT_OF_SERVICE),
        ("Napping", UnitStatus.UNKNOWN),
    ],
)
def test_unit_status_words(word: str, status: UnitStatus) -> None:
    doc = patched("/emergencyResourceComponent/0/primaryUnitStatusRegistryText", word)
    unit = translate(doc, SETTINGS, NOW).units[0]
    assert (unit.status, unit.status_text) == (status, word)


def test_nena_current_sample_translates_as_an_update_without_type() -> None:
    report = translate(
        nena_sample("sample-call-transfer-eido.json"), SETTINGS, datetime(2021, 5, 1, tzinfo=UTC)
    )
    assert report.eido_id == "urn:emergency:uid:incidentid:a56e556d871:bcf.state.pa.us"
    assert report.last_updated_at == datetime(2021, 4, 30, 18, 43, 49, 439000, tzinfo=UTC)
    assert (report.type_code, report.priority, report.status) == ("UNKNOWN", None, None)
    assert report.call_started_at == datetime(2021, 4, 30, 18, 40, tzinfo=UTC)
    assert report.location is not None
    assert report.location.address == "42 W Cellular Street, Wilmington, DE"
    assert [(a.eido_id, a.roles, a.types) for a in report.agencies] == [
        ("state.pa.us", ["CallReceiving"], ["psap"])
    ]
    assert [p.roles for p in report.persons] == [["Caller"]]


def test_unknown_fields_never_reject() -> None:
    doc = full_document()
    doc["incidentComponent"]["vendorX"] = {"deep": [1, 2]}
    doc["notesComponent"][0]["flag"] = True
    assert translate(doc, SETTINGS, NOW) == translate(full_document(), SETTINGS, NOW)


@pytest.mark.parametrize("lat", [-90.0, -45.5, 0.0001, 89.999, 90.0])
@pytest.mark.parametrize("lon", [-180.0, -0.5, 0.0, 120.25, 180.0])
def test_every_plausible_coordinate_round_trips(lat: float, lon: float) -> None:
    location = translate(
        patched(f"{LOC}/locationByValue", pidf_point(lat, lon)), SETTINGS, NOW
    ).location
    assert location is not None
    assert location.point is not None
    assert (location.point.lat, location.point.lon) == (lat, lon)


def test_deep_copy_is_independent() -> None:
    doc = full_document()
    copied = deep_copy(doc)
    copied["incidentComponent"]["beatOrDispatchGroupText"] = "x"
    assert doc["incidentComponent"]["beatOrDispatchGroupText"] == "Beat 12"
