"""Merging one CAD report into the stored incident: newest wins, children by $id, timeline kept."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson
from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from watchfloor.core.geo import grid_cell
from watchfloor.domain.incidents.models import (
    EidoDocument,
    Incident,
    IncidentAgency,
    IncidentCaution,
    IncidentNote,
    IncidentPerson,
    IncidentUnit,
    IncidentVehicle,
)
from watchfloor.domain.incidents.schemas import StoreOutcome
from watchfloor.domain.incidents.timeline import add_entry
from watchfloor.events.cad import IncidentReport, IncidentStatus, UnitReport, UnitStatus

LIFECYCLE_COLUMN: dict[IncidentStatus, str] = {
    IncidentStatus.DISPATCHED: "dispatched_at",
    IncidentStatus.EN_ROUTE: "en_route_at",
    IncidentStatus.ON_SCENE: "on_scene_at",
    IncidentStatus.CLEARED: "cleared_at",
    IncidentStatus.CLOSED: "closed_at",
}


@dataclass(frozen=True)
class Received:
    """One translated document as it arrived."""

    document: Any
    report: IncidentReport
    received_at: datetime
    source: str


def document_sha256(document: Any) -> str:
    """SHA-256 of the document's canonical JSON (sorted keys)."""
    return hashlib.sha256(orjson.dumps(document, option=orjson.OPT_SORT_KEYS)).hexdigest()


def derive_status(report: IncidentReport) -> IncidentStatus:
    """The report's status, or one derived from its units' statuses when it gives none."""
    if report.status is not None:
        return report.status
    statuses = {unit.status for unit in report.units}
    if UnitStatus.ON_SCENE in statuses:
        return IncidentStatus.ON_SCENE
    if UnitStatus.EN_ROUTE in statuses:
        return IncidentStatus.EN_ROUTE
    if report.units:
        return IncidentStatus.DISPATCHED
    return IncidentStatus.RECEIVED


def merge(session: Session, item: Received) -> tuple[Incident, StoreOutcome]:
    """Store one received document; the caller's transaction makes it durable."""
    report = item.report
    sha = document_sha256(item.document)
    incident = session.execute(
        select(Incident).where(Incident.eido_id == report.eido_id).with_for_update()
    ).scalar_one_or_none()
    if incident is None:
        incident = _new_incident(item)
        session.add(incident)
        session.flush()
        outcome = StoreOutcome.CREATED
        add_entry(session, incident.id, item.received_at, "incident.created", _actor(report), {})
    elif _seen(session, report.eido_id, sha):
        outcome = StoreOutcome.DUPLICATE
    elif report.last_updated_at < incident.last_updated_at:
        outcome = StoreOutcome.STALE
    else:
        outcome = StoreOutcome.UPDATED
        incident.version += 1
    if outcome in (StoreOutcome.CREATED, StoreOutcome.UPDATED):
        _apply(session, incident, item)
        _merge_children(session, incident, report)
    session.add(
        EidoDocument(
            incident_id=incident.id,
            eido_id=report.eido_id,
            sha256=sha,
            last_updated_at=report.last_updated_at,
            received_at=item.received_at,
            source=item.source,
            outcome=outcome.value,
            document=_as_json(item.document),
        )
    )
    session.flush()
    return incident, outcome


def _seen(session: Session, eido_id: str, sha: str) -> bool:
    found = session.execute(
        select(EidoDocument.id)
        .where(EidoDocument.eido_id == eido_id, EidoDocument.sha256 == sha)
        .limit(1)
    )
    return found.first() is not None


def _actor(report: IncidentReport) -> str:
    return f"cad:{report.issuing_element}"


def _as_json(document: Any) -> dict[str, Any]:
    if isinstance(document, dict):
        return document
    return {"document": orjson.loads(orjson.dumps(document, default=str))}


def _new_incident(item: Received) -> Incident:
    report = item.report
    return Incident(
        eido_id=report.eido_id,
        status=IncidentStatus.RECEIVED.value,
        received_at=report.call_started_at or item.received_at,
        first_received_at=item.received_at,
        last_updated_at=report.last_updated_at,
        issuing_element=report.issuing_element,
        type_code=report.type_code,
        cross_streets=[],
        document={},
        version=1,
    )


