"""A seeded CAD that writes NENA EIDO documents: new calls and their progress through dispatch.

Used by `watchfloor demo` and by the benchmarks, so both send what a real CAD sends.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from watchfloor.core.geo import GeoPoint

# (APCO common incident type, text, usual priority)
CALL_TYPES: tuple[tuple[str, str, int], ...] = (
    ("SHOTS", "SHOTS FIRED", 1),
    ("ROBBERY", "ROBBERY IN PROGRESS", 1),
    ("DOMESTIC", "DOMESTIC DISTURBANCE", 1),
    ("ASSAULT", "ASSAULT", 2),
    ("BURG", "BURGLARY", 2),
    ("ALRBA", "BURGLAR ALARM", 2),
    ("VEHACC", "VEHICLE CRASH", 2),
    ("SUSPIC", "SUSPICIOUS PERSON", 3),
    ("THEFT", "THEFT", 4),
    ("NOISE", "NOISE COMPLAINT", 5),
    ("VANDAL", "VANDALISM", 4),
    ("WELFARE", "WELFARE CHECK", 3),
)
STREETS = (
    "Liberty Ave",
    "Penn Ave",
    "Smithfield St",
    "Grant St",
    "Forbes Ave",
    "Fifth Ave",
    "Carson St",
    "Butler St",
    "Baum Blvd",
    "Centre Ave",
    "Wylie Ave",
    "Murray Ave",
)
STATUS_FLOW = ("Dispatched", "Enroute", "OnScene", "Cleared", "Closed")
AGENCY = "police.watchfloor.demo"


def _ts(when: datetime) -> str:
    return when.isoformat(timespec="milliseconds")


def _prologue(eid: str, when: datetime) -> dict[str, Any]:
    return {
        "$id": eid,
        "lastUpdateTimeStamp": _ts(when),
        "updatedByAgencyReference": {"$ref": AGENCY},
    }


def _pidf(point: GeoPoint, number: int, street: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?><presence xmlns="urn:ietf:params:xml:ns:pidf" '
        'xmlns:gp="urn:ietf:params:xml:ns:pidf:geopriv10" xmlns:gml="http://www.opengis.net/gml" '
        'xmlns:ca="urn:ietf:params:xml:ns:pidf:geopriv10:civicAddr" entity="pres:cad@demo">'
        "<tuple id='t1'><status><gp:geopriv><gp:location-info>"
        f'<gml:Point srsName="urn:ogc:def:crs:EPSG::4326"><gml:pos>{point.lat:.6f} {point.lon:.6f}'
        "</gml:pos></gml:Point><ca:civicAddress><ca:country>US</ca:country><ca:A1>PA</ca:A1>"
        f"<ca:A3>Pittsburgh</ca:A3><ca:HNO>{number}</ca:HNO><ca:RD>{street}</ca:RD>"
        "</ca:civicAddress></gp:location-info></gp:geopriv></status></tuple></presence>"
    )


@dataclass
class SimulatedCall:
    """One call for service the simulated CAD is working."""

    number: int
    call_type: tuple[str, str, int]
    point: GeoPoint
    address: tuple[int, str]
    started_at: datetime
    step: int = -1
    units: list[str] = field(default_factory=list)


class CadSimulator:
    """Produces EIDO documents: new calls, then dispatch, en route, on scene, cleared, closed."""

    def __init__(self, seed: int = 7, centre: GeoPoint | None = None, open_calls: int = 40) -> None:
        self._rng = random.Random(seed)  # noqa: S311 - reproducible simulation, not security
        self._centre = centre or GeoPoint(lat=40.4406, lon=-79.9959)
        self._open: list[SimulatedCall] = []
        self._target_open = open_calls
        self._next_number = 1

    def next_document(self, now: datetime) -> dict[str, Any]:
        """The next EIDO update: a new call, or progress on an open one."""
        if not self._open or (len(self._open) < self._target_open and self._rng.random() < 0.35):
            call = self._new_call(now)
            self._open.append(call)
        else:
            call = self._rng.choice(self._open)
            call.step += 1
            if call.step == 0:
                call.units = [f"{self._rng.randint(1, 9)}A{self._rng.randint(10, 99)}"]
            if call.step >= len(STATUS_FLOW) - 1:
                self._open.remove(call)
        return self.document(call, now)

    def _new_call(self, now: datetime) -> SimulatedCall:
        rng = self._rng
        point = GeoPoint(
            lat=self._centre.lat + rng.uniform(-0.04, 0.04),
            lon=self._centre.lon + rng.uniform(-0.05, 0.05),
        )
        call = SimulatedCall(
            self._next_number,
            rng.choice(CALL_TYPES),
            point,
            (rng.randint(1, 4999), rng.choice(STREETS)),
            now,
        )
        self._next_number += 1
        return call

    def document(self, call: SimulatedCall, now: datetime) -> dict[str, Any]:
        """The EIDO document describing call as of now."""
        base = f"urn:emergency:uid:incidentid:{call.number:06d}:{AGENCY}"
        status = "Received" if call.step < 0 else STATUS_FLOW[call.step]
        code, text, priority = call.call_type
        doc: dict[str, Any] = {
            **_prologue(base, now),
            "eidoVersion": "1.0",
            "issuingElementIdentification": "cad.watchfloor.demo",
            "agencyComponent": [
                {
                    **_prologue(AGENCY, call.started_at),
                    "agencyRoleDescriptionRegistryText": ["Dispatch"],
                    "agencyType": ["LawEnforcement"],
                    "incidentOwningAgencyIndicator": True,
                }
            ],
            "incidentComponent": {
                **_prologue(f"{base}:incident", now),
                "incidentTypeCommonRegistryText": code,
                "incidentTypeInternalText": text,
                "incidentCommonPriorityNumber": priority,
                "incidentStatusCommonRegistryText": [status],
                "internalIncidentId": f"26-{call.number:06d}",
                "locationReference": [{"$ref": f"{base}:location"}],
            },
            "callComponent": [
                {
                    **_prologue(f"{base}:call", call.started_at),
                    "standardPrimaryCallType": "emergency",
                    "direction": "incoming",
                    "callStartTimestamp": _ts(call.started_at),
                    "callStateRegistryText": "callAnswered",
                }
            ],
            "locationComponent": [
                {
                    **_prologue(f"{base}:location", call.started_at),
                    "locationTypeDescriptionRegistryText": "IncidentLocation",
                    "locationByValue": _pidf(call.point, *call.address),
                }
            ],
        }
        if call.units and call.step >= 0:
            doc["emergencyResourceComponent"] = [
                {
                    **_prologue(f"{base}:unit:{unit}", now),
                    "emergencyResourceName": unit,
                    "emergencyResourceTypeCommonRegistryText": "LawEnforcement",
                    "resourceAttributeRegistryText": ["Patrol"],
                    "primaryUnitStatusRegistryText": STATUS_FLOW[min(call.step, 3)],
                    "secondaryUnitStatusRegistryText": [],
                    "agentReference": [],
                }
                for unit in call.units
            ]
        return doc
