"""Investigative search over stored reads: purpose-bound, case-bound, audited.

Every search names a purpose from the agency's list and a case number; a prohibited purpose is
refused (and the refusal audited) before any read is looked at. The result path stays lean (raw
SQL, plain rows, slotted dataclasses) because plate search is measured at 10M reads.
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from watchfloor.audit.service import AuditEntry, AuditLog, Outcome
from watchfloor.core.clock import Clock
from watchfloor.core.context import RequestContext
from watchfloor.core.errors import FieldProblem, Forbidden, InvalidInput
from watchfloor.core.geo import EARTH_RADIUS_M, distance_m
from watchfloor.db.engine import Database
from watchfloor.domain.lpr import search_plan as plan
from watchfloor.settings import LprSettings

MAX_WINDOW = timedelta(days=366)
MAX_LIMIT = 5000
MAX_RADIUS_M = 100_000.0
MAX_POLYGON_POINTS = 1000
MAX_READER_CODES = 200
MAX_CASE_NUMBER = 100
READER_NAMES_TTL = timedelta(seconds=60)


@dataclass(frozen=True)
class Circle:
    """An area: within radius_m metres of a point."""

    lat: float
    lon: float
    radius_m: float


@dataclass(frozen=True)
class Polygon:
    """An area: inside a ring of (lon, lat) points."""

    ring: tuple[tuple[float, float], ...]


@dataclass(frozen=True)
class ReadQuery:
    """What an investigator looks for: a plate pattern (exact, `ABC*`, `*12*`, `A?C123`), a time
    window, an area, readers, vehicle attributes."""

    since: datetime
    until: datetime
    plate: str | None = None
    area: Circle | Polygon | None = None
    reader_codes: tuple[str, ...] = ()
    make: str | None = None
    model: str | None = None
    colour: str | None = None
    limit: int = 500


@dataclass(frozen=True, slots=True)
class ReadHit:
    """One read found by a search."""

    id: int
    reader_code: str | None
    reader_name: str | None
    captured_at: datetime
    plate: str
    plate_raw: str
    region: str | None
    confidence: float | None
    lat: float | None
    lon: float | None
    heading: float | None
    direction: str | None
    lane: int | None
    speed_kmh: float | None
    plate_image: str | None
    vehicle_image: str | None
    make: str | None
    model: str | None
    colour: str | None
    vehicle_kind: str | None
    hit: bool


@dataclass(frozen=True)
class SearchResult:
    """The reads found, newest first; truncated when more matched than the limit."""

    reads: list[ReadHit]
    truncated: bool
    search_id: str


class ReadSearch:
    """Plate (exact, prefix, wildcard), time, area, reader and vehicle search, purpose-bound."""

    def __init__(self, db: Database, clock: Clock, audit: AuditLog, settings: LprSettings) -> None:
        self._db = db
        self._clock = clock
        self._audit = audit
        self._settings = settings
        self._names: dict[int, tuple[str | None, str | None]] = {}
        self._names_read_at = datetime.min.replace(tzinfo=UTC)

    def purposes(self) -> list[str]:
        """The purposes a search may name."""
        return list(self._settings.search_purposes)

    async def search(
        self, query: ReadQuery, purpose: str, case_number: str, context: RequestContext
    ) -> SearchResult:
        """Run a search for a purpose and a case; audited as `lpr.search`."""
        return await self._run("lpr.search", query, purpose, case_number, context)

    async def export(
        self, query: ReadQuery, purpose: str, case_number: str, context: RequestContext
    ) -> SearchResult:
        """The same search, for an export file; audited as `lpr.search.export`."""
        return await self._run("lpr.search.export", query, purpose, case_number, context)

    async def _run(
        self,
        action: str,
        query: ReadQuery,
        purpose: str,
        case_number: str,
        context: RequestContext,
    ) -> SearchResult:
        await self._check_purpose(action, query, purpose, case_number, context)
        pattern = plan.parse_pattern(query.plate) if query.plate else None
        wanted = _read_filter(query)
        search_id = str(uuid.uuid4())
        async with self._db.read_session() as session:
            wanted = await self._with_readers(session, query.reader_codes, wanted)
            plates = await self._plates(session, pattern)
            rows, truncated = await self._collect(session, plates, wanted, query)
            hits = await self._hits(session, rows)
        details = {**_parameters(query, pattern), "results": len(hits), "truncated": truncated}
        entry = AuditEntry(
            action,
            object_type="lpr_search",
            object_id=search_id,
            reason=purpose,
            case_number=case_number.strip(),
            details=details,
        )
        await self._audit.record_alone(context, entry)
        return SearchResult(hits, truncated, search_id)

    async def _check_purpose(
        self,
        action: str,
        query: ReadQuery,
        purpose: str,
        case_number: str,
        context: RequestContext,
    ) -> None:
        if purpose in self._settings.prohibited_purposes:
            entry = AuditEntry(
                action,
                outcome=Outcome.DENIED,
                object_type="lpr_search",
                reason=purpose,
                case_number=case_number[:MAX_CASE_NUMBER] or None,
                details={"plate": query.plate, "refused": "purpose_prohibited"},
            )
            await self._audit.record_alone(context, entry)
            raise Forbidden(f"searching for {purpose!r} is prohibited", "purpose_prohibited")
        problems = []
        if purpose not in self._settings.search_purposes:
            problems.append(FieldProblem("/purpose", "not one of the agency's search purposes"))
        if not case_number.strip():
            problems.append(FieldProblem("/case_number", "a search needs a case number"))
        elif len(case_number) > MAX_CASE_NUMBER:
            problems.append(FieldProblem("/case_number", f"over {MAX_CASE_NUMBER} characters"))
        if problems:
            raise InvalidInput("search refused", problems)

    async def _with_readers(
        self, session: AsyncSession, codes: Sequence[str], wanted: plan.ReadFilter
    ) -> plan.ReadFilter:
        if not codes:
            return wanted
        statement = plan.reader_ids_statement(self._db.is_postgresql)
        found = {
            code: rid for rid, code in await session.execute(statement, {"codes": list(codes)})
        }
        unknown = [
            FieldProblem(f"/reader_codes/{i}", "no such reader")
            for i, code in enumerate(codes)
            if code not in found
        ]
        if unknown:
            raise InvalidInput("unknown reader", unknown)
        return replace(wanted, reader_ids=tuple(sorted(set(found.values()))))

    async def _plates(
        self, session: AsyncSession, pattern: plan.PlatePattern | None
    ) -> plan.PlateCondition:
        if pattern is None or pattern.match is not plan.PlateMatch.WILDCARD:
            return plan.PlateCondition(pattern)
        statement, params = plan.dictionary_statement(self._db.is_postgresql, pattern)
        plates = tuple((await session.execute(statement, params)).scalars())
        if len(plates) > plan.MAX_PATTERN_PLATES:
            raise plan.too_broad()
        return plan.PlateCondition(pattern, plates)

    async def _collect(
        self,
        session: AsyncSession,
        plates: plan.PlateCondition,
        wanted: plan.ReadFilter,
        query: ReadQuery,
    ) -> tuple[list[Sequence[Any]], bool]:
        """Pages newest first until limit + 1 rows fall inside the exact area (or none are left);
        SQL filters only the bounding box."""
        pattern = plates.pattern
        if pattern is not None and pattern.match is plan.PlateMatch.WILDCARD and not plates.plates:
            return [], False
        wanted_rows = query.limit + 1
        page = wanted_rows if query.area is None else min(2 * wanted_rows, 2 * MAX_LIMIT)
        found: list[Sequence[Any]] = []
        after: tuple[int, int] | None = None
        postgresql = self._db.is_postgresql
        while True:
            statement, params = plan.reads_statement(postgresql, plates, wanted, page, after)
            rows = (await session.execute(statement, params)).all()
            if query.area is None:
                found.extend(rows)
            else:
                found.extend(r for r in rows if _inside(query.area, r[7], r[8]))
            if len(found) >= wanted_rows or len(rows) < page:
                break
            after = (rows[-1][2], rows[-1][0])
        return found[: query.limit], len(found) > query.limit

    async def _hits(self, session: AsyncSession, rows: list[Sequence[Any]]) -> list[ReadHit]:
        readers = await self._reader_names(session, {row[1] for row in rows})
        return [_hit(row, readers.get(row[1], (None, None))) for row in rows]

    async def _reader_names(
        self, session: AsyncSession, ids: set[int]
    ) -> dict[int, tuple[str | None, str | None]]:
        """Code and name by reader id, kept READER_NAMES_TTL (readers change rarely; a search
        should not pay a second query for them)."""
        now = self._clock.now()
        if now - self._names_read_at > READER_NAMES_TTL:
            self._names.clear()
            self._names_read_at = now
        missing = sorted(ids.difference(self._names))
        if missing:
            statement = plan.readers_statement(self._db.is_postgresql)
            found = await session.execute(statement, {"ids": missing})
            self._names.update({rid: (code, name) for rid, code, name in found})
        return self._names


def _hit(row: Sequence[Any], reader: tuple[str | None, str | None]) -> ReadHit:
    (rid, _reader_id, captured_ms, plate, plate_raw, region, confidence, lat, lon, heading,
     direction, lane, speed_kmh, plate_image, vehicle_image, make, model, colour, vehicle_kind,
     hit) = row  # fmt: skip
    return ReadHit(
        rid, reader[0], reader[1], datetime.fromtimestamp(captured_ms / 1000, UTC), plate,
        plate_raw, region, confidence, lat, lon, heading, direction, lane, speed_kmh,
        plate_image, vehicle_image, make, model, colour, vehicle_kind, bool(hit),
    )  # fmt: skip


def to_ms(moment: datetime) -> int:
    """Epoch milliseconds of an aware datetime (the unit of lpr_read's times)."""
    return int(moment.timestamp() * 1000)


def _read_filter(query: ReadQuery) -> plan.ReadFilter:
    _check_window(query)
    if not 1 <= query.limit <= MAX_LIMIT:
        raise InvalidInput("invalid limit", [FieldProblem("/limit", f"1 to {MAX_LIMIT}")])
    if len(query.reader_codes) > MAX_READER_CODES:
        raise InvalidInput(
            "too many readers", [FieldProblem("/reader_codes", f"at most {MAX_READER_CODES}")]
        )
    return plan.ReadFilter(
        since_ms=to_ms(query.since),
        until_ms=to_ms(query.until),
        bbox=_bbox(query.area) if query.area is not None else None,
        make=_attribute(query.make),
        model=_attribute(query.model),
        colour=_attribute(query.colour),
    )


def _check_window(query: ReadQuery) -> None:
    problems = [
        FieldProblem(f"/{name}", "needs a time zone")
        for name in ("since", "until")
        if getattr(query, name).tzinfo is None
    ]
    if not problems and query.since >= query.until:
        problems.append(FieldProblem("/until", "must be after since"))
    elif not problems and query.until - query.since > MAX_WINDOW:
        problems.append(FieldProblem("/since", f"window over {MAX_WINDOW.days} days"))
    if problems:
        raise InvalidInput("invalid time window", problems)


def _attribute(value: str | None) -> str | None:
    cleaned = value.strip().upper() if value else ""
    return cleaned or None


def _bbox(area: Circle | Polygon) -> tuple[float, float, float, float]:
    """min_lon, min_lat, max_lon, max_lat around the area (longitudes may pass +-180)."""
    if isinstance(area, Polygon):
        _check_polygon(area)
        lons = [p[0] for p in area.ring]
        lats = [p[1] for p in area.ring]
        return min(lons), min(lats), max(lons), max(lats)
    _check_circle(area)
    dlat = math.degrees(area.radius_m / EARTH_RADIUS_M)
    cos_lat = math.cos(math.radians(area.lat))
    dlon = 360.0 if cos_lat < 1e-6 else dlat / cos_lat
    return area.lon - dlon, max(-90.0, area.lat - dlat), area.lon + dlon, min(90.0, area.lat + dlat)


def _check_circle(area: Circle) -> None:
    problems = []
    if not (-90.0 <= area.lat <= 90.0 and -180.0 <= area.lon <= 180.0):
        problems.append(FieldProblem("/area", "centre outside -90..90, -180..180"))
    if not 0 < area.radius_m <= MAX_RADIUS_M:
        problems.append(FieldProblem("/area/radius_m", f"above 0, at most {MAX_RADIUS_M:.0f} m"))
    if problems:
        raise InvalidInput("invalid area", problems)


def _check_polygon(area: Polygon) -> None:
    reason = None
    if not 3 <= len(area.ring) <= MAX_POLYGON_POINTS:
        reason = f"3 to {MAX_POLYGON_POINTS} points"
    elif any(not (-180.0 <= lon <= 180.0 and -90.0 <= lat <= 90.0) for lon, lat in area.ring):
        reason = "a point outside -180..180, -90..90 ([lon, lat])"
    if reason:
        raise InvalidInput("invalid area", [FieldProblem("/area/polygon", reason)])


def _inside(area: Circle | Polygon, lat: float | None, lon: float | None) -> bool:
    if lat is None or lon is None:
        return False
    if isinstance(area, Circle):
        return distance_m(area.lat, area.lon, lat, lon) <= area.radius_m
    return _in_ring(area.ring, lon, lat)


def _in_ring(ring: Sequence[tuple[float, float]], x: float, y: float) -> bool:
    """Ray casting (even-odd rule) on (lon, lat) treated as plane coordinates."""
    inside = False
    j = len(ring) - 1
    for i in range(len(ring)):
        xi, yi = ring[i]
        xj, yj = ring[j]
        if (yi > y) != (yj > y) and x < (xj - xi) * (y - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


def _parameters(query: ReadQuery, pattern: plan.PlatePattern | None) -> dict[str, Any]:
    area: dict[str, Any] | None = None
    if isinstance(query.area, Circle):
        area = {"lat": query.area.lat, "lon": query.area.lon, "radius_m": query.area.radius_m}
    elif isinstance(query.area, Polygon):
        area = {"polygon": [list(point) for point in query.area.ring]}
    return {
        "plate": query.plate,
        "pattern": pattern.text if pattern else None,
        "match": pattern.match.value if pattern else None,
        "since": query.since.isoformat(),
        "until": query.until.isoformat(),
        "area": area,
        "reader_codes": list(query.reader_codes),
        "make": query.make,
        "model": query.model,
        "colour": query.colour,
        "limit": query.limit,
    }
