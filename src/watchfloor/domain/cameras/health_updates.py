"""Writing camera health: each update of a camera's health row commits together with its ticket
change (and audit record, when a person caused it); then the status change goes on the bus and
the ticket's message is sent. Also the reads the routes need."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from watchfloor.audit.service import AuditEntry, AuditLog
from watchfloor.core.bus import EventBus
from watchfloor.core.clock import Clock
from watchfloor.core.context import RequestContext
from watchfloor.core.errors import NotFound
from watchfloor.core.events import Event
from watchfloor.core.geo import GeoPoint
from watchfloor.db.engine import Database
from watchfloor.domain.cameras.health import HealthStatus, Thresholds
from watchfloor.domain.cameras.health_models import CameraHealth, CameraTicket
from watchfloor.domain.cameras.health_records import (
    Change,
    ProbeOutcome,
    apply_probe,
    health_row,
    problems_of,
)
from watchfloor.domain.cameras.health_schemas import CameraHealthOut, health_out
from watchfloor.domain.cameras.models import Camera
from watchfloor.domain.cameras.schemas import CameraStatus
from watchfloor.domain.cameras.tickets import TicketDesk
from watchfloor.events.camera_health import STATUS_CHANGED, CameraStatusChanged

log = logging.getLogger(__name__)

SOURCE = "camera-health"
UNHEALTHY = (HealthStatus.DEGRADED, HealthStatus.OFFLINE)

Mutation = Callable[[CameraHealth, datetime], Change]
Audited = tuple[AuditLog, RequestContext, AuditEntry]


@dataclass(frozen=True)
class Target:
    """A camera to probe: its code, stream address (never logged) and maintenance contact."""

    code: str
    url: str | None
    contact: str | None

    @classmethod
    def of(cls, camera: Camera) -> Target:
        """The probe target of a registered camera (its first stream)."""
        streams = camera.stream_urls or []
        return cls(camera.code, streams[0] if streams else None, camera.maintenance_contact)

    def __repr__(self) -> str:
        return f"Target({self.code})"


@dataclass
class _Written:
    out: CameraHealthOut
    change: Change
    event: Event[CameraStatusChanged] | None
    mail: bool


class HealthUpdates:
    """Commits health changes with their tickets, then publishes and mails."""

    def __init__(
        self, db: Database, clock: Clock, bus: EventBus, desk: TicketDesk, limits: Thresholds
    ) -> None:
        self._db = db
        self._clock = clock
        self.bus = bus
        self._desk = desk
        self._limits = limits

    async def record_probe(
        self,
        target: Target,
        outcome: ProbeOutcome,
        every_s: float,
        reference_by: str | None = None,
        audited: Audited | None = None,
    ) -> CameraHealthOut:
        """Record a probe's outcome (a new reference view when reference_by is given)."""

        def mutate(row: CameraHealth, _now: datetime) -> Change:
            return apply_probe(row, outcome, self._limits, every_s, reference_by)

        return await self.record(target, mutate, audited)

    async def record(
        self, target: Target, mutate: Mutation, audited: Audited | None = None
    ) -> CameraHealthOut:
        """Change the camera's health row, its ticket, and tell the map and the maintainer."""
        try:
            written = await self._write(target, mutate, audited)
        except IntegrityError:  # its first row was created concurrently: go again on that one
            written = await self._write(target, mutate, audited)
        if written.event is not None:
            await self.bus.publish(written.event)
        if written.mail:
            try:
                await self._desk.deliver_mail()
            except Exception:  # the periodic mail job retries; the change is committed
                log.exception("ticket mail for camera %s not delivered now", target.code)
        return written.out

    async def _write(self, target: Target, mutate: Mutation, audited: Audited | None) -> _Written:
        now = self._clock.now()
        async with self._db.session() as session:
            camera = await _camera(session, target.code)
            row = await health_row(session, target.code, lock=True)
            change = mutate(row, now)
            await session.flush()
            ticket, mail = await self._ticket(session, target, row, change)
            if audited is not None:
                audit, context, entry = audited
                await audit.record(session, context, entry)
            ticket_id = ticket.id if ticket is not None and ticket.closed_at is None else None
            out = health_out(camera, row, ticket_id)
            event = _event(camera, row, change, ticket, now) if change.changed else None
        return _Written(out, change, event, mail)

    async def _ticket(
        self, session: AsyncSession, target: Target, row: CameraHealth, change: Change
    ) -> tuple[CameraTicket | None, bool]:
        """Open, update or close the camera's ticket; whether a message may now be due."""
        if change.status in UNHEALTHY:
            problems = problems_of(row)
            opened = await self._desk.report(
                session, target.code, change.status, problems, target.contact
            )
            return opened, change.changed
        if change.status == HealthStatus.OK:
            closed = await self._desk.recover(session, target.code)
            return closed, closed is not None
        return None, False

    async def health(self, code: str) -> CameraHealthOut:
        """One camera's health; 404 when the camera is unknown."""
        async with self._db.read_session() as session:
            camera = await _camera(session, code)
            row = await session.get(CameraHealth, code)
            ticket = await _open_ticket_ids(session, code)
            return health_out(camera, row, ticket.get(code))

    async def overview(self) -> list[CameraHealthOut]:
        """Every camera not retired, with its health, by code."""
        query = (
            select(Camera, CameraHealth)
            .outerjoin(CameraHealth, CameraHealth.camera_code == Camera.code)
            .where(Camera.status != CameraStatus.RETIRED.value)
            .order_by(Camera.code)
        )
        async with self._db.read_session() as session:
            rows = (await session.execute(query)).all()
            tickets = await _open_ticket_ids(session, None)
            return [health_out(c, h, tickets.get(c.code)) for c, h in rows]


async def _camera(session: AsyncSession, code: str) -> Camera:
    camera = (await session.execute(select(Camera).where(Camera.code == code))).scalar_one_or_none()
    if camera is None:
        raise NotFound("no such camera")
    return camera


async def _open_ticket_ids(session: AsyncSession, code: str | None) -> dict[str, int]:
    query = select(CameraTicket.camera_code, CameraTicket.id).where(
        CameraTicket.closed_at.is_(None)
    )
    if code is not None:
        query = query.where(CameraTicket.camera_code == code)
    return {row[0]: row[1] for row in (await session.execute(query)).all()}


def _event(
    camera: Camera,
    row: CameraHealth,
    change: Change,
    ticket: CameraTicket | None,
    now: datetime,
) -> Event[CameraStatusChanged]:
    lat = camera.lat if camera.lat is not None else camera.last_lat
    lon = camera.lon if camera.lon is not None else camera.last_lon
    payload = CameraStatusChanged(
        camera_code=camera.code,
        status=change.status.value,
        previous=change.previous.value,
        problems=list(row.problems or []),
        checked_at=row.checked_at,
        lat=lat,
        lon=lon,
        ticket_id=ticket.id if ticket is not None else None,
    )
    location = GeoPoint(lat=lat, lon=lon) if lat is not None and lon is not None else None
    return Event[CameraStatusChanged](
        kind=STATUS_CHANGED,
        source=SOURCE,
        occurred_at=now,
        received_at=now,
        location=location,
        payload=payload,
    )
