"""Local incidents: ones Watchfloor opens itself (a gunshot with no CAD call yet), stored through
the normal CAD merge so they are in the queue, on the timeline and published as incident.created."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from watchfloor.core.context import RequestContext
from watchfloor.core.geo import GeoPoint
from watchfloor.domain.incidents.merge import Received
from watchfloor.domain.incidents.service import IncidentService
from watchfloor.events.cad import IncidentReport, IncidentStatus, LocationReport

ISSUING_ELEMENT = "watchfloor"
EIDO_PREFIX = "urn:watchfloor:incident:"
SOURCE = "watchfloor:correlation"


@dataclass(frozen=True, slots=True)
class LocalIncident:
    """What a local incident starts from: a type, a priority, a place and a time."""

    type_code: str
    priority: int
    lat: float
    lon: float
    occurred_at: datetime
    reported_at: datetime
    type_text: str | None = None
    address: str | None = None
    beat: str | None = None


def local_report(spec: LocalIncident, eido_id: str | None = None) -> IncidentReport:
    """The CAD-shaped report of a local incident (a fresh EIDO id unless given)."""
    return IncidentReport(
        eido_id=eido_id or f"{EIDO_PREFIX}{uuid.uuid4()}",
        last_updated_at=spec.reported_at,
        issuing_element=ISSUING_ELEMENT,
        type_code=spec.type_code,
        type_text=spec.type_text,
        priority=spec.priority,
        status=IncidentStatus.RECEIVED,
        beat=spec.beat,
        call_started_at=spec.occurred_at,
        location=LocationReport(point=GeoPoint(lat=spec.lat, lon=spec.lon), address=spec.address),
    )


async def open_local(service: IncidentService, spec: LocalIncident, context: RequestContext) -> str:
    """Open a local incident; its id."""
    report = local_report(spec)
    document = report.model_dump(mode="json")
    received = Received(
        document=document, report=report, received_at=spec.reported_at, source=SOURCE
    )
    (result,) = await service.store([received], context)
    return result.incident_id
