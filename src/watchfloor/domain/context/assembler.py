"""Assembles the context packet of an incident or an alert: every section bounded, the store
read in one worker-thread hop (its independent sections together: one pipeline on PostgreSQL,
side by side on SQLite), the in-memory indexes (cameras, units, community cameras) asked on
the event loop while the store answers."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from sqlalchemy.orm import Session

from watchfloor.core.clock import Clock
from watchfloor.core.errors import NotFound
from watchfloor.db.engine import Database
from watchfloor.db.pipeline import read_together
from watchfloor.db.reads import Reads
from watchfloor.domain.alerts.lookup import (
    AttachedRow,
    get_in,
    near_brief_from,
    near_brief_in,
    near_brief_read,
)
from watchfloor.domain.cameras.sight import CameraSight, SightingOut
from watchfloor.domain.context import sections
from watchfloor.domain.context.prior import PriorAsk, prior_incidents
from watchfloor.domain.context.schemas import (
    Caution,
    CommunityCamera,
    ContextPacket,
    GunshotNear,
    Location,
    PremiseNear,
    PriorIncidents,
    Subject,
)
from watchfloor.domain.context.sources import CommunityCameras
from watchfloor.domain.context.subject import NOTHING_OWN, IncidentOwn, incident_own
from watchfloor.domain.lpr.nearby import (
    PlateActivity,
    PlateHit,
    ReadsNear,
    activity_of,
    counted_from,
    counts_in_box_read,
    hits_from,
    hits_near,
    hits_read,
    readers_from,
    readers_read,
    reads_near,
)
from watchfloor.domain.units.schemas import NearbyUnit
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
        plan = partial(self._incident_facts, incident_id, now)
        return await self._packet(Subject(type="incident", id=incident_id), plan, now, started)

    async def for_alert(self, alert_id: str) -> ContextPacket:
        """The packet of an alert: its location, and its incident's cautions and alerts."""
        started = time.perf_counter()
        now = self._clock.now()
        plan = partial(self._alert_facts, alert_id, now)
        return await self._packet(Subject(type="alert", id=alert_id), plan, now, started)

    async def _packet(
        self, subject: Subject, plan: _FactsPlan, now: datetime, started: float
    ) -> ContextPacket:
        # The plan's thread tells the place as soon as the store's reads are on their way, and
        # the in-memory sections are worked out here while the store answers them.
        place = _Place(asyncio.get_running_loop())
        read = asyncio.ensure_future(self._db.read_plan(partial(plan, place.tell)))
        read.add_done_callback(lambda _: place.settle(None))
        try:
            location = await place.known
            memory = await self._memory_sections(location) if location else _NO_MEMORY
            facts = await read
        finally:
            read.cancel()  # a no-op once it is done; otherwise nobody waits for it any more
        return _finish(
            ContextPacket(
                subject=subject,
                location=facts.location,
                assembled_at=now,
                took_ms=0.0,
                cameras=memory.cameras,
                units=memory.units,
                prior_incidents=facts.prior,
                plate_activity=facts.plates,
                gunshots=facts.gunshots,
                premises=facts.premises,
                community_cameras=memory.community,
                cautions=facts.cautions,
                alerts=sections.attached(facts.alerts),
            ),
            started,
        )

    # The store's sections: the incident's own facts first (its place, cautions and attached
    # alerts in one statement), then the rest on prebuilt statements (one after another, their
    # round trips and the store's work would add up). On PostgreSQL they go out together in one
    # pipeline: one round trip, and no threads contending for the interpreter while the server
    # works. On SQLite (in-process, no round trips) three branches run side by side, two on
    # their own connections: prior incidents (the heaviest statement) alone, the reads counted
    # per reader (two statements, the second on the first's readers), and the three light ones
    # (gunshots, premises, plate hits). One worker-thread hop either way; once the reads are
    # on their way the plan tells the loop the place, and the loop asks the in-memory indexes
    # while this thread waits (its interpreter lock free while the store works).
    def _incident_facts(
        self, incident_id: str, now: datetime, tell: _Tell, reads: Reads
    ) -> _StoreFacts:
        own = reads.now(partial(incident_own, incident_id=incident_id))
        if not own.found:
            raise NotFound("no such incident")
        return self._store_facts(own, own.location, incident_id, None, now, tell, reads)

    def _alert_facts(self, alert_id: str, now: datetime, tell: _Tell, reads: Reads) -> _StoreFacts:
        alert = reads.now(partial(get_in, alert_id=alert_id))
        location = None
        if alert.lat is not None and alert.lon is not None:
            location = Location(lat=alert.lat, lon=alert.lon, address=alert.address)
        own = NOTHING_OWN
        if alert.incident_id is not None:
            own = reads.now(partial(incident_own, incident_id=alert.incident_id))
        return self._store_facts(own, location, alert.incident_id, alert_id, now, tell, reads)

    def _store_facts(
        self,
        own: IncidentOwn,
        location: Location | None,
        incident_id: str | None,
        alert_id: str | None,
        now: datetime,
        tell: _Tell,
        reads: Reads,
    ) -> _StoreFacts:
        if location is None:
            return _StoreFacts(None, own.cautions, None, None, [], [], own.alerts)
        about = {a[0] for a in own.alerts} | ({alert_id} if alert_id else set())
        if self._db.is_postgresql:
            together = partial(self._together, own, location, incident_id, about, now, tell)
            return reads.now(lambda here: reads.apart(partial(together, here)))
        prior = reads.beside(partial(self._prior, location, incident_id, now))
        counted = reads.beside(partial(self._reads_near, location, now))
        tell(location)
        shots, premises, hits = reads.now(partial(self._around, location, now, about))
        since = now - timedelta(minutes=self._settings.plate_window_min)
        plates = activity_of(counted.result(), hits, self._settings.plate_radius_m, since)
        return _StoreFacts(
            location, own.cautions, prior.result(), plates, premises, shots, own.alerts
        )

    def _together(
        self,
        own: IncidentOwn,
        location: Location,
        incident_id: str | None,
        about: set[str],
        now: datetime,
        tell: _Tell,
        session: Session,
        apart: Session,
    ) -> _StoreFacts:
        """PostgreSQL: each section's first statement sent at once from this one thread (prior
        incidents, the heaviest, in a pipeline of its own on a second connection, so the server
        works on it beside the others), then only what depends on what they found (floor
        plans, gunshot summaries)."""
        s, lat, lon = self._settings, location.lat, location.lon
        plates_since = now - timedelta(minutes=s.plate_window_min)
        shots_since = now - timedelta(hours=s.gunshot_window_h)
        prior_ask = self._prior_ask(location, incident_id, now)
        light = [
            readers_read(lat, lon, s.plate_radius_m),
            counts_in_box_read(lat, lon, s.plate_radius_m, plates_since, now),
            hits_read(lat, lon, s.plate_radius_m, plates_since, now),
            near_brief_read(lat, lon, s.gunshot_radius_m, shots_since, AlertKind.GUNSHOT),
            sections.premises_read(lat, lon, s.premises_radius_m),
        ]
        [prior], [readers, counts, hits, spots, premises] = read_together(
            [(apart, [prior_ask.read()]), (session, light)], sent=partial(tell, location)
        )
        near = readers_from(readers, lat, lon, s.plate_radius_m)
        plate_hits = hits_from(hits, lat, lon, s.plate_radius_m)
        shots = near_brief_from(session, spots, lat, lon, s.gunshot_radius_m, GUNSHOT_LIMIT, about)
        return _StoreFacts(
            location,
            own.cautions,
            prior_ask.answer(prior),
            activity_of(counted_from(near, counts), plate_hits, s.plate_radius_m, plates_since),
            sections.premises_from(session, premises, lat, lon, s.premises_radius_m),
            sections.gunshots(shots),
            own.alerts,
        )

    def _prior(
        self, location: Location, incident_id: str | None, now: datetime, session: Session
    ) -> PriorIncidents:
        """Prior incidents at and near the place (the heaviest read: on a connection alone)."""
        return prior_incidents(session, self._prior_ask(location, incident_id, now))

    def _prior_ask(self, location: Location, incident_id: str | None, now: datetime) -> PriorAsk:
        s = self._settings
        return PriorAsk(
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

    def _around(
        self, location: Location, now: datetime, about: set[str], session: Session
    ) -> tuple[list[GunshotNear], list[PremiseNear], list[PlateHit]]:
        """Gunshots near the place that the packet is not about, the premises there, and the
        hotlist hits near it in the plate window."""
        s = self._settings
        lat, lon = location.lat, location.lon
        premises = sections.premises_near(session, lat, lon, s.premises_radius_m)
        since = now - timedelta(minutes=s.plate_window_min)
        hits = hits_near(session, lat, lon, s.plate_radius_m, since, now)
        return self._gunshots(location, now, about, session), premises, hits

    def _reads_near(self, location: Location, now: datetime, session: Session) -> ReadsNear:
        """Reads per reader near the place in the plate window."""
        s = self._settings
        since = now - timedelta(minutes=s.plate_window_min)
        return reads_near(session, location.lat, location.lon, s.plate_radius_m, since, now)

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

    async def _memory_sections(self, location: Location) -> _Memory:
        s, lat, lon = self._settings, location.lat, location.lon
        return _Memory(
            await self._sight.can_see(lat, lon, near_m=s.camera_near_m, limit=s.camera_limit),
            await self._roster.nearest(lat, lon, limit=s.unit_limit),
            await self._community.near(lat, lon, s.community_radius_m, COMMUNITY_LIMIT),
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


@dataclass(frozen=True)
class _Memory:
    cameras: list[SightingOut]
    units: list[NearbyUnit]
    community: list[CommunityCamera]


_NO_MEMORY = _Memory([], [], [])

_Tell = Callable[[Location], None]
"""Tells the event loop the packet's place, from the read plan's thread."""

_FactsPlan = Callable[[_Tell, Reads], "_StoreFacts"]


class _Place:
    """The packet's place, told by the read plan's thread to the event loop."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        self.known: asyncio.Future[Location | None] = loop.create_future()

    def tell(self, location: Location) -> None:
        """From any thread: the place is known."""
        self._loop.call_soon_threadsafe(self.settle, location)

    def settle(self, location: Location | None) -> None:
        """On the loop: the place (None when the plan ended without telling one)."""
        if not self.known.done():
            self.known.set_result(location)


def _finish(packet: ContextPacket, started: float) -> ContextPacket:
    packet.took_ms = round((time.perf_counter() - started) * 1000, 3)
    return packet
