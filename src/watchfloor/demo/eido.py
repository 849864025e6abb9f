"""The simulated CAD's state of one incident, and the NENA EIDO document that describes it.

Shared by the city feed and the scripted scenarios, so both send what a real CAD sends: every
document is the incident's whole current state, as EIDO updates are.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from xml.sax.saxutils import escape

from watchfloor.demo.city import Address

AGENCY = "police.watchfloor.demo"
ISSUER = "cad.watchfloor.demo"
ID_PREFIX = "urn:emergency:uid:incidentid"
RECEIVED = "Received"


def timestamp(when: datetime) -> str:
    """RFC 3339 with milliseconds, as EIDO wants it."""
    return when.isoformat(timespec="milliseconds")


def prologue(eid: str, when: datetime, agency: str = AGENCY) -> dict[str, Any]:
    """The members every EIDO component starts with."""
    return {
        "$id": eid,
        "lastUpdateTimeStamp": timestamp(when),
        "updatedByAgencyReference": {"$ref": agency},
    }


def pidf(address: Address) -> str:
    """PIDF-LO with the address point (EPSG:4326) and its civic address."""
    civic = [("country", "FI"), ("A3", "Helsinki")]
    civic += [("HNO", address.housenumber), ("RD", address.street or "")]
    if address.postcode:
        civic.append(("PC", address.postcode))
    civic_xml = "".join(f"<ca:{k}>{escape(v)}</ca:{k}>" for k, v in civic)
    return (
        '<?xml version="1.0" encoding="UTF-8"?><presence xmlns="urn:ietf:params:xml:ns:pidf" '
        'xmlns:gp="urn:ietf:params:xml:ns:pidf:geopriv10" xmlns:gml="http://www.opengis.net/gml" '
        'xmlns:ca="urn:ietf:params:xml:ns:pidf:geopriv10:civicAddr" entity="pres:cad@demo">'
        "<tuple id='t1'><status><gp:geopriv><gp:location-info>"
        f'<gml:Point srsName="urn:ogc:def:crs:EPSG::4326"><gml:pos>{address.lat:.6f} '
        f"{address.lon:.6f}</gml:pos></gml:Point><ca:civicAddress>{civic_xml}</ca:civicAddress>"
        "</gp:location-info></gp:geopriv></status></tuple></presence>"
    )


@dataclass
class Unit:
    """A unit on the incident and its status word (Dispatched, Enroute, OnScene ...)."""

    name: str
    status: str
    updated_at: datetime
    kind: str = "LawEnforcement"
    agency: str = AGENCY


@dataclass
class Caller:
    """One call about the incident; address None means the caller is at the incident."""

    key: str
    started_at: datetime
    emergency: bool
    address: Address | None = None


@dataclass
class Incident:
    """Everything the simulated CAD knows about one incident."""

    key: str
    cad_number: str
    code: str
    text: str
    priority: int
    address: Address
    started_at: datetime
    updated_at: datetime
    status: str = RECEIVED
    callers: list[Caller] = field(default_factory=list)
    units: list[Unit] = field(default_factory=list)
    notes: list[tuple[str, datetime, str]] = field(default_factory=list)
    components: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    @property
    def eido_id(self) -> str:
        """The incident's EIDO $id."""
        return f"{ID_PREFIX}:{self.key}:{AGENCY}"

    def set_unit(
        self,
        name: str,
        status: str,
        when: datetime,
        kind: str = "LawEnforcement",
        agency: str = AGENCY,
    ) -> None:
        """Add the unit, or move it to status."""
        for unit in self.units:
            if unit.name == name:
                unit.status, unit.updated_at = status, when
                return
        self.units.append(Unit(name, status, when, kind, agency))


def _owning_agency(incident: Incident) -> dict[str, Any]:
    return {
        **prologue(AGENCY, incident.started_at),
        "agencyName": "Watchfloor demo police",
        "agencyRoleDescriptionRegistryText": ["Dispatch"],
        "agencyType": ["LawEnforcement"],
        "incidentOwningAgencyIndicator": True,
    }


def _incident_component(incident: Incident, base: str) -> dict[str, Any]:
    component: dict[str, Any] = {
        **prologue(f"{base}:incident", incident.updated_at),
        "incidentTypeCommonRegistryText": incident.code,
        "incidentTypeInternalText": incident.text,
        "incidentCommonPriorityNumber": incident.priority,
        "incidentPriorityInternalText": f"P{incident.priority}",
        "incidentStatusCommonRegistryText": [incident.status],
        "internalIncidentId": incident.cad_number,
        "locationReference": [{"$ref": f"{base}:location"}],
    }
    if incident.address.district:
        component["beatOrDispatchGroupText"] = incident.address.district
    return component


def _calls(incident: Incident, base: str) -> list[dict[str, Any]]:
    calls = []
    for caller in incident.callers:
        call: dict[str, Any] = {
            **prologue(f"{base}:call:{caller.key}", caller.started_at),
            "direction": "incoming",
            "callStartTimestamp": timestamp(caller.started_at),
            "callStateRegistryText": "callAnswered",
        }
        if caller.emergency:
            call["standardPrimaryCallType"] = "emergency"
        else:
            call["localCallType"] = "non-emergency line or officer-initiated"
        calls.append(call)
    return calls


def _location(eid: str, address: Address, kind: str, when: datetime) -> dict[str, Any]:
    # address.name (a shop, a bank) is not sent: a simulated crime is not pinned on a real business
    return {
        **prologue(eid, when),
        "locationTypeDescriptionRegistryText": kind,
        "locationByValue": pidf(address),
    }


def _locations(incident: Incident, base: str) -> list[dict[str, Any]]:
    locations = [_location(f"{base}:location", incident.address, "Incident", incident.started_at)]
    for caller in incident.callers:
        if caller.address is not None:
            eid = f"{base}:location:{caller.key}"
            locations.append(_location(eid, caller.address, "Caller", caller.started_at))
    return locations


def _resources(incident: Incident, base: str) -> list[dict[str, Any]]:
    return [
        {
            **prologue(f"{base}:unit:{unit.name}", unit.updated_at, unit.agency),
            "emergencyResourceName": unit.name,
            "emergencyResourceTypeCommonRegistryText": unit.kind,
            "primaryUnitStatusRegistryText": unit.status,
        }
        for unit in incident.units
    ]


def _notes(incident: Incident, base: str) -> list[dict[str, Any]]:
    return [
        {
            **prologue(f"{base}:note:{key}", written_at),
            "notesActionComments": text,
            "agentReference": {"$ref": f"dispatcher@{AGENCY}"},
        }
        for key, written_at, text in incident.notes
    ]


def render(incident: Incident) -> dict[str, Any]:
    """The EIDO document describing the incident as of its last update."""
    base = incident.eido_id
    document: dict[str, Any] = {
        **prologue(base, incident.updated_at),
        "eidoVersion": "1.0",
        "issuingElementIdentification": ISSUER,
        "agencyComponent": [_owning_agency(incident), *incident.components.get("agency", [])],
        "incidentComponent": _incident_component(incident, base),
        "callComponent": _calls(incident, base),
        "locationComponent": _locations(incident, base),
    }
    optional = {
        "emergencyResourceComponent": _resources(incident, base),
        "notesComponent": _notes(incident, base),
        "personComponent": incident.components.get("person", []),
        "vehicleComponent": incident.components.get("vehicle", []),
        "cautionComponent": incident.components.get("caution", []),
    }
    document.update({name: value for name, value in optional.items() if value})
    return document
