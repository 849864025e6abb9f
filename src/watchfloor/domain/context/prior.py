"""Prior incidents at and near a location, through the incident grid-cell index.

The cells the radius touches bound the scan to (cell, received_at) index ranges; the exact
(equirectangular) distance is computed in the store so no row leaves it except the most recent.
"At the address": within a few tens of metres, or the same address text (the CAD's geocoder
writes one address the same way every time), compared case- and space-insensitively."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    and_,
    bindparam,
    case,
    func,
    literal,
    or_,
    select,
    union_all,
)
from sqlalchemy.orm import Session

from watchfloor.core.geo import (
    METRES_PER_DEGREE_LAT,
    cells_around,
    metres_per_degree_lon,
    short_distance_m,
)
from watchfloor.db.base import typed_null
from watchfloor.db.pipeline import Read, read_one
from watchfloor.domain.context.schemas import PriorIncident, PriorIncidents, TypeCount
from watchfloor.domain.incidents.models import Incident

MAX_TYPES = 20
RECENT_ROW, COUNT_ROW = 1, 0


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
# Both parts of the answer come from one scan of the (cell, received_at) index in one
# statement: the rows near the point, grouped by type, and the most recent of them. Built once:
# the packet is asked for on every alert and incident change, and building the statement costs
# more than running it; run on the session's connection, as the ORM's way through costs more too.
_NEAR = (
    select(
        Incident.id,
        Incident.type_code,
        Incident.type_text,
        Incident.priority,
        Incident.received_at,
        Incident.address,
        Incident.lat,
        Incident.lon,
        case((_HERE, 1), else_=0).label("here"),
    )
    .where(_WITHIN)
    .cte("near")
)


def _none(column: ColumnElement[Any]) -> ColumnElement[Any]:
    """A typed NULL in place of `column`."""
    return typed_null(column.type, column.key)


_RECENT = (
    select(
        literal(RECENT_ROW).label("part"),
        _NEAR.c.type_code,
        _NEAR.c.type_text,
        _none(_NEAR.c.here).label("n"),
        _none(_NEAR.c.here),
        _NEAR.c.id,
        _NEAR.c.priority,
        _NEAR.c.received_at,
        _NEAR.c.address,
        _NEAR.c.lat,
        _NEAR.c.lon,
    )
    .order_by(_NEAR.c.received_at.desc(), _NEAR.c.id)
    .limit(bindparam("recent"))
    .subquery()
)
_COUNTED = select(
    literal(COUNT_ROW),
    _NEAR.c.type_code,
    func.max(_NEAR.c.type_text),
    func.count(),
    func.sum(_NEAR.c.here),
    *(_none(c) for c in (_NEAR.c.id, _NEAR.c.priority, _NEAR.c.received_at)),
    *(_none(c) for c in (_NEAR.c.address, _NEAR.c.lat, _NEAR.c.lon)),
).group_by(_NEAR.c.type_code)
# The recent rows come first so the union's columns carry their types (and time zones).
_PRIOR = union_all(select(_RECENT), _COUNTED)


def _address_text(address: str | None) -> str | None:
    return " ".join(address.upper().split()) if address else None


@dataclass(frozen=True)
class PriorAsk:
    """What a packet asks of prior incidents: near a point, since a time, the newest few."""

    lat: float
    lon: float
    address: str | None
    radius_m: float
    at_address_m: float
    since: datetime
    until: datetime
    recent: int
    exclude_id: str | None

    def read(self) -> Read:
        """The one statement that answers it, for running alone or together with others."""
        params = {
            "lat": self.lat,
            "lon": self.lon,
            "m_per_deg_lon": metres_per_degree_lon(self.lat),
            "cells": cells_around(self.lat, self.lon, self.radius_m),
            "since": self.since,
            "until": self.until,
            "radius2": self.radius_m * self.radius_m,
            "exclude": self.exclude_id or "",
            "here2": self.at_address_m * self.at_address_m,
            "address": _address_text(self.address),
            "recent": self.recent,
        }
        return Read(_PRIOR, params)

    def answer(self, rows: Sequence[Any]) -> PriorIncidents:
        """Counts by type near the point, those at the address, and the most recent ones, made
        of the statement's rows."""
        groups = [r for r in rows if r.part == COUNT_ROW]
        by_type = sorted(
            (
                TypeCount(type_code=r.type_code, type_text=r.type_text, count=int(r.n))
                for r in groups
            ),
            key=lambda t: (-t.count, t.type_code),
        )
        return PriorIncidents(
            radius_m=self.radius_m,
            since=self.since,
            at_address=sum(int(r.here or 0) for r in groups),
            nearby=sum(t.count for t in by_type),
            by_type=by_type[:MAX_TYPES],
            recent=[_prior(self.lat, self.lon, r) for r in rows if r.part == RECENT_ROW],
        )


def prior_incidents(session: Session, ask: PriorAsk) -> PriorIncidents:
    """The prior incidents the ask is about, read on the session."""
    return ask.answer(read_one(session, ask.read()))


def _prior(lat: float, lon: float, row: Any) -> PriorIncident:
    return PriorIncident(
        id=row.id,
        type_code=row.type_code,
        type_text=row.type_text,
        priority=row.priority,
        received_at=row.received_at,
        address=row.address,
        distance_m=round(short_distance_m(lat, lon, row.lat, row.lon), 1),
    )
