"""The simulated CAD's EIDO rendering: what the connector reads back is what the CAD knew."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from watchfloor.connectors.eido.mapping import translate
from watchfloor.demo.city import find_address
from watchfloor.demo.eido import Caller, Incident, pidf, render
from watchfloor.events.cad import IncidentStatus, UnitStatus
from watchfloor.settings import EidoSettings

AT = datetime(2026, 11, 21, 13, 0, tzinfo=UTC)


def _incident() -> Incident:
    address = find_address("Aleksanterinkatu", "44")
    return Incident(
        key="000042",
        cad_number="26-000042",
        code="FIGHT",
        text="FIGHT",
        priority=2,
        address=address,
        started_at=AT,
        updated_at=AT,
        callers=[Caller("1", AT, emergency=True)],
    )


def test_a_new_call_reads_back_with_its_real_address_point_and_type() -> None:
    incident = _incident()

    report = translate(render(incident), EidoSettings(), AT)

    assert report.eido_id == "urn:emergency:uid:incidentid:000042:police.watchfloor.demo"
    assert (report.type_code, report.type_text, report.priority) == ("FIGHT", "FIGHT", 2)
    assert report.status is IncidentStatus.RECEIVED
    assert report.location is not None
    assert report.location.point is not None
    assert report.location.point.lat == pytest.approx(incident.address.lat, abs=1e-6)
    assert report.location.point.lon == pytest.approx(incident.address.lon, abs=1e-6)
    assert report.location.address == "44 Aleksanterinkatu, Helsinki"
    assert report.beat == "Kluuvi"
    assert report.cad_incident_number == "26-000042"
    assert report.call_started_at == AT
    assert report.units == []


def test_units_and_status_travel_with_each_units_own_update_time() -> None:
    incident = _incident()
    later = AT + timedelta(minutes=2)
    incident.set_unit("2A31", "Dispatched", AT)
    incident.set_unit("2A31", "OnScene", later)
    incident.set_unit("M21", "Enroute", later, kind="Ambulance", agency="ems.example")
    incident.status, incident.updated_at = "OnScene", later

    report = translate(render(incident), EidoSettings(), later)

    assert report.status is IncidentStatus.ON_SCENE
    assert [(u.name, u.status, u.kind) for u in report.units] == [
        ("2A31", UnitStatus.ON_SCENE, "LawEnforcement"),
        ("M21", UnitStatus.EN_ROUTE, "Ambulance"),
    ]
    assert report.units[1].agency_ref == "ems.example"
    assert report.last_updated_at == later


def test_pidf_escapes_what_xml_would_read_as_markup() -> None:
    address = find_address("Aleksanterinkatu", "44")
    tricky = type(address)(osm="n1", street="A & <B>", housenumber="1", lat=60.17, lon=24.94)

    assert "A &amp; &lt;B&gt;" in pidf(tricky)
    assert "<ca:A1>" not in pidf(address)
