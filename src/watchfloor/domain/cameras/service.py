"""The camera registry: every camera asset, its changes audited, its inventory in and out.

Audit details name which fields changed, never their values for stream addresses. Positions of
mobile cameras are telemetry, not registry changes: they are kept (newest wins), not audited."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Concatenate, ParamSpec, TypeVar

from pydantic import SecretStr
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from watchfloor.audit.service import AuditEntry, AuditLog
from watchfloor.core.clock import Clock
from watchfloor.core.context import RequestContext
from watchfloor.core.errors import Conflict, FieldProblem, InvalidInput, NotFound
from watchfloor.db.engine import Database
from watchfloor.domain.cameras.inventory import (
    Parsed,
    parse_csv,
    parse_geojson,
    write_csv,
    write_geojson,
)
from watchfloor.domain.cameras.models import Camera
from watchfloor.domain.cameras.osm import OsmCamera, camera_from_osm
from watchfloor.domain.cameras.schemas import (
    MOBILE_KINDS,
    CameraIn,
    CameraKind,
    CameraOut,
    CameraPatch,
    CameraStatus,
    ImportResult,
)

OBJECT_TYPE = "camera"
COLUMNS = tuple(Camera.__table__.columns)
NO_LOCATION_OK = frozenset({CameraStatus.PLANNED, CameraStatus.RETIRED})


def rule_problems(row: Camera) -> list[FieldProblem]:
    """What is wrong with a camera's state as a whole (beyond each field's own checks)."""
    problems = []
    if (row.lat is None) != (row.lon is None):
        problems.append(
            FieldProblem("/lon" if row.lon is None else "/lat", "lat and lon go together")
        )
    if not row.mobile and row.lat is None and row.status not in NO_LOCATION_OK:
        problems.append(FieldProblem("/lat", "a fixed camera needs a location"))
    if row.ptz_range_m is not None and not row.ptz:
        problems.append(FieldProblem("/ptz_range_m", "only a PTZ camera has a PTZ reach"))
    return problems


def _values(body: CameraPatch | CameraIn, only_set: bool) -> dict[str, Any]:
    values = body.model_dump(exclude_unset=only_set, exclude={"code"})
    if "stream_urls" in values:
        streams: list[SecretStr] | None = body.stream_urls
        values["stream_urls"] = [url.get_secret_value() for url in streams or []]
    if "onvif_url" in values:
        onvif: SecretStr | None = body.onvif_url
        values["onvif_url"] = onvif.get_secret_value() if onvif is not None else None
    if "labels" in values and values["labels"] is None:
        values["labels"] = []
    return values


def _apply(row: Camera, values: Mapping[str, Any], now: datetime) -> list[str]:
    """Set the values on the row; the names of the fields that changed."""
    changed = [name for name, value in values.items() if getattr(row, name) != value]
    for name in changed:
        setattr(row, name, values[name])
    row.mobile = row.kind in MOBILE_KINDS
    if row.status == CameraStatus.RETIRED and row.retired_at is None:
        row.retired_at = now
    elif row.status != CameraStatus.RETIRED:
        row.retired_at = None
    if changed:
        row.updated_at = now
    return sorted(changed)


def _new_row(code: str, now: datetime) -> Camera:
    return Camera(
        code=code,
        stream_urls=[],
        labels=[],
        ptz=False,
        mobile=False,
        created_at=now,
        updated_at=now,
    )


def _entry(action: str, row: Camera, **details: Any) -> AuditEntry:
    base = {"kind": row.kind, "status": row.status, "access_level": row.access_level}
    return AuditEntry(action, object_type=OBJECT_TYPE, object_id=row.code, details=base | details)


P = ParamSpec("P")
R = TypeVar("R")


def _bumps_revision(
    method: Callable[Concatenate[CameraRegistry, P], Awaitable[R]],
) -> Callable[Concatenate[CameraRegistry, P], Awaitable[R]]:
    """After a write has committed (or failed), bump the registry's revision."""

    async def write(self: CameraRegistry, /, *args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return await method(self, *args, **kwargs)
        finally:
            self.revision += 1

    write.__doc__ = method.__doc__
    write.__name__ = method.__name__
    return write


@dataclass(frozen=True)
class CameraSecrets:
    """The addresses of a camera that carry credentials (the repr hides them)."""

    code: str
    ptz: bool
    streams: tuple[str, ...] = field(repr=False)
    onvif: str | None = field(repr=False)


class CameraRegistry:
    """Registers, changes, retires, imports and exports cameras; every change audited."""

    def __init__(self, db: Database, clock: Clock, audit: AuditLog) -> None:
        self._db = db
        self._clock = clock
        self._audit = audit
        self.revision = 0  # bumped by every write, so what caches cameras knows to reload

    async def list(
        self, kind: CameraKind | None = None, status: CameraStatus | None = None
    ) -> list[CameraOut]:
        """Every camera (of a kind, of a status), by code."""
        query = select(Camera).order_by(Camera.code)
        if kind is not None:
            query = query.where(Camera.kind == kind.value)
        if status is not None:
            query = query.where(Camera.status == status.value)
        async with self._db.read_session() as session:
            rows = (await session.execute(query)).scalars().all()
            return [CameraOut.model_validate(row) for row in rows]

    async def get(self, code: str) -> CameraOut:
        """One camera; 404 when unknown."""
        async with self._db.read_session() as session:
            return CameraOut.model_validate(await _find(session, code))

    async def secrets(self, code: str) -> CameraSecrets:
        """A camera's stream and ONVIF addresses, for connecting to it (never for showing)."""
        async with self._db.read_session() as session:
            row = await _find(session, code)
            streams = tuple(row.stream_urls or ())
            return CameraSecrets(code=row.code, ptz=row.ptz, streams=streams, onvif=row.onvif_url)

    @_bumps_revision
    async def create(self, body: CameraIn, context: RequestContext) -> CameraOut:
        """Register a camera; 409 when the code is taken, 422 naming what is wrong."""
        now = self._clock.now()
        async with self._db.session() as session:
            if await _lookup(session, body.code) is not None:
                raise Conflict(f"camera {body.code} is already registered", "camera_exists")
            row = _new_row(body.code, now)
            _apply(row, _values(body, only_set=False), now)
            _check(row)
            session.add(row)
            await session.flush()
            await self._audit.record(session, context, _entry("camera.created", row))
            return CameraOut.model_validate(row)

    @_bumps_revision
    async def update(self, code: str, patch: CameraPatch, context: RequestContext) -> CameraOut:
        """Change the fields the patch names; stream addresses only when it names them."""
        now = self._clock.now()
        async with self._db.session() as session:
            row = await _find(session, code, lock=True)
            changed = _apply(row, _values(patch, only_set=True), now)
            _check(row)
            if changed:
                entry = _entry("camera.updated", row, changed=changed)
                await self._audit.record(session, context, entry)
            return CameraOut.model_validate(row)

    @_bumps_revision
    async def retire(self, code: str, reason: str, context: RequestContext) -> CameraOut:
        """Take a camera out of service (kept in the registry, status retired)."""
        now = self._clock.now()
        async with self._db.session() as session:
            row = await _find(session, code, lock=True)
            if row.status == CameraStatus.RETIRED:
                raise Conflict(f"camera {code} is already retired", "camera_retired")
            _apply(row, {"status": CameraStatus.RETIRED.value}, now)
            entry = _entry("camera.retired", row)
            await self._audit.record(session, context, _with_reason(entry, reason))
            return CameraOut.model_validate(row)

    @_bumps_revision
    async def report_position(self, code: str, lat: float, lon: float, at: datetime) -> CameraOut:
        """Where a mobile camera is now; an older report than the last one is ignored."""
        async with self._db.session() as session:
            row = await _find(session, code, lock=True)
            if not row.mobile:
                raise Conflict(f"camera {code} is not mobile", "camera_not_mobile")
            if row.last_position_at is None or at > row.last_position_at:
                row.last_lat, row.last_lon, row.last_position_at = lat, lon, at
            return CameraOut.model_validate(row)

    async def import_csv(self, data: bytes, context: RequestContext) -> ImportResult:
        """Create or update the cameras of a CSV inventory; bad rows are named by line."""
        return await self._import("csv", parse_csv(data), context)

    async def import_geojson(self, data: bytes, context: RequestContext) -> ImportResult:
        """Create or update the cameras of a GeoJSON inventory; bad features named by index."""
        return await self._import("geojson", parse_geojson(data), context)

    async def import_osm(
        self, cameras: Iterable[OsmCamera], context: RequestContext
    ) -> ImportResult:
        """Register cameras mapped in OpenStreetMap (the demo city's), as unverified."""
        parsed = Parsed(by_line=False)
        for index, camera in enumerate(cameras):
            parsed.rows.append((index, camera_from_osm(camera)))
        return await self._import("osm", parsed, context)

    async def export_csv(self, context: RequestContext) -> str:
        """The whole inventory as CSV (audited; never the stream addresses)."""
        cameras = await self.list()
        await self._audit.record_alone(context, _exported("csv", len(cameras)))
        return write_csv(cameras)

    async def export_geojson(self, context: RequestContext) -> dict[str, Any]:
        """The whole inventory as a GeoJSON FeatureCollection (audited; never the streams)."""
        cameras = await self.list()
        await self._audit.record_alone(context, _exported("geojson", len(cameras)))
        return write_geojson(cameras)

    @_bumps_revision
    async def _import(self, fmt: str, parsed: Parsed, context: RequestContext) -> ImportResult:
        now = self._clock.now()
        created: list[str] = []
        updated: list[str] = []
        async with self._db.session() as session:
            rows = (await session.execute(select(Camera).with_for_update())).scalars().all()
            by_code = {row.code: row for row in rows}
            seen: dict[str, int] = {}
            for position, body in parsed.rows:
                if body.code in seen:
                    parsed.rejected += 1
                    parsed.problem(position, "code", f"repeats the camera of {seen[body.code]}")
                    continue
                seen[body.code] = position
                outcome = _upsert(session, by_code, body, now)
                if isinstance(outcome, list):
                    parsed.rejected += 1
                    for problem in outcome:
                        parsed.problem(position, problem.pointer.lstrip("/"), problem.reason)
                elif outcome is not None:
                    (created if outcome else updated).append(body.code)
            await session.flush()
            details = {"format": fmt, "created": created, "updated": updated}
            entry = AuditEntry(
                "camera.imported",
                object_type=OBJECT_TYPE,
                details=details | {"rejected": parsed.rejected},
            )
            await self._audit.record(session, context, entry)
        return ImportResult(
            format=fmt,
            created=len(created),
            updated=len(updated),
            rejected=parsed.rejected,
            problems=parsed.problems,
        )


def _upsert(
    session: AsyncSession, by_code: dict[str, Camera], body: CameraIn, now: datetime
) -> bool | list[FieldProblem] | None:
    """True: created; False: updated; None: unchanged; a list: the row's problems."""
    row = by_code.get(body.code)
    values = _values(body, only_set=row is not None)
    scratch = _new_row(body.code, now) if row is None else _copy(row)
    _apply(scratch, values, now)
    problems = rule_problems(scratch)
    if problems:
        return problems
    if row is None:
        session.add(scratch)
        by_code[body.code] = scratch
        return True
    return False if _apply(row, values, now) else None


def _copy(row: Camera) -> Camera:
    """A detached copy of a row, to try changes on."""
    return Camera(**{column.key: getattr(row, column.key) for column in COLUMNS})


def _check(row: Camera) -> None:
    problems = rule_problems(row)
    if problems:
        raise InvalidInput("the camera is not consistent", problems)


def _with_reason(entry: AuditEntry, reason: str) -> AuditEntry:
    return AuditEntry(
        entry.action,
        object_type=entry.object_type,
        object_id=entry.object_id,
        reason=reason,
        details=entry.details,
    )


def _exported(fmt: str, count: int) -> AuditEntry:
    return AuditEntry(
        "camera.exported", object_type=OBJECT_TYPE, details={"format": fmt, "count": count}
    )


async def _lookup(session: AsyncSession, code: str, lock: bool = False) -> Camera | None:
    query = select(Camera).where(Camera.code == code)
    if lock:
        query = query.with_for_update()
    return (await session.execute(query)).scalar_one_or_none()


async def _find(session: AsyncSession, code: str, lock: bool = False) -> Camera:
    row = await _lookup(session, code, lock)
    if row is None:
        raise NotFound("no such camera")
    return row