def _apply(session: Session, incident: Incident, item: Received) -> None:
    report = item.report
    incident.type_code = report.type_code
    incident.type_internal_code = report.type_internal_code
    incident.type_text = report.type_text
    incident.priority = report.priority
    incident.priority_text = report.priority_text
    incident.cad_incident_number = report.cad_incident_number
    incident.beat = report.beat
    incident.issuing_element = report.issuing_element
    incident.last_updated_at = report.last_updated_at
    incident.document = _as_json(item.document)
    _apply_location(incident, report)
    status = derive_status(report)
    if status.value != incident.status:
        add_entry(
            session,
            incident.id,
            report.last_updated_at,
            "status.changed",
            _actor(report),
            {"from": incident.status, "to": status.value},
        )
        incident.status = status.value
    column = LIFECYCLE_COLUMN.get(status)
    if column is not None and getattr(incident, column) is None:
        setattr(incident, column, report.last_updated_at)


def _apply_location(incident: Incident, report: IncidentReport) -> None:
    location = report.location
    if location is None:
        return
    incident.lat = location.point.lat if location.point else None
    incident.lon = location.point.lon if location.point else None
    incident.cell = grid_cell(location.point.lat, location.point.lon) if location.point else None
    incident.address = location.address
    incident.cross_streets = list(location.cross_streets)
    incident.location_description = location.description


def _merge_children(session: Session, incident: Incident, report: IncidentReport) -> None:
    if report.units:
        _merge_units(session, incident, report)
    notes = _by_eido_id(session, IncidentNote, incident.id) if report.notes else {}
    for note in report.notes:
        stored = notes.get(note.eido_id)
        if stored is not None and stored.origin != "cad":
            continue  # an intel note is never touched by a CAD update
        if stored is None:
            add_entry(
                session,
                incident.id,
                note.written_at,
                "note.added",
                note.author or _actor(report),
                {"origin": "cad", "eido_id": note.eido_id},
            )
        row = stored or IncidentNote(incident_id=incident.id, eido_id=note.eido_id)
        _copy(row, note, origin="cad")
        session.add(row)
    for model, reports in (
        (IncidentCaution, report.cautions),
        (IncidentPerson, report.persons),
        (IncidentVehicle, report.vehicles),
        (IncidentAgency, report.agencies),
    ):
        if not reports:
            continue  # nothing of this kind in the update: no query
        stored_rows = _by_eido_id(session, model, incident.id)
        for child in reports:
            row = stored_rows.get(child.eido_id) or model(incident_id=incident.id)
            _copy(row, child)
            session.add(row)


def _merge_units(session: Session, incident: Incident, report: IncidentReport) -> None:
    units = _by_eido_id(session, IncidentUnit, incident.id)
    for unit in report.units:
        stored = units.get(unit.eido_id)
        if stored is not None and unit.updated_at < stored.updated_at:
            continue
        if stored is None or stored.status != unit.status.value:
            add_entry(
                session,
                incident.id,
                unit.updated_at,
                "unit.status.changed",
                _actor(report),
                {
                    "unit": unit.name,
                    "from": stored.status if stored else None,
                    "to": unit.status.value,
                },
            )
        row = stored or IncidentUnit(incident_id=incident.id)
        _copy_unit(row, unit)
        session.add(row)


def _copy_unit(row: IncidentUnit, unit: UnitReport) -> None:
    _copy(row, unit, status=unit.status.value)
    row.lat = unit.location.lat if unit.location else None
    row.lon = unit.location.lon if unit.location else None


def _copy(row: Any, report: BaseModel, **overrides: Any) -> None:
    columns = set(type(row).__table__.columns.keys())
    values = report.model_dump()
    for name, value in {**values, **overrides}.items():
        if name in columns and name not in ("id", "incident_id"):
            setattr(row, name, value)


def _by_eido_id(session: Session, model: Any, incident_id: str) -> dict[str, Any]:
    rows = session.execute(select(model).where(model.incident_id == incident_id)).scalars()
    return {row.eido_id: row for row in rows if row.eido_id is not None}
