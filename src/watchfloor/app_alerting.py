"""Composition of alerts and correlation: the alert desk and its sources, the correlation engine,
context packets, playbooks and geofences, built together for app.py."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from watchfloor.audit.service import AuditLog
from watchfloor.auth.duty import supervisors_on_duty
from watchfloor.connectors.gunshot.mapping import decode_gunshots
from watchfloor.connectors.mqtt.subscriber import MqttSubscriber
from watchfloor.connectors.panic.mapping import decode_panic
from watchfloor.connectors.smtp.mailer import Mailer
from watchfloor.core.bus import EventBus
from watchfloor.core.clock import Clock
from watchfloor.core.context import Actor, RequestContext
from watchfloor.core.health import HealthRegistry
from watchfloor.correlation.callouts import CalloutDesk
from watchfloor.correlation.cues import CueStore
from watchfloor.correlation.engine import CorrelationEngine
from watchfloor.correlation.executor import Effects
from watchfloor.correlation.notify import notifier_for
from watchfloor.db.engine import Database
from watchfloor.domain.alerts import live as alerts_live
from watchfloor.domain.alerts.analytics import AnalyticsBridge
from watchfloor.domain.alerts.feeds import AlertFeeds
from watchfloor.domain.alerts.intake import GUNSHOT_SOURCE, PANIC_SOURCE, AlertIntake
from watchfloor.domain.alerts.service import AlertDesk
from watchfloor.domain.cameras.control import CameraControl
from watchfloor.domain.cameras.service import CameraRegistry
from watchfloor.domain.cameras.sight import CameraSight
from watchfloor.domain.cameras.viewing import CameraViewing
from watchfloor.domain.context.assembler import ContextAssembler
from watchfloor.domain.context.keeper import PATTERN as CONTEXT_PATTERN
from watchfloor.domain.context.keeper import ContextKeeper, context_message
from watchfloor.domain.context.service import ContextDesk
from watchfloor.domain.context.sources import CommunityCameras
from watchfloor.domain.geofences.firings import FiringOutbox
from watchfloor.domain.geofences.monitoring import PositionIntake
from watchfloor.domain.geofences.service import GeofenceBook
from watchfloor.domain.geofences.watch import HotlistWatch
from watchfloor.domain.incidents.local import open_local
from watchfloor.domain.incidents.service import IncidentService
from watchfloor.domain.lpr.nearby import plate_activity
from watchfloor.domain.playbooks import live as playbooks_live
from watchfloor.domain.playbooks.after_action import AfterAction
from watchfloor.domain.playbooks.library import PlaybookLibrary
from watchfloor.domain.playbooks.runs import PlaybookRuns
from watchfloor.domain.premises.files import FloorPlanFiles
from watchfloor.domain.premises.service import PremiseRegistry
from watchfloor.domain.quarantine.service import QuarantineService
from watchfloor.domain.units.intake import UnitPositionIntake
from watchfloor.domain.units.service import UnitRoster
from watchfloor.live.hub import LiveHub
from watchfloor.settings import Settings

SYSTEM = RequestContext(actor=Actor.system("watchfloor"))


@dataclass(frozen=True)
class AlertParts:
    """The components of alerts and correlation (issue 6), built together."""

    alerts: AlertDesk
    alert_intake: AlertIntake
    alert_feeds: AlertFeeds
    analytics_bridge: AnalyticsBridge
    alert_mqtt: MqttSubscriber | None
    correlation: CorrelationEngine
    cue_store: CueStore
    callouts: CalloutDesk
    units: UnitRoster
    unit_positions: UnitPositionIntake
    premises: PremiseRegistry
    context: ContextDesk
    context_keeper: ContextKeeper
    playbooks: PlaybookLibrary
    playbook_runs: PlaybookRuns
    after_action: AfterAction
    geofences: GeofenceBook
    geofence_firings: FiringOutbox
    geofence_watch: HotlistWatch
    monitoring: PositionIntake


def build_alerting(
    settings: Settings,
    clock: Clock,
    db: Database,
    bus: EventBus,
    audit: AuditLog,
    health: HealthRegistry,
    quarantine: QuarantineService,
    incidents: IncidentService,
    live: LiveHub,
    cameras: CameraRegistry,
    camera_sight: CameraSight,
    camera_control: CameraControl,
    viewing: CameraViewing,
    community: CommunityCameras,
) -> AlertParts:
    """Alert sources, the desk, correlation, context packets, playbooks and geofences."""
    # [alerts build]
    # --- alerts: the desk every alert source feeds
    alerts = AlertDesk(db, clock, bus, audit, settings.alerts)
    live.add_translator(alerts_live.PATTERN, alerts_live.alert_message)
    alert_intake = AlertIntake(
        alerts,
        quarantine,
        health,
        {GUNSHOT_SOURCE: decode_gunshots, PANIC_SOURCE: decode_panic},
        settings.alerts,
        settings.feed_stale_after_s,
    )
    # [sensor_feeds build]
    # --- sensor feeds: CAP, IoT sensors, Frigate over HTTP/MQTT; ONVIF analytics from the bus
    alert_feeds = AlertFeeds(
        alerts,
        quarantine,
        health,
        cameras,
        clock,
        settings.sensor_feeds,
        settings.feed_stale_after_s,
    )
    analytics_bridge = AnalyticsBridge(bus, alerts, clock, settings.sensor_feeds)
    alert_mqtt = alert_feeds.subscriber()
    # [correlation build]
    # --- correlation: alerts become incidents, covering cameras are cued, escalation, callouts
    cue_store = CueStore(db, clock, audit)
    callouts = CalloutDesk(
        db, clock, audit, notifier_for(mailer_for(settings)), settings.correlation
    )
    correlation_effects = Effects(
        desk=alerts,
        open_local=partial(open_local, incidents),
        db=db,
        clock=clock,
        audit=audit,
        callouts=callouts,
        duty=partial(supervisors_on_duty, db, clock, settings.security),
        cues=cue_store.setups,
        sight=camera_sight,
        steering=camera_control,
        reads_near=plate_activity,
    )
    correlation = CorrelationEngine(
        settings.correlation, clock, bus, correlation_effects, incidents.queue
    )
    cue_store.on_put(correlation.executor.camera_set_up)
    # [context build]
    # --- the context packet: units, premises, and packets kept current for the consoles
    units = UnitRoster(db, clock, bus, audit, settings.context)
    unit_positions = UnitPositionIntake(units, quarantine, SYSTEM)
    premises = PremiseRegistry(
        db,
        clock,
        audit,
        FloorPlanFiles(settings.data_dir / "floor-plans", settings.context.floor_plan_max_bytes),
    )
    context_assembler = ContextAssembler(
        db, clock, camera_sight, units, community, settings.context
    )
    context_keeper = ContextKeeper(
        context_assembler,
        bus,
        clock,
        settings.context.keeper_burst,
        settle=correlation.packet_wanted,
    )
    live.add_translator(CONTEXT_PATTERN, context_message)
    # [playbooks build]
    # --- playbooks: checklists per incident type, their runs, the after-action timeline
    playbooks = PlaybookLibrary(db, clock, audit, settings.playbooks)
    playbook_runs = PlaybookRuns(db, clock, bus, audit, playbooks, settings.playbooks)
    after_action = AfterAction(db, clock, audit, viewing, alerts)
    live.add_translator(playbooks_live.PATTERN, playbooks_live.playbook_message)
    # [geofences build]
    # --- geofences: zones with rules (hotlisted reads inside them, monitored persons)
    geofences = GeofenceBook(db, clock, audit, settings.geofences)
    geofence_firings = FiringOutbox(db, clock, bus, alerts)
    geofence_watch = HotlistWatch(db, bus, geofences, geofence_firings)
    monitoring = PositionIntake(
        db, clock, geofences, geofence_firings, quarantine, health, settings.feed_stale_after_s
    )

    return AlertParts(
        alerts=alerts,
        alert_intake=alert_intake,
        alert_feeds=alert_feeds,
        analytics_bridge=analytics_bridge,
        alert_mqtt=alert_mqtt,
        correlation=correlation,
        cue_store=cue_store,
        callouts=callouts,
        units=units,
        unit_positions=unit_positions,
        premises=premises,
        context=ContextDesk(context_assembler, audit),
        context_keeper=context_keeper,
        playbooks=playbooks,
        playbook_runs=playbook_runs,
        after_action=after_action,
        geofences=geofences,
        geofence_firings=geofence_firings,
        geofence_watch=geofence_watch,
        monitoring=monitoring,
    )


def mailer_for(settings: Settings) -> Mailer | None:
    """The SMTP mailer for tickets and callouts, when one is configured."""
    video = settings.video
    if not video.smtp_url:
        return None
    password = video.smtp_password.get_secret_value() if video.smtp_password else None
    return Mailer(video.smtp_url, video.smtp_user, password, video.mail_from)
