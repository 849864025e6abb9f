"""The incident's own facts in one statement: where it is, the CAD's caution flags on it and the
alerts attached to it.

All three are read by the incident's id, and the packet's other sections wait on the first. As
three statements they cost three round trips and three statements' driver work, which on
PostgreSQL is most of what each costs (a few index entries each); as one statement, one. The
rows of the three parts come in one result, told apart by `part` and in order by `n`."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import (
    Float,
    Integer,
    String,
    bindparam,
    func,
    literal,
    select,
    union_all,
)
from sqlalchemy.orm import Session

from watchfloor.db.base import UTCDateTime, typed_null
from watchfloor.db.pipeline import Read, read_together
from watchfloor.domain.alerts.lookup import ATTACHED, AttachedRow
from watchfloor.domain.context.schemas import Caution, Location
from watchfloor.domain.incidents.models import Incident, IncidentCaution

MAX_CAUTIONS = 50
PLACE, CAUTION, ALERT = 0, 1, 2


@dataclass(frozen=True)
class IncidentOwn:
    """What the store holds on the incident itself (found False when there is no such incident)."""

    found: bool
    location: Location | None = None
    cautions: list[Caution] = field(default_factory=list)
    alerts: list[AttachedRow] = field(default_factory=list)


NOTHING_OWN = IncidentOwn(found=False)
"""The facts of no incident (an alert not attached to one)."""


_PLACE = select(
    literal(PLACE).label("part"),
    literal(0).label("n"),
    Incident.lat,
    Incident.lon,
    Incident.address.label("a"),
    typed_null(String, "b"),
    typed_null(String, "c"),
    typed_null(String, "d"),
    typed_null(Integer, "priority"),
    typed_null(UTCDateTime, "at"),
).where(Incident.id == bindparam("incident_id"))
_RANKED_CAUTIONS = (
    select(
        IncidentCaution.kind,
        IncidentCaution.kind_text,
        IncidentCaution.severity,
        IncidentCaution.source,
        func.row_number().over(order_by=(IncidentCaution.eido_id, IncidentCaution.id)).label("n"),
    )
    .where(IncidentCaution.incident_id == bindparam("incident_id"))
    .subquery()
)
_CAUTIONS = select(
    literal(CAUTION),
    _RANKED_CAUTIONS.c.n,
    typed_null(Float, "lat"),
    typed_null(Float, "lon"),
    _RANKED_CAUTIONS.c.kind,
    _RANKED_CAUTIONS.c.kind_text,
    _RANKED_CAUTIONS.c.severity,
    _RANKED_CAUTIONS.c.source,
    typed_null(Integer, "priority"),
    typed_null(UTCDateTime, "at"),
).where(_RANKED_CAUTIONS.c.n <= MAX_CAUTIONS)
_ATTACHED = ATTACHED.subquery()
_ALERTS = select(
    literal(ALERT),
    _ATTACHED.c.n,
    typed_null(Float, "lat"),
    typed_null(Float, "lon"),
    _ATTACHED.c.id,
    _ATTACHED.c.kind,
    _ATTACHED.c.title,
    _ATTACHED.c.status,
    _ATTACHED.c.priority,
    _ATTACHED.c.occurred_at,
)
_UNION = union_all(_PLACE, _CAUTIONS, _ALERTS)
# Built once: building a statement costs more than running this one. Sent through
# read_together even alone: its rendered statement and parameters are kept per shape.
_OWN = _UNION.order_by(_UNION.selected_columns.part, _UNION.selected_columns.n)


def incident_own(session: Session, incident_id: str) -> IncidentOwn:
    """The incident's point and address, caution flags (the first MAX_CAUTIONS in the CAD's
    order) and attached alerts (oldest first)."""
    [[rows]] = read_together([(session, [Read(_OWN, {"incident_id": incident_id})])])
    place = next((r for r in rows if r.part == PLACE), None)
    location = None
    if place is not None and place.lat is not None and place.lon is not None:
        location = Location(lat=place.lat, lon=place.lon, address=place.a)
    return IncidentOwn(
        found=place is not None,
        location=location,
        cautions=[
            Caution(kind=r.a, kind_text=r.b, severity=r.c, source=r.d)
            for r in rows
            if r.part == CAUTION
        ],
        alerts=[(r.a, r.b, r.c, r.d, r.priority, r.at) for r in rows if r.part == ALERT],
    )
