"""EIDO documents for the connector tests, and the NENA files read from shared/ at test time."""

from __future__ import annotations

import copy
import json
import os
import subprocess
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from watchfloor.connectors.eido.mapping import translate
from watchfloor.core.errors import FieldProblem, InvalidInput
from watchfloor.settings import EidoSettings

NOW = datetime(2026, 11, 21, 14, 0, 0, tzinfo=UTC)


def _nena_dir() -> Path:
    """NENA's EIDO files in the team's shared/ folder: WATCHFLOOR_SHARED_DIR, else beside this
    checkout, else beside the repository a clean clone was made from (CI clones elsewhere)."""
    repo = Path(__file__).resolve().parents[3]
    candidates = (
        [Path(os.environ["WATCHFLOOR_SHARED_DIR"])] if "WATCHFLOOR_SHARED_DIR" in os.environ else []
    )
    candidates.append(repo.parent / "shared")
    origin = subprocess.run(
        ["git", "-C", str(repo), "config", "--get", "remote.origin.url"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    if origin and Path(origin).is_dir():
        candidates.append(Path(origin).resolve().parent / "shared")
    for shared in candidates:
        if (shared / "standards" / "nena-eido").is_dir():
            return shared / "standards" / "nena-eido"
    return candidates[0] / "standards" / "nena-eido"


NENA_DIR = _nena_dir()
INCIDENT_ID = "urn:emergency:uid:incidentid:0042:cad.example.gov"
AGENCY = "police.example.gov"

PIDF_POINT = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<presence xmlns="urn:ietf:params:xml:ns:pidf" xmlns:gp="urn:ietf:params:xml:ns:pidf:geopriv10"'
    ' xmlns:gml="http://www.opengis.net/gml" xmlns:gs="http://www.opengis.net/pidflo/1.0"'
    ' xmlns:ca="urn:ietf:params:xml:ns:pidf:geopriv10:civicAddr" entity="pres:cad@example.gov">'
    '<tuple id="t1"><status><gp:geopriv><gp:location-info>'
    '<gs:Circle srsName="urn:ogc:def:crs:EPSG::4326"><gml:pos>{lat} {lon}</gml:pos>'
    '<gs:radius uom="urn:ogc:def:uom:EPSG::9001">15</gs:radius></gs:Circle>'
    "<ca:civicAddress><ca:country>US</ca:country><ca:A1>PA</ca:A1><ca:A3>Pittsburgh</ca:A3>"
    "<ca:HNO>100</ca:HNO><ca:PRD>N</ca:PRD><ca:RD>Main</ca:RD><ca:STS>St</ca:STS></ca:civicAddress>"
    "</gp:location-info></gp:geopriv></status></tuple></presence>"
)
PIDF_CROSS = (
    '<presence xmlns="urn:ietf:params:xml:ns:pidf"><civicAddress'
    ' xmlns="urn:ietf:params:xml:ns:pidf:geopriv10:civicAddr"><RD>Oak</RD><STS>Ave</STS>'
    "</civicAddress></presence>"
)


def pidf_point(lat: float | str, lon: float | str) -> str:
    """A PIDF-LO circle around lat lon with a civic address."""
    return PIDF_POINT.format(lat=lat, lon=lon)


def prologue(component_id: str, at: str = "2026-11-21T08:30:00-05:00") -> dict[str, Any]:
    """The prologue every component carries."""
    return {
        "$id": component_id,
        "lastUpdateTimeStamp": at,
        "updatedByAgencyReference": {"$ref": AGENCY},
    }


def _incident() -> dict[str, Any]:
    return {
        **prologue("inc-1"),
        "incidentTypeCommonRegistryText": "ROBBERY",
        "incidentTypeInternalCode": "211",
        "incidentTypeInternalText": "ARMED ROBBERY",
        "incidentStatusCommonRegistryText": ["Dispatched", "On Scene"],
        "incidentStatusInternalText": ["OS"],
        "internalIncidentId": "2026-004211",
        "incidentCommonPriorityNumber": 1,
        "incidentPriorityInternalText": "P1 EMERGENCY",
        "beatOrDispatchGroupText": "Beat 12",
        "locationReference": [{"$ref": "loc-scene"}],
        "notesReference": [{"$ref": "note-1"}],
    }


def _call() -> list[dict[str, Any]]:
    return [
        {**prologue("call-2"), "callStartTimestamp": "2026-11-21T13:41:00Z"},
        {**prologue("call-1"), "callStartTimestamp": "2026-11-21T08:40:00-05:00"},
    ]


def _agency() -> list[dict[str, Any]]:
    return [
        {
            **prologue(AGENCY),
            "agencyRoleDescriptionRegistryText": ["Dispatch"],
            "agencyType": ["police"],
            "incidentOwningAgencyIndicator": True,
            "agencyJcard": '["vcard", [["fn", {}, "text", "Example City Police"]]]',
        },
        {
            **prologue("fire.example.gov"),
            "agencyRoleDescriptionRegistryText": ["Responding"],
            "agencyType": "fire",
        },
    ]


def _location() -> list[dict[str, Any]]:
    return [
        {
            **prologue("loc-caller"),
            "locationTypeDescriptionRegistryText": "Caller",
            "latitude": 40.1,
            "longitude": -79.9,
        },
        {
            **prologue("loc-scene"),
            "locationTypeDescriptionRegistryText": "Incident",
            "locationByValue": pidf_point(40.441345, -80.000266),
            "locationDescriptionText": "behind the bank",
            "crossStreetByValue": [PIDF_CROSS],
            "intersectingStreetByValue": ["Elm St"],
        },
        {
            **prologue("loc-unit"),
            "locationTypeDescriptionRegistryText": "Unit",
            "locationByValue": {"type": "Point", "coordinates": [-80.01, 40.45]},
        },
    ]


def _emergency_resource() -> list[dict[str, Any]]:
    return [
        {
            **prologue("unit-1A12", "2026-11-21T13:50:00Z"),
            "emergencyResourceName": "1A12",
            "emergencyResourceTypeCommonRegistryText": "PatrolCar",
            "primaryUnitStatusRegistryText": "OnScene",
            "unitLocationReference": {"$ref": "loc-unit"},
        },
        {
            **prologue("unit-77"),
            "emergencyResourceTypeCommonRegistryText": "Ambulance",
            "primaryUnitStatusRegistryText": "Sleeping",
        },
    ]


def _notes() -> list[dict[str, Any]]:
    return [
        {
            **prologue("note-1", "2026-11-21T13:45:00Z"),
            "notesActionComments": "<p>Suspect fled north on foot</p>",
            "agentReference": {"$ref": "dispatcher7@police.example.gov"},
        }
    ]


def _caution() -> list[dict[str, Any]]:
    return [
        {
            **prologue("caution-1"),
            "cautionTypeInternalText": "ARMED",
            "cautionTypeCommonRegistryText": "Weapons",
            "cautionSeverity": "highest",
            "cautionSource": "caller",
            "startDate": "2026-11-21T13:40:00Z",
        }
    ]


def _person() -> list[dict[str, Any]]:
    return [
        {
            **prologue("person-1"),
            "personIncidentRoleRegistryText": ["Suspect"],
            "ncPersonComponent": {
                "PersonName": {
                    "PersonGivenName": "John",
                    "PersonSurName": {"value": "Doe"},
                },
                "PersonDescriptionText": "red hoodie",
            },
        },
        {**prologue("person-2"), "personIncidentRoleRegistryText": "Caller"},
    ]


def _vehicle() -> list[dict[str, Any]]:
    return [
        {
            **prologue("vehicle-1"),
            "vehicleRelationshipType": ["Suspect"],
            "vehicleRelationshipTimeStamp": "2026-11-21T13:42:00Z",
            "ncVehicleComponent": {
                "nc:ConveyanceRegistrationPlateIdentification": {
                    "nc:IdentificationID": "ABC1234",
                    "nc:IdentificationJurisdiction": {"nc:LocationStateUSPostalServiceCode": "PA"},
                },
                "nc:VehicleMakeCode": "FORD",
                "nc:VehicleModelCode": "F150",
                "nc:VehicleColorPrimaryCode": "BLK",
                "nc:ItemModelYearDate": "2019",
                "nc:ConveyanceDescriptionText": "dented tailgate",
            },
        }
    ]


def full_document() -> dict[str, Any]:
    """A current-schema EIDO with every component Watchfloor reads."""
    return {
        **prologue(INCIDENT_ID, "2026-11-21T08:55:00-05:00"),
        "eidoVersion": "1.0",
        "issuingElementIdentification": "cad.example.gov",
        "someFutureExtension": {"ignored": True},
        "incidentComponent": _incident(),
        "callComponent": _call(),
        "agencyComponent": _agency(),
        "locationComponent": _location(),
        "emergencyResourceComponent": _emergency_resource(),
        "notesComponent": _notes(),
        "cautionComponent": _caution(),
        "personComponent": _person(),
        "vehicleComponent": _vehicle(),
    }


def nena_sample(name: str) -> dict[str, Any]:
    """One of NENA's sample EIDOs, read from shared/ (not redistributed in the repo)."""
    loaded: dict[str, Any] = json.loads((NENA_DIR / name).read_text(encoding="utf-8"))
    return loaded


def deep_copy(doc: dict[str, Any]) -> dict[str, Any]:
    """An independent copy to mutate."""
    return copy.deepcopy(doc)


SETTINGS = EidoSettings()
DELETE = object()


def patched(path: str, value: Any) -> dict[str, Any]:
    """full_document() with the value at an RFC 6901 pointer replaced (DELETE removes it)."""
    doc = full_document()
    *parents, last = [p.replace("~1", "/").replace("~0", "~") for p in path.split("/")[1:]]
    target: Any = doc
    for part in parents:
        target = target[int(part)] if isinstance(target, list) else target[part]
    key: Any = int(last) if isinstance(target, list) else last
    if value is DELETE:
        del target[key]
    else:
        target[key] = value
    return doc


def problems_of(doc: Any, settings: EidoSettings = SETTINGS) -> list[FieldProblem]:
    """The problems translate() reports for doc (it must reject it)."""
    with pytest.raises(InvalidInput) as caught:
        translate(doc, settings, NOW)
    return caught.value.problems


INC = "/incidentComponent"
LOC = "/locationComponent/1"
