"""Assembles the context packet of an incident or an alert: every section bounded, the store
read in one worker-thread hop (its independent sections side by side), the in-memory indexes
(cameras, units, community cameras) asked directly."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from sqlalchemy.orm import Session

from watchfloor.core.clock import Clock
from watchfloor.db.engine import Database
from watchfloor.db.reads import Reads
from watchfloor.domain.alerts.lookup import AttachedRow, attached_in, get_in, near_brief_in
from watchfloor.domain.cameras.sight import CameraSight
from watchfloor.domain.context import sections
from watchfloor.domain.context.prior import prior_incidents
from watchfloor.domain.context.schemas import (
    AttachedAlert,
    Caution,
    ContextPacket,
    GunshotNear,
    Location,
    PremiseNear,
    PriorIncidents,
    Subject,
)
from watchfloor.domain.context.sources import CommunityCameras
from watchfloor.domain.lpr.nearby import PlateActivity, plate_activity
from watchfloor.domain.units.service import UnitRoster
from watchfloor.events.alerts import AlertKind
from watchfloor.settings import ContextSettings

GUNSHOT_LIMIT = 20
COMMUNITY_LIMIT = 20


class ContextAssembler:
    """Builds context packets from the cameras, the roster and the store (alerts included)."""

    def __init__(
        self,
        db: Database,
        clock: Clock,
        sight: CameraSight,
        roster: UnitRoster,
        community: CommunityCameras,
        settings: ContextSettings,
    ) -> None:
        self._db = db
        self._clock = clock
        self._sight = sight
        self._roster = roster
        self._community = community
        self._settings = settings

    async def for_incident(self, incident_id: str) -> ContextPacket:
        """The packet of an incident (NotFound when there is none)."""
        started = time.perf_counter()
        now = self._clock.now()
        facts = await self._db.read_plan(partial(self._incident_facts, incident_id, now))
        return await self._packet(Subject(type="incident", id=incident_id), facts, now, started)

    async def for_alert(self, alert_id: str) -> ContextPacket:
        """The packet of an alert: its location, and its incident's cautions and alerts."""
        started = time.perf_counter()
        now = self._clock.now()
        facts = await self._db.read_plan(partial(self._alert_facts, alert_id, now))
        return await self._packet(Subject(type="alert", id=alert_id), facts, now, started)

    async def _packet(
        self, subject: Subject, facts: _StoreFacts, now: datetime, started: float
    ) -> ContextPacket:
        location = facts.location
        packet = ContextPacket(
            subject=subject,
            location=location,
            assembled_at=now,
            took_ms=0.0,
            cameras=[],
            units=[],
            prior_incidents=facts.prior,
            plate_activity=facts.plates,
            gunshots=facts.gunshots,
            premises=facts.premises,
            community_cameras=[],
            cautions=facts.cautions,
            alerts=[],
        )
        if location is not None:
            await self._memory_sections(packet, location.lat, location.lon)
        return _finish(packet, sections.attached(facts.alerts), started)

    # The store's sections: the subject's place first, then three reads side by side on their
    # own connections, each on prebuilt statements (one after another, their round trips and
    # the store's work would add up; more at once only contend). One worker-thread hop.
    def _incident_facts(self, incident_id: str, now: datetime, reads: Reads) -> _StoreFacts:
        location = reads.now(partial(sections.incident_location, incident_id=incident_id))
        return self._store_facts(location, incident_id, None, now, reads)

    def _alert_facts(self, alert_id: str, now: datetime, reads: Reads) -> _StoreFacts:
        alert = reads.now(partial(get_in, alert_id=alert_id))
        location = None
        if alert.lat is not None and alert.lon is not None:
            location = Location(lat=alert.lat, lon=alert.lon, address=alert.address)
        return self._store_facts(location, alert.incident_id, alert_id, now, reads)

    def _store_facts(
        self,
        location: Location | None,
        incident_id: str | None,
        alert_id: str | None,
        now: datetime,
        reads: Reads,
    ) -> _StoreFacts:
        if location is None:
            flags, alerts = reads.now(partial(self._incident_own, incident_id))
            return _StoreFacts(None, flags, None, None, [], [], alerts)
        on_record = reads.beside(partial(self._on_record, location, incident_id, now))
        plates = reads.beside(partial(self._plates, location, now))
        flags, alerts, shots = reads.now(
            partial(self._own_and_gunshots, location, incident_id, alert_id, now)
        )
        prior, premises = on_record.result()
        return _StoreFacts(location, flags, prior, plates.result(), premises, shots, alerts)

    def _own_and_gunshots(
        self,
        location: Location,
        incident_id: str | None,
        alert_id: str | None,
        now: datetime,
        session: Session,
    ) -> tuple[list[Caution], list[AttachedRow], list[GunshotNear]]:
        """The incident's own facts, then the gunshots near that the packet is not about."""
        flags, alerts = self._incident_own(incident_id, session)
        about = {a[0] for a in alerts} | ({alert_id} if alert_id else set())
        return flags, alerts, self._gunshots(location, now, about, session)

    def _incident_own(
        self, incident_id: str | None, session: Session
    ) -> tuple[list[Caution], list[AttachedRow]]:
        """The incident's caution flags and the alerts attached to it."""
        if incident_id is None:
            return [], []
        return sections.cautions(session, incident_id), attached_in(session, incident_id)

    def _on_record(
        self, location: Location, incident_id: str | None, now: datetime, session: Session
    ) -> tuple[PriorIncidents, list[PremiseNear]]:
        """Prior incidents at and near the place, and the premises there."""
        s = self._settings
        prior = prior_incidents(
            session,
            location.lat,
            location.lon,
            location.address,
            radius_m=s.prior_radius_m,
            at_address_m=s.at_address_m,
            since=now - timedelta(days=s.prior_days),
            until=now,
            recent=s.prior_recent,
            exclude_id=incident_id,
        )
        premises = sections.premises_near(session, location.lat, location.lon, s.premises_radius_m)
        return prior, premises

    def _plates(self, location: Location, now: datetime, session: Session) -> PlateActivity:
        s = self._settings
        since = now - timedelta(minutes=s.plate_window_min)
        return plate_activity(session, location.lat, location.lon, s.plate_radius_m, since, now)

    def _gunshots(
        self, location: Location, now: datetime, about: set[str], session: Session
    ) -> list[GunshotNear]:
        """Gunshots near the place, less those the packet is about (its own, listed apart)."""
        s = self._settings
        since = now - timedelta(hours=s.gunshot_window_h)
        radius, lat, lon = s.gunshot_radius_m, location.lat, location.lon
        found = near_brief_in(
            session, lat, lon, radius, since, AlertKind.GUNSHOT, GUNSHOT_LIMIT, skip=about
        )
        return sections.gunshots(found)

    async def _memory_sections(self, packet: ContextPacket, lat: float, lon: float) -> None:
        s = self._settings
        packet.cameras = await self._sight.can_see(
            lat, lon, near_m=s.camera_near_m, limit=s.camera_limit
        )
        packet.units = await self._roster.nearest(lat, lon, limit=s.unit_limit)
        packet.community_cameras = await self._community.near(
            lat, lon, s.community_radius_m, COMMUNITY_LIMIT
        )


@dataclass(frozen=True)
class _StoreFacts:
    location: Location | None
    cautions: list[Caution]
    prior: PriorIncidents | None
    plates: PlateActivity | None
    premises: list[PremiseNear]
    gunshots: list[GunshotNear]
    alerts: list[AttachedRow]


def _finish(packet: ContextPacket, alerts: list[AttachedAlert], started: float) -> ContextPacket:
    packet.alerts = alerts
    packet.took_ms = round((time.perf_counter() - started) * 1000, 3)
    return packet
