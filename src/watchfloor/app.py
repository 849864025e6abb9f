"""Composition root: builds Watchfloor's components in order and wires them. Reads like a table of
contents; nothing else in the code base constructs services or reads settings."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from fastapi import FastAPI

from watchfloor import __version__
from watchfloor.app_alerting import build_alerting, mailer_for
from watchfloor.app_community import CommunityParts, build_community, community_routers
from watchfloor.app_fieldlink import FieldParts, build_fieldlink, field_routers
from watchfloor.audit.routes import router as audit_router
from watchfloor.audit.service import AuditLog
from watchfloor.auth.admin_routes import router as users_router
from watchfloor.auth.routes import router as auth_router
from watchfloor.auth.service import AuthService
from watchfloor.connectors.eido import export as eido_export
from watchfloor.connectors.eido import mapping as eido_mapping
from watchfloor.connectors.eido.client import CadLinkClient
from watchfloor.connectors.lpr.json_reads import decode_reads
from watchfloor.connectors.lpr.mqtt import MqttReadFeed, reader_from_topic
from watchfloor.connectors.mqtt.subscriber import MqttSubscriber
from watchfloor.connectors.onvif.plates import parse_plate_notifications
from watchfloor.core.bus import EventBus, InProcessBus
from watchfloor.core.clock import Clock, SystemClock
from watchfloor.core.context import Actor, RequestContext
from watchfloor.core.health import HealthRegistry
from watchfloor.core.heap import HeapKeeper
from watchfloor.core.schedule import Periodic
from watchfloor.correlation.callouts import CalloutDesk
from watchfloor.correlation.cues import CueStore
from watchfloor.correlation.engine import CorrelationEngine
from watchfloor.correlation.routes import router as correlation_router
from watchfloor.db.engine import Database
from watchfloor.db.migrate import upgrade
from watchfloor.domain.alerts.analytics import AnalyticsBridge
from watchfloor.domain.alerts.feed_routes import router as alert_feed_router
from watchfloor.domain.alerts.feeds import AlertFeeds
from watchfloor.domain.alerts.intake import AlertIntake
from watchfloor.domain.alerts.routes import router as alerts_router
from watchfloor.domain.alerts.service import AlertDesk
from watchfloor.domain.cameras.biometrics import BiometricSwitch, VideoAnalytics
from watchfloor.domain.cameras.control import CameraControl
from watchfloor.domain.cameras.event_feeds import CameraEventFeeds
from watchfloor.domain.cameras.health_monitor import HealthMonitor
from watchfloor.domain.cameras.health_routes import router as camera_health_router
from watchfloor.domain.cameras.live_routes import router as live_video_router
from watchfloor.domain.cameras.ptz_routes import router as ptz_router
from watchfloor.domain.cameras.routes import router as cameras_router
from watchfloor.domain.cameras.service import CameraRegistry
from watchfloor.domain.cameras.sight import CameraSight
from watchfloor.domain.cameras.tickets import TicketDesk
from watchfloor.domain.cameras.video_desk import VideoDesk
from watchfloor.domain.cameras.viewing import CameraViewing
from watchfloor.domain.cameras.viewing_routes import router as viewing_router
from watchfloor.domain.context.keeper import ContextKeeper
from watchfloor.domain.context.routes import router as context_router
from watchfloor.domain.context.service import ContextDesk
from watchfloor.domain.evidence.routes import router as evidence_router
from watchfloor.domain.evidence.store import EvidenceStore
from watchfloor.domain.geofences.firings import FiringOutbox
from watchfloor.domain.geofences.monitoring import PositionIntake
from watchfloor.domain.geofences.routes import router as geofences_router
from watchfloor.domain.geofences.service import GeofenceBook
from watchfloor.domain.geofences.watch import HotlistWatch
from watchfloor.domain.hotlists.matcher import HotlistMatcher
from watchfloor.domain.hotlists.routes import router as hotlists_router
from watchfloor.domain.hotlists.service import HotlistService
from watchfloor.domain.incidents.intake import IncidentIntake
from watchfloor.domain.incidents.routes import router as incidents_router
from watchfloor.domain.incidents.service import IncidentService
from watchfloor.domain.lpr.alerts import PlateAlerts
from watchfloor.domain.lpr.checks import ReadChecker
from watchfloor.domain.lpr.images import ImageStore
from watchfloor.domain.lpr.intake import ReadIntake
from watchfloor.domain.lpr.readers import ReaderRegistry
from watchfloor.domain.lpr.retention import RetentionService
from watchfloor.domain.lpr.review import AlertReview
from watchfloor.domain.lpr.routes import router as lpr_router
from watchfloor.domain.lpr.search import ReadSearch
from watchfloor.domain.lpr.search_routes import router as lpr_search_router
from watchfloor.domain.lpr.store import PlateIndexer, ReadStore
from watchfloor.domain.lpr.writes import ReadWriter
from watchfloor.domain.playbooks.after_action import AfterAction
from watchfloor.domain.playbooks.library import PlaybookLibrary
from watchfloor.domain.playbooks.routes import router as playbooks_router
from watchfloor.domain.playbooks.runs import PlaybookRuns
from watchfloor.domain.premises.routes import router as premises_router
from watchfloor.domain.premises.service import PremiseRegistry
from watchfloor.domain.quarantine.routes import router as quarantine_router
from watchfloor.domain.quarantine.service import QuarantineService
from watchfloor.domain.units.intake import UnitPositionIntake
from watchfloor.domain.units.routes import router as units_router
from watchfloor.domain.units.service import UnitRoster
from watchfloor.domain.video.relay import RelayPool
from watchfloor.live.hub import LiveHub
from watchfloor.live.routes import router as live_router
from watchfloor.settings import Settings
from watchfloor.web.community_pages import install_community_pages
from watchfloor.web.console import Basemap, install_console
from watchfloor.web.errors import install_error_handlers
from watchfloor.web.health import install_health, register_core_probes
from watchfloor.web.middleware import BodyLimitMiddleware, RequestContextMiddleware

log = logging.getLogger(__name__)
SYSTEM = RequestContext(actor=Actor.system("watchfloor"))


@dataclass
class Watchfloor:
    """Every long-lived component of one running Watchfloor."""

    settings: Settings
    clock: Clock
    bus: EventBus
    db: Database
    health: HealthRegistry
    audit: AuditLog
    auth: AuthService
    quarantine: QuarantineService
    incidents: IncidentService
    intake: IncidentIntake
    live: LiveHub
    basemap: Basemap
    images: ImageStore
    hotlists: HotlistService
    read_search: ReadSearch
    retention: RetentionService
    lpr_readers: ReaderRegistry
    lpr_intake: ReadIntake
    lpr_review: AlertReview
    lpr_plates: PlateIndexer
    cameras: CameraRegistry
    camera_sight: CameraSight
    viewing: CameraViewing
    biometrics: BiometricSwitch
    analytics: VideoAnalytics
    evidence: EvidenceStore
    camera_control: CameraControl
    camera_events: CameraEventFeeds
    camera_health: HealthMonitor
    relays: RelayPool
    video_desk: VideoDesk
    # [alerts fields]
    alerts: AlertDesk
    alert_intake: AlertIntake
    # [sensor_feeds fields]
    alert_feeds: AlertFeeds
    analytics_bridge: AnalyticsBridge
    alert_mqtt: MqttSubscriber | None
    # [correlation fields]
    correlation: CorrelationEngine
    cue_store: CueStore
    callouts: CalloutDesk
    # [context fields]
    units: UnitRoster
    unit_positions: UnitPositionIntake
    premises: PremiseRegistry
    context: ContextDesk
    context_keeper: ContextKeeper
    # [playbooks fields]
    playbooks: PlaybookLibrary
    playbook_runs: PlaybookRuns
    after_action: AfterAction
    # [geofences fields]
    geofences: GeofenceBook
    geofence_firings: FiringOutbox
    geofence_watch: HotlistWatch
    monitoring: PositionIntake
    fieldlink: FieldParts
    community: CommunityParts
    heap: HeapKeeper
    cad_link: CadLinkClient | None = None
    lpr_mqtt: MqttReadFeed | None = None
    _tasks: list[asyncio.Task[None]] = field(default_factory=list)

    def periodic_jobs(self) -> list[Periodic]:
        """The scheduled jobs: hotlist refreshes and the retention purge."""
        lpr = self.settings.lpr
        return [
            Periodic("hotlist-refresh", lpr.hotlist_check_every_s, self.hotlists.refresh_due),
            Periodic("lpr-retention-purge", lpr.purge_every_s, self.retention.purge, 60.0),
            Periodic("camera-event-feeds", 60, self.camera_events.sync),
            *self.camera_health.periodic_jobs(),
            # [alerts jobs]
            # [sensor_feeds jobs]
            # [correlation jobs]
            Periodic(
                "correlation-escalation",
                self.settings.correlation.escalate_check_every_s,
                self.correlation.tick,
            ),
            Periodic(
                "correlation-callout-retry",
                self.settings.correlation.callout_retry_s,
                self.callouts.retry_due,
            ),
            # [context jobs]
            # [playbooks jobs]
            Periodic(
                "playbook-lapses",
                self.settings.playbooks.lapse_check_every_s,
                self.playbook_runs.lapse_due,
                5.0,
            ),
            # [geofences jobs]
            Periodic(
                "geofence-firings",
                self.settings.geofences.redeliver_every_s,
                self.geofence_firings.deliver_pending,
                5.0,
            ),
            *self.fieldlink.periodic_jobs(),
            *self.community.periodic_jobs(),
            *self.heap.periodic_jobs(),
        ]

    async def start(self) -> None:
        """Start background work (the consoles' live channel, feeds that connect out, jobs)."""
        await self.hotlists.load()
        await self.lpr_readers.load()
        await self.lpr_plates.reconcile()
        await self.biometrics.load()
        await self.viewing.end_orphans()
        self._tasks.append(asyncio.create_task(self.live.run(), name="live-hub"))
        self._tasks.append(asyncio.create_task(self.lpr_plates.run(), name="lpr-plates"))
        health = self.camera_health.follow_events()
        self._tasks.append(asyncio.create_task(health, name="camera-health-events"))
        # [alerts start]
        # [sensor_feeds start]
        await self.alert_feeds.warm()
        await self.analytics_bridge.warm()
        bridge = self.analytics_bridge.follow()
        self._tasks.append(asyncio.create_task(bridge, name="analytics-bridge"))
        if self.alert_mqtt is not None:
            self._tasks.append(asyncio.create_task(self.alert_mqtt.run(), name="alerts-mqtt"))
        # [correlation start]
        await self.cue_store.load()
        self.correlation.use(units=self.units)
        await self.correlation.start()
        # [context start]
        await self.units.load()
        self._tasks.append(asyncio.create_task(self.units.follow(), name="units-follow"))
        self._tasks.append(asyncio.create_task(self.context_keeper.run(), name="context-keeper"))
        # [playbooks start]
        await self.playbooks.load()
        playbook_events = self.playbook_runs.subscribe()  # before the catch-up: nothing missed
        runs = self.playbook_runs.follow(playbook_events)
        self._tasks.append(asyncio.create_task(runs, name="playbook-runs"))
        await self.playbook_runs.catch_up()
        # [geofences start]
        await self.geofences.load()
        self._tasks.append(self.geofence_watch.start())
        await self.fieldlink.start(self._tasks)
        await self.community.start(self._tasks)
        for job in self.periodic_jobs():
            self._tasks.append(asyncio.create_task(job.run_forever(), name=job.name))
        if self.cad_link is not None:
            self._tasks.append(asyncio.create_task(self.cad_link.run(), name="cad-link"))
        if self.lpr_mqtt is not None:
            self._tasks.append(asyncio.create_task(self.lpr_mqtt.run(), name="lpr-mqtt"))
        self._tasks.append(asyncio.create_task(self.heap.settle(self._warm_up()), name="heap"))

    async def _warm_up(self) -> None:
        """What start set going and is still settling: the cameras' first event subscriptions
        and the slew-to-cue cameras' PTZ sessions."""
        await self.camera_events.sync()
        await self.camera_events.tried()
        await self.correlation.executor.cameras_ready()

    async def stop(self) -> None:
        """Stop background work and release the store."""
        if self.cad_link is not None:
            await self.cad_link.stop()
        if self.lpr_mqtt is not None:
            await self.lpr_mqtt.stop()
        await self.community.stop()
        await self.fieldlink.stop()
        await self.hotlists.close()
        # [alerts stop]
        # [sensor_feeds stop]
        if self.alert_mqtt is not None:
            await self.alert_mqtt.stop()
        # [correlation stop]
        await self.correlation.stop()
        # [context stop]
        # [playbooks stop]
        # [geofences stop]
        await self.geofence_watch.stop()
        await self.video_desk.close(SYSTEM)
        await self.relays.close()
        await self.viewing.close_all(SYSTEM)
        await self.camera_control.close()
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self._tasks.clear()
        await self.camera_events.close()  # after the sync job is cancelled, so none restarts
        await self.camera_health.close()
        await self.bus.close()
        await self.db.dispose()


def build(settings: Settings, *, clock: Clock | None = None, migrate: bool = True) -> Watchfloor:
    """Construct every component from the settings, in dependency order."""
    clock = clock or SystemClock()
    url = settings.sqlalchemy_url()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    if migrate:
        upgrade(url)
    db = Database(
        url,
        sqlite_synchronous=settings.sqlite_synchronous,
        sqlite_cache_mib=settings.sqlite_cache_mib,
    )
    bus = InProcessBus()
    health = HealthRegistry(clock)
    register_core_probes(health, db, bus)

    # --- audit (the accountability core)
    audit = AuditLog(db, clock)
    # --- access control
    auth = AuthService(db, clock, audit, settings.security)
    # --- quarantine of rejected inbound payloads
    quarantine = QuarantineService(db, clock, audit)
    # --- CAD incidents over NENA EIDO
    incidents = IncidentService(db, clock, bus, audit, eido_export.with_notes)
    intake = IncidentIntake(
        incidents,
        quarantine,
        health,
        clock,
        eido_mapping.translate,
        eido_mapping.split_batch,
        settings.eido,
        settings.feed_stale_after_s,
    )
    cad_link = None
    if settings.cad_link.url:
        cad_link = CadLinkClient(settings.cad_link, intake.accept_document, health, clock)

    # --- the console: live channel and basemap
    live = LiveHub(bus, incidents.queue_row, clock)
    basemap = Basemap(settings.basemap_path or _bundled("demo/city/basemap.json"))

    # --- plate readers: images, hotlists, search, retention
    if settings.lpr.hotlist_source_dir is None:
        lpr = settings.lpr.model_copy(update={"hotlist_source_dir": settings.data_dir / "hotlists"})
        settings = settings.model_copy(update={"lpr": lpr})
    images = ImageStore(settings.data_dir / "lpr-images", settings.lpr.max_image_bytes)
    hotlists = HotlistService(
        db, clock, audit, bus, settings.lpr, HotlistMatcher(settings.lpr.max_substitutions, clock)
    )
    read_search = ReadSearch(db, clock, audit, settings.lpr)
    retention = RetentionService(db, clock, audit, settings.lpr, images)
    lpr_readers = ReaderRegistry(db, clock, audit)
    lpr_plates = PlateIndexer(db)
    plate_alerts = PlateAlerts(hotlists, clock, settings.lpr, postgresql=db.is_postgresql)
    lpr_intake = ReadIntake(
        ReadWriter(db, ReadStore(db), plate_alerts),
        lpr_plates,
        ReadChecker(lpr_readers, images, settings.lpr),
        hotlists.matcher,
        plate_alerts,
        images,
        quarantine,
        health,
        bus,
        clock,
        decode_reads,
        parse_plate_notifications,
        settings.lpr,
        settings.feed_stale_after_s,
    )
    lpr_review = AlertReview(db, clock, audit, bus, images)

    # --- cameras: the asset registry and what each can see
    cameras = CameraRegistry(db, clock, audit)
    camera_sight = CameraSight(db, clock, cameras)
    viewing = CameraViewing(db, clock, audit)
    biometrics = BiometricSwitch(db, clock, audit, settings.video.biometrics_forbidden_by_policy)
    analytics = VideoAnalytics(biometrics)
    camera_control = CameraControl(cameras, settings.video)
    camera_events = CameraEventFeeds(cameras, bus, clock, settings.video)
    # --- camera health: scheduled probes, status on the map, maintenance tickets by e-mail
    camera_health = HealthMonitor(
        db, clock, bus, audit, TicketDesk(db, clock, mailer_for(settings)), settings.video
    )
    # --- video evidence: clips and snapshots with hashes, custody and packages
    evidence = EvidenceStore(
        db, clock, audit, settings.video.evidence_dir or settings.data_dir / "evidence"
    )
    # --- live video: relays to the consoles, recordings and snapshots as evidence
    relays = RelayPool(settings.video, clock)
    video_desk = VideoDesk(
        viewing, relays, evidence, analytics, settings.video, settings.data_dir / "recordings"
    )

    # --- Community Connect: registered community cameras, footage requests, owners' uploads
    community = build_community(settings, clock, db, bus, audit, incidents, evidence, live)

    alerting = build_alerting(
        settings,
        clock,
        db,
        bus,
        audit,
        health,
        quarantine,
        incidents,
        live,
        cameras,
        camera_sight,
        camera_control,
        viewing,
        community.context_source(),
    )

    fieldlink = build_fieldlink(
        settings,
        clock,
        db,
        bus,
        audit,
        health,
        quarantine,
        incidents,
        live,
        alerting.units,
        alerting.alerts,
    )

    return Watchfloor(
        settings=settings,
        clock=clock,
        bus=bus,
        db=db,
        health=health,
        audit=audit,
        auth=auth,
        quarantine=quarantine,
        incidents=incidents,
        intake=intake,
        live=live,
        basemap=basemap,
        images=images,
        hotlists=hotlists,
        read_search=read_search,
        retention=retention,
        lpr_readers=lpr_readers,
        lpr_intake=lpr_intake,
        lpr_review=lpr_review,
        lpr_plates=lpr_plates,
        cameras=cameras,
        camera_sight=camera_sight,
        viewing=viewing,
        biometrics=biometrics,
        analytics=analytics,
        evidence=evidence,
        camera_control=camera_control,
        camera_events=camera_events,
        camera_health=camera_health,
        heap=HeapKeeper(settings.heap_freeze),
        relays=relays,
        video_desk=video_desk,
        # [alerts wiring]
        alerts=alerting.alerts,
        alert_intake=alerting.alert_intake,
        # [sensor_feeds wiring]
        alert_feeds=alerting.alert_feeds,
        analytics_bridge=alerting.analytics_bridge,
        alert_mqtt=alerting.alert_mqtt,
        # [correlation wiring]
        correlation=alerting.correlation,
        cue_store=alerting.cue_store,
        callouts=alerting.callouts,
        # [context wiring]
        units=alerting.units,
        unit_positions=alerting.unit_positions,
        premises=alerting.premises,
        context=alerting.context,
        context_keeper=alerting.context_keeper,
        # [playbooks wiring]
        playbooks=alerting.playbooks,
        playbook_runs=alerting.playbook_runs,
        after_action=alerting.after_action,
        # [geofences wiring]
        geofences=alerting.geofences,
        geofence_firings=alerting.geofence_firings,
        geofence_watch=alerting.geofence_watch,
        monitoring=alerting.monitoring,
        fieldlink=fieldlink,
        community=community,
        cad_link=cad_link,
        lpr_mqtt=_lpr_mqtt(settings, lpr_intake, health),
    )


def _lpr_mqtt(
    settings: Settings, intake: ReadIntake, health: HealthRegistry
) -> MqttReadFeed | None:
    """The MQTT plate-read feed, when one is configured."""
    if not settings.lpr.mqtt_url:
        return None

    async def deliver(topic: str, payload: bytes) -> None:
        await intake.accept_mqtt(topic, payload, reader_from_topic(topic))

    return MqttReadFeed(settings.lpr.mqtt_url, settings.lpr.mqtt_topic, deliver, health)


def _bundled(relative: str) -> Path:
    return Path(str(resources.files("watchfloor").joinpath(relative)))


def create_app(wf: Watchfloor) -> FastAPI:
    """The HTTP application over a built Watchfloor."""

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        await wf.start()
        try:
            yield
        finally:
            await wf.stop()

    app = FastAPI(
        title="Watchfloor", version=__version__, lifespan=lifespan, docs_url=None, redoc_url=None
    )
    app.state.watchfloor = wf
    app.state.gate = wf.auth
    install_error_handlers(app)
    install_health(app, wf.health)
    for router in (
        auth_router,
        users_router,
        audit_router,
        incidents_router,
        quarantine_router,
        live_router,
        hotlists_router,
        lpr_search_router,
        lpr_router,
        cameras_router,
        viewing_router,
        evidence_router,
        ptz_router,
        live_video_router,
        camera_health_router,
        # [alerts routers]
        alerts_router,
        # [sensor_feeds routers]
        alert_feed_router,
        # [correlation routers]
        correlation_router,
        # [context routers]
        units_router,
        premises_router,
        context_router,
        # [playbooks routers]
        playbooks_router,
        # [geofences routers]
        geofences_router,
        *field_routers(),
        *community_routers(),
    ):
        app.include_router(router)
    install_console(app, wf.settings.console_dir or _bundled("web/console_dist"))
    install_community_pages(app, wf.settings.console_dir or _bundled("web/console_dist"))
    app.add_middleware(BodyLimitMiddleware, max_bytes=wf.settings.max_body_bytes)
    app.add_middleware(RequestContextMiddleware)
    return app
