"""EIDO JSON in, `IncidentReport` out: every problem reported at once, each at its JSON pointer.

A document without an incident component (a call transfer, as in NENA's own sample) is still
an update about the incident its `$id` names; its type_code is `registry.UNKNOWN_TYPE`. When an
incident component is present, its incidentTypeCommonRegistryText must be a known common code or
one of the installation's agency codes (translated to the common code it names).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import orjson
from pydantic import ValidationError
from pydantic_core import ErrorDetails

from watchfloor.connectors.eido import niem, registry
from watchfloor.connectors.eido.pidf import Position
from watchfloor.connectors.eido.schema import (
    AgencyComponent,
    CautionComponent,
    Eido,
    IncidentComponent,
    LocationComponent,
    Reference,
    ResourceComponent,
    Rules,
)
from watchfloor.core.errors import FieldProblem, InvalidInput, MalformedInput
from watchfloor.core.geo import GeoPoint
from watchfloor.events.cad import (
    LIFECYCLE,
    AgencyReport,
    CautionReport,
    IncidentReport,
    IncidentStatus,
    LocationReport,
    NoteReport,
    PersonReport,
    UnitReport,
    VehicleReport,
)
from watchfloor.settings import EidoSettings


def split_batch(raw: bytes, max_batch: int) -> list[Any]:
    """One EIDO object or a JSON array of them; MalformedInput for broken JSON or a bad top level,
    InvalidInput for an empty array or more than max_batch."""
    try:
        decoded = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise MalformedInput("body is not JSON", [FieldProblem("", str(exc))]) from None
    if isinstance(decoded, dict):
        return [decoded]
    if not isinstance(decoded, list):
        reason = f"top level is a JSON {type(decoded).__name__}, not an EIDO object or array"
        raise MalformedInput("body is not an EIDO or an array of EIDOs", [FieldProblem("", reason)])
    if not decoded:
        raise InvalidInput("empty batch", [FieldProblem("", "empty batch: array has no EIDO")])
    if len(decoded) > max_batch:
        reason = f"batch of {len(decoded)} EIDOs is larger than max_batch {max_batch}"
        raise InvalidInput("batch too large", [FieldProblem("", reason)])
    return decoded


def pointer(loc: tuple[int | str, ...]) -> str:
    """The RFC 6901 JSON pointer of a location path."""
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in loc)


def _problems(exc: ValidationError, document: Any) -> list[FieldProblem]:
    listed = isinstance(document, dict) and isinstance(document.get("incidentComponent"), list)
    problems = []
    for error in exc.errors(include_url=False, include_context=False, include_input=False):
        loc = tuple(error["loc"])
        if listed and loc[:1] == ("incidentComponent",) and len(loc) > 1:
            loc = ("incidentComponent", 0, *loc[1:])
        problems.append(FieldProblem(pointer(loc), _reason(error)))
    return problems


def _reason(error: ErrorDetails) -> str:
    if error["type"] == "missing":
        return "required field is missing"
    if error["type"] == "model_type" and not error["loc"]:
        return "an EIDO must be a JSON object"
    return error["msg"]


def translate(document: Any, settings: EidoSettings, now: datetime) -> IncidentReport:
    """EIDO JSON (already decoded) -> IncidentReport, or InvalidInput listing every problem."""
    try:
        eido = Eido.model_validate(document, context=Rules(settings, now))
    except ValidationError as exc:
        problems = _problems(exc, document)
        raise InvalidInput(f"EIDO rejected: {len(problems)} problem(s)", problems) from None
    return _report(eido, settings)


def _report(eido: Eido, settings: EidoSettings) -> IncidentReport:
    locations = {loc.id: loc for loc in eido.location_component}
    starts = [c.call_start_timestamp for c in eido.call_component if c.call_start_timestamp]
    return IncidentReport(
        eido_id=eido.id,
        last_updated_at=eido.last_update_time_stamp,
        issuing_element=eido.issuing_element_identification,
        **_incident_fields(eido.incident_component, settings),
        call_started_at=min(starts) if starts else None,
        location=_incident_location(eido, locations),
        agencies=[_agency(a) for a in eido.agency_component],
        units=[_unit(u, locations) for u in eido.emergency_resource_component],
        notes=[
            NoteReport(
                eido_id=n.id,
                text=n.notes_action_comments,
                author=_ref(n.agent_reference),
                written_at=n.last_update_time_stamp,
            )
            for n in eido.notes_component
        ],
        cautions=[_caution(c) for c in eido.caution_component],
        persons=[
            PersonReport(
                eido_id=p.id,
                roles=p.person_incident_role_registry_text,
                name=niem.person_name(p.nc_person_component),
                description=niem.find_text(p.nc_person_component, ("PersonDescriptionText",)),
            )
            for p in eido.person_component
        ],
        vehicles=[
            VehicleReport(
                eido_id=v.id,
                relationships=v.vehicle_relationship_type,
                **niem.vehicle_fields(v.nc_vehicle_component),
            )
            for v in eido.vehicle_component
        ],
    )


def _agency(agency: AgencyComponent) -> AgencyReport:
    return AgencyReport(
        eido_id=agency.id,
        name=agency.agency_name or _jcard_name(agency.agency_jcard),
        roles=agency.agency_role_description_registry_text,
        types=agency.agency_type,
        owning=agency.incident_owning_agency_indicator,
    )


def _unit(unit: ResourceComponent, locations: dict[str, LocationComponent]) -> UnitReport:
    return UnitReport(
        eido_id=unit.id,
        name=unit.emergency_resource_name or unit.id,
        kind=unit.emergency_resource_type_common_registry_text,
        status=registry.unit_status(unit.primary_unit_status_registry_text),
        status_text=unit.primary_unit_status_registry_text,
        agency_ref=_ref(unit.updated_by_agency_reference),
        location=_point_of(locations, unit.unit_location_reference),
        updated_at=unit.last_update_time_stamp,
    )


def _caution(caution: CautionComponent) -> CautionReport:
    return CautionReport(
        eido_id=caution.id,
        kind=caution.caution_type_common_registry_text,
        kind_text=caution.caution_type_internal_text,
        severity=caution.caution_severity,
        source=caution.caution_source,
        starts_at=caution.start_date,
    )


def _incident_fields(incident: IncidentComponent | None, settings: EidoSettings) -> dict[str, Any]:
    if incident is None:
        return {"type_code": registry.UNKNOWN_TYPE}
    code = incident.incident_type_common_registry_text
    common = registry.incident_type(code, settings.agency_incident_codes) or registry.UNKNOWN_TYPE
    internal = incident.incident_type_internal_code or (code if common != code else None)
    statuses = [
        s
        for word in incident.incident_status_common_registry_text
        if (s := registry.incident_status(word)) is not None
    ]
    return {
        "type_code": common,
        "type_internal_code": internal,
        "type_text": incident.incident_type_internal_text,
        "priority": incident.incident_common_priority_number,
        "priority_text": incident.incident_priority_internal_text,
        "status": _furthest(statuses),
        "status_texts": [
            *incident.incident_status_common_registry_text,
            *incident.incident_status_internal_text,
        ],
        "cad_incident_number": incident.internal_incident_id,
        "beat": incident.beat_or_dispatch_group_text,
    }


def _furthest(statuses: list[IncidentStatus]) -> IncidentStatus | None:
    return max(statuses, key=LIFECYCLE.index) if statuses else None


def _ref(reference: Reference | None) -> str | None:
    return reference.ref if reference else None


def _geo(position: Position | None) -> GeoPoint | None:
    if position is None:
        return None
    return GeoPoint(
        lat=position.lat,
        lon=position.lon,
        alt_m=position.alt_m,
        uncertainty_m=position.uncertainty_m,
    )


def _point_of(
    locations: dict[str, LocationComponent], reference: Reference | None
) -> GeoPoint | None:
    location = locations.get(reference.ref) if reference else None
    return _geo(location.position()) if location else None


def _incident_location(
    eido: Eido, locations: dict[str, LocationComponent]
) -> LocationReport | None:
    refs = eido.incident_component.location_reference if eido.incident_component else []
    referenced = [locations[r.ref] for r in refs if r.ref in locations]
    ordered = [
        *(loc for loc in referenced if loc.position()),
        *referenced,
        *(loc for loc in eido.location_component if loc.position()),
        *eido.location_component,
    ]
    for location in ordered:
        report = _location_report(location)
        if report.point or report.address or report.description or report.cross_streets:
            return report
    return None


def _location_report(location: LocationComponent) -> LocationReport:
    by_value = location.location_by_value
    return LocationReport(
        point=_geo(location.position()),
        address=by_value.address if by_value else None,
        cross_streets=[*location.cross_street_by_value, *location.intersecting_street_by_value],
        description=location.location_description_text,
        kind=location.location_type_description_registry_text,
    )


def _jcard_name(jcard: str | None) -> str | None:
    """The fn (formatted name) of a jCard (RFC 7095) given as JSON text."""
    if not jcard:
        return None
    try:
        card = orjson.loads(jcard)
    except orjson.JSONDecodeError:
        return None
    properties = card[1] if isinstance(card, list) and len(card) > 1 else []
    for prop in properties if isinstance(properties, list) else []:
        if isinstance(prop, list) and len(prop) >= 4 and prop[0] == "fn":
            return str(prop[3])
    return None
