"""Plate activity near a point: reads per fixed reader within a radius, and hotlist hits, in a
time window. Readers in the radius are found first (a small table), then only the window of the
time index is read, counted per reader in the store; no read row leaves the database."""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import datetime
from typing import Any, NamedTuple

from pydantic import BaseModel
from sqlalchemy import any_, bindparam, func, select
from sqlalchemy.orm import Session

from watchfloor.core.geo import METRES_PER_DEGREE_LAT, metres_per_degree_lon, short_distance_m
from watchfloor.db.pipeline import Read, read_one
from watchfloor.domain.lpr.models import PlateAlert, PlateRead, PlateReader

MAX_READERS = 200
MAX_HITS = 50
ALERT_STATUSES = ("pending", "actionable", "closed")


class ReaderActivity(BaseModel):
    """Reads one reader made in the window."""

    code: str
    name: str
    reads: int
    distance_m: float


class PlateHit(BaseModel):
    """A hotlist hit near the point in the window (no read details beyond the plate)."""

    alert_id: str
    plate: str
    reason_code: str
    status: str
    reader_code: str
    distance_m: float
    read_at: datetime


class PlateActivity(BaseModel):
    """Reads and hits near a point since a time."""

    since: datetime
    radius_m: float
    reads: int
    readers: list[ReaderActivity]
    hits: list[PlateHit]


# Statements built once (building one costs more than running it on these indexes); they run on
# the session's connection, as the ORM's way through costs more than the query itself.
_IN_BOX = (
    PlateReader.active.is_(True),
    PlateReader.lat.between(bindparam("south"), bindparam("north")),
    PlateReader.lon.between(bindparam("west"), bindparam("east")),
)
_READERS = select(
    PlateReader.id, PlateReader.code, PlateReader.name, PlateReader.lat, PlateReader.lon
).where(*_IN_BOX)
_COUNTS = (
    select(PlateRead.reader_id, func.count())
    .where(
        PlateRead.captured_ms >= bindparam("start"),
        PlateRead.captured_ms <= bindparam("end"),
        PlateRead.reader_id.in_(bindparam("readers", expanding=True)),
    )
    .group_by(PlateRead.reader_id)
)
_COUNTS_IN_BOX = (
    select(PlateRead.reader_id, func.count())
    .where(
        PlateRead.captured_ms >= bindparam("start"),
        PlateRead.captured_ms <= bindparam("end"),
        PlateRead.reader_id
        == any_(func.array(select(PlateReader.id).where(*_IN_BOX).scalar_subquery())),
    )
    .group_by(PlateRead.reader_id)
)
_HITS = (
    select(
        PlateAlert.id,
        PlateAlert.plate_read,
        PlateAlert.reason_code,
        PlateAlert.status,
        PlateAlert.reader_code,
        PlateAlert.lat,
        PlateAlert.lon,
        PlateAlert.read_captured_at,
    )
    .where(
        PlateAlert.status.in_(ALERT_STATUSES),
        PlateAlert.raised_at >= bindparam("start"),
        PlateAlert.raised_at <= bindparam("end"),
        PlateAlert.lat.between(bindparam("south"), bindparam("north")),
        PlateAlert.lon.between(bindparam("west"), bindparam("east")),
    )
    .order_by(PlateAlert.raised_at.desc())
    .limit(MAX_HITS * 4)
)


def _box(lat: float, lon: float, radius_m: float) -> dict[str, Any]:
    """The bounding box of the radius, as the statements' south/north/west/east parameters."""
    dlat = radius_m / METRES_PER_DEGREE_LAT
    dlon = radius_m / metres_per_degree_lon(min(abs(lat) + dlat, 89.0))
    return {"south": lat - dlat, "north": lat + dlat, "west": lon - dlon, "east": lon + dlon}


def readers_within(
    session: Session, lat: float, lon: float, radius_m: float
) -> list[tuple[int, str, str, float]]:
    """(id, code, name, distance) of active readers with a position within the radius."""
    return readers_from(read_one(session, readers_read(lat, lon, radius_m)), lat, lon, radius_m)


def readers_read(lat: float, lon: float, radius_m: float) -> Read:
    """The statement readers_within runs: active readers in the radius's box."""
    return Read(_READERS, _box(lat, lon, radius_m))


