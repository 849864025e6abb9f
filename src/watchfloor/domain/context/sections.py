"""The packet's store-backed sections that are neither prior incidents nor the incident's own
facts: premises near, and the alert desk's gunshots and attached alerts. Each query is bounded."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from watchfloor.core.geo import cells_around, short_distance_m
from watchfloor.db.pipeline import Read, read_one
from watchfloor.domain.alerts.lookup import AttachedRow, NearBrief
from watchfloor.domain.context.schemas import (
    AttachedAlert,
    FloorPlanRef,
    GunshotNear,
    PremiseNear,
)
from watchfloor.domain.premises.models import Premise
from watchfloor.domain.premises.service import floor_plans_of

MAX_PREMISES = 10
MAX_ALERTS = 50

# Built once: building the statement costs more than running it on its index. It runs on the
# session's connection: the ORM's way through costs more than the query.
_PREMISES = (
    select(Premise.id, Premise.address, Premise.lat, Premise.lon, Premise.hazards, Premise.notes)
    .where(Premise.cell.in_(bindparam("cells", expanding=True)))
    .limit(MAX_PREMISES * 20)
)


def premises_near(session: Session, lat: float, lon: float, radius_m: float) -> list[PremiseNear]:
    """Premises within the radius, nearest first, with their floor plans."""
    rows = read_one(session, premises_read(lat, lon, radius_m))
    return premises_from(session, rows, lat, lon, radius_m)


def premises_read(lat: float, lon: float, radius_m: float) -> Read:
    """The first statement premises_near runs: premises in the cells the radius touches."""
    return Read(_PREMISES, {"cells": cells_around(lat, lon, radius_m)})


def premises_from(
    session: Session, found: Sequence[Any], lat: float, lon: float, radius_m: float
) -> list[PremiseNear]:
    """premises_near's answer made of premises_read's rows (their floor plans read by id)."""
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
