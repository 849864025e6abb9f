"""The packet's store-backed sections that are not prior incidents: the subject's own facts,
premises near, and the alert desk's gunshots and attached alerts. Each query is bounded."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from watchfloor.core.errors import NotFound
from watchfloor.core.geo import cells_around, short_distance_m
from watchfloor.domain.alerts.lookup import AttachedRow, NearBrief
from watchfloor.domain.context.schemas import (
    AttachedAlert,
    Caution,
    FloorPlanRef,
    GunshotNear,
    Location,
    PremiseNear,
)
from watchfloor.domain.incidents.models import Incident, IncidentCaution
from watchfloor.domain.premises.models import Premise
from watchfloor.domain.premises.service import floor_plans_of

MAX_CAUTIONS = 50
MAX_PREMISES = 10
MAX_ALERTS = 50

# Statements built once: building one costs more than running it on its index. Those of plain
# columns run on the session's connection: the ORM's way through costs more than the query.
_LOCATION = select(Incident.lat, Incident.lon, Incident.address).where(
    Incident.id == bindparam("incident_id")
)
_CAUTIONS = (
    select(
        IncidentCaution.kind,
        IncidentCaution.kind_text,
        IncidentCaution.severity,
        IncidentCaution.source,
    )
    .where(IncidentCaution.incident_id == bindparam("incident_id"))
    .order_by(IncidentCaution.eido_id, IncidentCaution.id)
    .limit(MAX_CAUTIONS)
)
_PREMISES = (
    select(Premise.id, Premise.address, Premise.lat, Premise.lon, Premise.hazards, Premise.notes)
    .where(Premise.cell.in_(bindparam("cells", expanding=True)))
    .limit(MAX_PREMISES * 20)
)


def incident_location(session: Session, incident_id: str) -> Location | None:
    """The incident's point and address (None without a point); NotFound when it does not exist."""
    row = session.connection().execute(_LOCATION, {"incident_id": incident_id}).first()
    if row is None:
        raise NotFound("no such incident")
    if row.lat is None or row.lon is None:
        return None
    return Location(lat=row.lat, lon=row.lon, address=row.address)


def cautions(session: Session, incident_id: str) -> list[Caution]:
    """The CAD's caution flags on the incident."""
    return [
        Caution(kind=r.kind, kind_text=r.kind_text, severity=r.severity, source=r.source)
        for r in session.connection().execute(_CAUTIONS, {"incident_id": incident_id}).all()
    ]


def premises_near(session: Session, lat: float, lon: float, radius_m: float) -> list[PremiseNear]:
    """Premises within the radius, nearest first, with their floor plans."""
    found = session.connection().execute(_PREMISES, {"cells": cells_around(lat, lon, radius_m)})
    rows = [(short_distance_m(lat, lon, p.lat, p.lon), p) for p in found]
    near = sorted(((d, p) for d, p in rows if d <= radius_m), key=lambda dp: (dp[0], dp[1].id))
    near = near[:MAX_PREMISES]
    plans = floor_plans_of(session, [p.id for _d, p in near]) if near else {}
    return [
        PremiseNear(
            id=p.id,
            address=p.address,
            distance_m=round(d, 1),
            hazards=list(p.hazards),
            notes=p.notes,
            floor_plans=[
                FloorPlanRef(id=f.id, name=f.name, media_type=f.media_type, size=f.size)
                for f in plans.get(p.id, [])
            ],
        )
        for d, p in near
    ]


def gunshots(found: Sequence[NearBrief]) -> list[GunshotNear]:
    """Gunshot detections as the packet lists them."""
    return [
        GunshotNear(
            alert_id=a.id,
            occurred_at=a.occurred_at,
            rounds=_int(a.details.get("rounds")),
            type=_str(a.details.get("type")),
            distance_m=a.distance_m,
            incident_id=a.incident_id,
        )
        for a in found
    ]


def attached(rows: Sequence[AttachedRow]) -> list[AttachedAlert]:
    """Alerts attached to the incident, as the packet lists them (the oldest MAX_ALERTS)."""
    return [
        AttachedAlert(
            alert_id=alert_id,
            kind=kind,
            title=title,
            status=status,
            priority=priority,
            occurred_at=occurred_at,
        )
        for alert_id, kind, title, status, priority, occurred_at in rows[:MAX_ALERTS]
    ]


def _int(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _str(value: object) -> str | None:
    return value if isinstance(value, str) else None
