"""Builders for the incidents tests: CAD reports for the service, EIDO JSON for HTTP intake."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from tests.conftest import START
from watchfloor.app import Watchfloor
from watchfloor.core.context import Actor, RequestContext
from watchfloor.core.geo import GeoPoint
from watchfloor.domain.incidents.merge import Received
from watchfloor.domain.incidents.schemas import StoreResult
from watchfloor.events.cad import (
    IncidentReport,
    IncidentStatus,
    LocationReport,
    NoteReport,
    UnitReport,
    UnitStatus,
)

AGENCY = "police.example.gov"


def report(
    eido_id: str = "urn:emergency:uid:incidentid:1:cad.example.gov",
    *,
    at: datetime | None = None,
    priority: int | None = 2,
    status: IncidentStatus | None = IncidentStatus.DISPATCHED,
    **fields: Any,
) -> IncidentReport:
    """A CAD report as the EIDO connector would hand it over."""
    defaults: dict[str, Any] = {
        "issuing_element": "cad.example.gov",
        "type_code": "ROBBERY",
        "location": LocationReport(point=GeoPoint(lat=40.44, lon=-80.0), address="100 Main St"),
    }
    return IncidentReport(
        eido_id=eido_id,
        last_updated_at=at or START - timedelta(minutes=5),
        priority=priority,
        status=status,
        **{**defaults, **fields},
    )


def unit(eido_id: str, status: UnitStatus, at: datetime) -> UnitReport:
    """A unit on the call."""
    return UnitReport(
        eido_id=eido_id,
        name=eido_id.upper(),
        kind="PatrolCar",
        status=status,
        status_text=status.value,
        updated_at=at,
    )


def note(eido_id: str, text: str, at: datetime) -> NoteReport:
    """A CAD note."""
    return NoteReport(eido_id=eido_id, text=text, author="dispatcher7", written_at=at)


async def store(wf: Watchfloor, *reports: IncidentReport) -> list[StoreResult]:
    """Store reports through the service in one delivery (the document is the report's JSON)."""
    now = wf.clock.now()
    items = [Received(r.model_dump(mode="json"), r, now, "test") for r in reports]
    return await wf.incidents.store(items, RequestContext(actor=Actor.system("test-cad")))


def _prologue(component_id: str, at: str) -> dict[str, Any]:
    return {
        "$id": component_id,
        "lastUpdateTimeStamp": at,
        "updatedByAgencyReference": {"$ref": AGENCY},
    }


def eido(
    eido_id: str = "urn:emergency:uid:incidentid:7:cad.example.gov",
    *,
    at: str = "2026-11-21T13:55:00Z",
    type_code: str = "ROBBERY",
    priority: int = 2,
    notes: tuple[tuple[str, str], ...] = (("note-1", "caller on scene"),),
) -> dict[str, Any]:
    """A small, valid EIDO JSON document."""
    return {
        **_prologue(eido_id, at),
        "eidoVersion": "1.0",
        "issuingElementIdentification": "cad.example.gov",
        "agencyComponent": [_prologue(AGENCY, at)],
        "incidentComponent": {
            **_prologue("inc-1", at),
            "incidentTypeCommonRegistryText": type_code,
            "incidentCommonPriorityNumber": priority,
            "incidentStatusCommonRegistryText": ["Dispatched"],
            "locationReference": [{"$ref": "loc-1"}],
        },
        "locationComponent": [
            {
                **_prologue("loc-1", at),
                "locationTypeDescriptionRegistryText": "Incident",
                "latitude": 40.44,
                "longitude": -80.0,
            }
        ],
        "notesComponent": [
            {**_prologue(note_id, at), "notesActionComments": text} for note_id, text in notes
        ],
    }
