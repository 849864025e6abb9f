"""Alert reads on a synchronous session: the context packet runs them with its other sections in
one worker-thread hop (src/watchfloor/db/engine.py `read_in_thread`), and the desk's own queries
answer through the same functions."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from watchfloor.core.errors import NotFound
from watchfloor.db.pipeline import Read, read_one
from watchfloor.domain.alerts.desk_near import box_around, near_query, nearest
from watchfloor.domain.alerts.desk_views import alert_fields, alert_out, sources_in
from watchfloor.domain.alerts.models import Alert
from watchfloor.domain.alerts.schemas import AlertNearby, AlertOut
from watchfloor.events.alerts import AlertKind

# Built once: the packet asks on every incident and alert change.
_FOR_INCIDENT = (
    select(Alert)
    .where(Alert.incident_id == bindparam("incident"))
    .order_by(Alert.occurred_at, Alert.id)
)
_BY_IDS = select(Alert).where(Alert.id.in_(bindparam("ids", expanding=True)))
ATTACHED = select(
    Alert.id,
    Alert.kind,
    Alert.title,
    Alert.status,
    Alert.priority,
    Alert.occurred_at,
    func.row_number().over(order_by=(Alert.occurred_at, Alert.id)).label("n"),
).where(Alert.incident_id == bindparam("incident_id"))
"""The alerts attached to an incident as summary rows, numbered oldest first (n): the context
packet reads them in one statement with the incident's other facts."""
_BRIEF_BY_IDS = select(Alert.id, Alert.occurred_at, Alert.details, Alert.incident_id).where(
    Alert.id.in_(bindparam("ids", expanding=True))
)
AttachedRow = tuple[str, str, str, str, int, datetime]
"""An attached alert as a summary lists it: id, kind, title, status, priority, occurred_at."""


@dataclass(frozen=True, slots=True)
class NearBrief:
    """An alert near a point, as a summary lists it (no sources, none of the desk's fields)."""

    id: str
    occurred_at: datetime
    details: dict[str, Any]
    incident_id: str | None
    distance_m: float


def get_in(session: Session, alert_id: str) -> AlertOut:
    """One alert with its sources, or NotFound."""
    alert = session.get(Alert, alert_id)
    if alert is None:
        raise NotFound(f"no alert {alert_id}")
    return alert_out(alert, sources_in(session, [alert.id])[alert.id])


def for_incident_in(session: Session, incident_id: str) -> list[AlertOut]:
    """Every alert attached to the incident, oldest first."""
    alerts = list(session.scalars(_FOR_INCIDENT, {"incident": incident_id}))
    sources = sources_in(session, [a.id for a in alerts])
    return [alert_out(a, sources[a.id]) for a in alerts]


def near_in(
    session: Session,
    lat: float,
    lon: float,
    radius_m: float,
    since: datetime,
    kind: AlertKind | None,
    limit: int,
) -> list[AlertNearby]:
    """Alerts within radius_m of the point since `since`, nearest first (merged left out)."""
    found = _nearest_ids(session, lat, lon, radius_m, since, kind, limit)
    if not found:
        return []
    ids = [i for i, _d in found]
    by_id = {a.id: a for a in session.scalars(_BY_IDS, {"ids": ids})}
    sources = sources_in(session, ids)
    return [
        AlertNearby(**alert_fields(by_id[i], sources[i]), distance_m=round(d, 1)) for i, d in found
    ]


def near_brief_in(
    session: Session,
    lat: float,
    lon: float,
    radius_m: float,
    since: datetime,
    kind: AlertKind | None,
    limit: int,
    skip: Collection[str] = (),
) -> list[NearBrief]:
    """`near_in` for a summary: the nearest `limit` alerts that are not in `skip` (left out
    before the limit, so they cannot crowd out the others), with their time, details and
    incident only."""
    spots = read_one(session, near_brief_read(lat, lon, radius_m, since, kind))
    return near_brief_from(session, spots, lat, lon, radius_m, limit, skip)


def near_brief_read(
    lat: float, lon: float, radius_m: float, since: datetime, kind: AlertKind | None
) -> Read:
    """The first statement near_brief_in runs: where and when alerts near the point happened."""
    return Read(*near_query(box_around(lat, lon, radius_m), since, kind))


def near_brief_from(
    session: Session,
    spots: Sequence[Any],
    lat: float,
    lon: float,
    radius_m: float,
    limit: int,
    skip: Collection[str] = (),
) -> list[NearBrief]:
    """near_brief_in's answer made of near_brief_read's rows (the summaries read by id)."""
    found = nearest([s for s in spots if s[0] not in skip], lat, lon, radius_m, limit)
    if not found:
        return []
    ids = [i for i, _d in found]
    rows = {r[0]: r for r in session.connection().execute(_BRIEF_BY_IDS, {"ids": ids})}
    return [
        NearBrief(i, rows[i][1], rows[i][2], rows[i][3], round(d, 1)) for i, d in found if i in rows
    ]


def _nearest_ids(
    session: Session,
    lat: float,
    lon: float,
    radius_m: float,
    since: datetime,
    kind: AlertKind | None,
    limit: int,
    skip: Collection[str] = (),
) -> list[tuple[str, float]]:
    """Ids and distances of the nearest `limit` alerts in the radius, less those in `skip`."""
    # on the connection: the ORM's way through costs more than this indexed query
    query, params = near_query(box_around(lat, lon, radius_m), since, kind)
    spots = session.connection().execute(query, params).all()
    return nearest([s for s in spots if s[0] not in skip], lat, lon, radius_m, limit)
