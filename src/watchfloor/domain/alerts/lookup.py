"""Alert reads on a synchronous session: the context packet runs them with its other sections in
one worker-thread hop (src/watchfloor/db/engine.py `read_in_thread`), and the desk's own queries
answer through the same functions."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from watchfloor.core.errors import NotFound
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
    # on the connection: the ORM's way through costs more than this indexed query
    query = near_query(box_around(lat, lon, radius_m), since, kind)
    spots = session.connection().execute(query).all()
    found = nearest(spots, lat, lon, radius_m, limit)
    if not found:
        return []
    ids = [i for i, _d in found]
    by_id = {a.id: a for a in session.scalars(_BY_IDS, {"ids": ids})}
    sources = sources_in(session, ids)
    return [
        AlertNearby(**alert_fields(by_id[i], sources[i]), distance_m=round(d, 1)) for i, d in found
    ]