def readers_from(
    rows: Sequence[Any], lat: float, lon: float, radius_m: float
) -> list[tuple[int, str, str, float]]:
    """readers_within's answer made of readers_read's rows."""
    found: list[tuple[int, str, str, float]] = []
    for reader_id, code, name, r_lat, r_lon in rows:
        if r_lat is None or r_lon is None:
            continue
        distance = short_distance_m(lat, lon, r_lat, r_lon)
        if distance <= radius_m:
            found.append((reader_id, code, name, round(distance, 1)))
    found.sort(key=lambda r: (r[3], r[1]))
    return found[:MAX_READERS]


class ReadsNear(NamedTuple):
    """Reads counted per reader near a point in a window (the readers with none left out)."""

    reads: int
    readers: list[ReaderActivity]


def plate_activity(
    session: Session,
    lat: float,
    lon: float,
    radius_m: float,
    start: datetime,
    end: datetime,
) -> PlateActivity:
    """Reads per reader within radius_m of the point and hits near it, start <= t <= end."""
    counted = reads_near(session, lat, lon, radius_m, start, end)
    hits = hits_near(session, lat, lon, radius_m, start, end)
    return activity_of(counted, hits, radius_m, start)


def activity_of(
    counted: ReadsNear, hits: list[PlateHit], radius_m: float, start: datetime
) -> PlateActivity:
    """The plate activity made of reads counted near a point and the hits there."""
    return PlateActivity(
        since=start, radius_m=radius_m, reads=counted.reads, readers=counted.readers, hits=hits
    )


def reads_near(
    session: Session,
    lat: float,
    lon: float,
    radius_m: float,
    start: datetime,
    end: datetime,
) -> ReadsNear:
    """Reads per active reader within radius_m of the point, start <= t <= end."""
    readers = readers_within(session, lat, lon, radius_m)
    counts: list[Any] = []
    if readers:
        window = {**_window(start, end), "readers": [r[0] for r in readers]}
        counts = read_one(session, Read(_COUNTS, window))
    return counted_from(readers, counts)


def counts_in_box_read(
    lat: float, lon: float, radius_m: float, start: datetime, end: datetime
) -> Read:
    """Reads in the window per active reader in the radius's box, in one statement that needs no
    reader list first (PostgreSQL: the readers are an array worked out once, so the window is
    walked once whatever the plan). counted_from keeps the readers within the radius."""
    return Read(_COUNTS_IN_BOX, {**_box(lat, lon, radius_m), **_window(start, end)})


def counted_from(readers: list[tuple[int, str, str, float]], counts: Sequence[Any]) -> ReadsNear:
    """The reads near made of readers_within's readers and (reader id, reads) rows."""
    by_reader = {rid: int(n) for rid, n in counts}
    activity = [
        ReaderActivity(code=code, name=name, reads=by_reader[rid], distance_m=distance)
        for rid, code, name, distance in readers
        if by_reader.get(rid)
    ]
    return ReadsNear(sum(a.reads for a in activity), activity)


def _window(start: datetime, end: datetime) -> dict[str, int]:
    return {
        "start": math.floor(start.timestamp() * 1000),
        "end": math.ceil(end.timestamp() * 1000),
    }


def hits_near(
    session: Session,
    lat: float,
    lon: float,
    radius_m: float,
    start: datetime,
    end: datetime,
) -> list[PlateHit]:
    """Hotlist hits raised in the window whose read was within the radius, newest first."""
    rows = read_one(session, hits_read(lat, lon, radius_m, start, end))
    return hits_from(rows, lat, lon, radius_m)


def hits_read(lat: float, lon: float, radius_m: float, start: datetime, end: datetime) -> Read:
    """The statement hits_near runs: hits in the window in the radius's box."""
    return Read(_HITS, {**_box(lat, lon, radius_m), "start": start, "end": end})


def hits_from(rows: Sequence[Any], lat: float, lon: float, radius_m: float) -> list[PlateHit]:
    """hits_near's answer made of hits_read's rows."""
    hits: list[PlateHit] = []
    for alert_id, plate, reason, status, reader, a_lat, a_lon, read_at in rows:
        if a_lat is None or a_lon is None:
            continue
        distance = short_distance_m(lat, lon, a_lat, a_lon)
        if distance <= radius_m and len(hits) < MAX_HITS:
            hits.append(
                PlateHit(
                    alert_id=alert_id,
                    plate=plate,
                    reason_code=reason,
                    status=status,
                    reader_code=reader,
                    distance_m=round(distance, 1),
                    read_at=read_at,
                )
            )
    return hits
