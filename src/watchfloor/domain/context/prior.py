"""Prior incidents at and near a location, through the incident grid-cell index.

The cells the radius touches bound the scan to (cell, received_at) index ranges; the exact
(equirectangular) distance is computed in the store so no row leaves it except the most recent.
"At the address": within a few tens of metres, or the same address text (the CAD's geocoder
writes one address the same way every time), compared case- and space-insensitively."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, and_, bindparam, case, func, or_, select
from sqlalchemy.orm import Session

from watchfloor.core.geo import (
    METRES_PER_DEGREE_LAT,
    cells_around,
    metres_per_degree_lon,
    short_distance_m,
)
from watchfloor.domain.context.schemas import PriorIncident, PriorIncidents, TypeCount
from watchfloor.domain.incidents.models import Incident

MAX_TYPES = 20


def _squared_m() -> ColumnElement[float | None]:
    """Squared distance in m² from the point :lat/:lon (equirectangular; fine within km)."""
    north = (Incident.lat - bindparam("lat")) * METRES_PER_DEGREE_LAT
    east = (Incident.lon - bindparam("lon")) * bindparam("m_per_deg_lon")
    return north * north + east * east


_SQUARED = _squared_m()
_WITHIN = and_(
    Incident.cell.in_(bindparam("cells", expanding=True)),
    Incident.received_at >= bindparam("since"),
    Incident.received_at <= bindparam("until"),
    bindparam("radius2") >= _SQUARED,
    Incident.id != bindparam("exclude"),
)
_HERE = or_(
    bindparam("here2") >= _SQUARED,
    func.upper(func.trim(Incident.address)) == bindparam("address"),
)
# Built once: the packet is asked for on every alert and incident change, and building the
# statement costs more than running it against the (cell, received_at) index.
_COUNTED = (
    select(
        Incident.type_code,
        func.max(Incident.type_text),
        func.count(),
        func.sum(case((_HERE, 1), else_=0)),
    )
    .where(_WITHIN)
    .group_by(Incident.type_code)
)
_RECENT = (
    select(
        Incident.id,
        Incident.type_code,
        Incident.type_text,
        Incident.priority,
        Incident.received_at,
        Incident.address,
        Incident.lat,
        Incident.lon,
    )
    .where(_WITHIN)
    .order_by(Incident.received_at.desc(), Incident.id)
    .limit(bindparam("recent"))
)


def _address_text(address: str | None) -> str | None:
    return " ".join(address.upper().split()) if address else None


def prior_incidents(
    session: Session,
    lat: float,
    lon: float,
    address: str | None,
    *,
    radius_m: float,
    at_address_m: float,
    since: datetime,
    until: datetime,
    recent: int,
    exclude_id: str | None,
) -> PriorIncidents:
    """Counts by type near the point, those at the address, and the most recent ones."""
    params = {
        "lat": lat,
        "lon": lon,
        "m_per_deg_lon": metres_per_degree_lon(lat),
        "cells": cells_around(lat, lon, radius_m),
        "since": since,
        "until": until,
        "radius2": radius_m * radius_m,
        "exclude": exclude_id or "",
        "here2": at_address_m * at_address_m,
        "address": _address_text(address),
    }
    groups = session.execute(_COUNTED, params).all()
    by_type = sorted(
        (TypeCount(type_code=code, type_text=txt, count=int(n)) for code, txt, n, _a in groups),
        key=lambda t: (-t.count, t.type_code),
    )
    return PriorIncidents(
        radius_m=radius_m,
        since=since,
        at_address=sum(int(a or 0) for *_rest, a in groups),
        nearby=sum(t.count for t in by_type),
        by_type=by_type[:MAX_TYPES],
        recent=_recent(session, lat, lon, {**params, "recent": recent}) if recent else [],
    )


def _recent(
    session: Session, lat: float, lon: float, params: dict[str, object]
) -> list[PriorIncident]:
    return [
        PriorIncident(
            id=row.id,
            type_code=row.type_code,
            type_text=row.type_text,
            priority=row.priority,
            received_at=row.received_at,
            address=row.address,
            distance_m=round(short_distance_m(lat, lon, row.lat, row.lon), 1),
        )
        for row in session.execute(_RECENT, params).all()
    ]
