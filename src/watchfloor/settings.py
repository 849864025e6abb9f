"""One validated settings object, from the environment (WATCHFLOOR_*) and an optional TOML file.

Nothing reads settings at import time: `load_settings()` builds the object and the composition
root passes it on.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, SecretStr, model_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from watchfloor.settings_community import CommunitySettings
from watchfloor.settings_field import AvlSettings, FieldLinkSettings, TakSettings, UnitSettings

DEFAULT_BANNER = (
    "You are accessing a restricted criminal justice information system. "
    "Use of this system is monitored, recorded and subject to audit. "
    "Unauthorized use is prohibited and subject to criminal and civil penalties. "
    "Use of this system indicates consent to monitoring and recording."
)


def default_data_dir() -> Path:
    """$XDG_DATA_HOME/watchfloor, or ~/.local/share/watchfloor."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "watchfloor"


class SecuritySettings(BaseModel):
    """Access-control limits (CJIS Security Policy AC-7, AC-11, IA-5)."""

    lockout_threshold: int = Field(5, ge=1, le=20)
    lockout_window_minutes: int = Field(15, ge=1)
    session_idle_minutes: int = Field(30, ge=1, le=30)
    session_max_hours: int = Field(12, ge=1, le=12)
    cookie_secure: bool = True
    password_min_length: int = Field(8, ge=8)
    password_max_length: int = Field(256, ge=64, le=1024)
    banner_text: str = DEFAULT_BANNER
    totp_issuer: str = "Watchfloor"


class CadLinkSettings(BaseModel):
    """The CAD's EIDO WebSocket feed (NENA-STA-024 style subscribe/notify)."""

    url: str | None = None
    expires_s: int = Field(3600, ge=30)
    min_rate_s: int | None = Field(None, ge=1)
    renew_margin_s: int = Field(60, ge=1)
    backoff_initial_s: float = Field(1.0, gt=0)
    backoff_max_s: float = Field(60.0, gt=0)
    client_cert: Path | None = None
    client_key: Path | None = None
    ca_file: Path | None = None


class EidoSettings(BaseModel):
    """What EIDO input Watchfloor accepts."""

    agency_incident_codes: dict[str, str] = Field(
        default_factory=dict, description="agency incident-type code -> common registry text"
    )
    max_future_skew_s: int = Field(300, ge=0)
    oldest_accepted_year: int = Field(1990, ge=1970)
    max_batch: int = Field(500, ge=1)


class LprSettings(BaseModel):
    """Plate readers: what reads are accepted, how hits are matched, who may search, how long
    reads are kept."""

    max_batch: int = Field(5000, ge=1, le=50_000, description="reads in one HTTP batch")
    max_future_skew_s: int = Field(300, ge=0, description="a read this far ahead is impossible")
    max_backlog_days: int = Field(30, ge=1, description="a read older than this is refused")
    fixed_reader_radius_m: float = Field(
        2000.0, gt=0, description="a fixed reader's read farther than this from it is impossible"
    )
    service_area: tuple[float, float, float, float] | None = Field(
        None, description="min_lon, min_lat, max_lon, max_lat: reads outside are impossible"
    )
    max_image_bytes: int = Field(2 * 1024 * 1024, ge=1024)
    max_substitutions: int = Field(2, ge=0, le=4, description="OCR misreads tolerated per hit")
    alert_repeat_window_s: int = Field(
        300, ge=0, description="a repeat hit on the same entry inside this joins the open alert"
    )
    high_severity_reasons: list[str] = Field(
        default_factory=lambda: ["wanted_person", "missing_person", "amber", "violent_person"]
    )
    search_purposes: list[str] = Field(
        default_factory=lambda: [
            "criminal_investigation",
            "missing_person",
            "amber_alert",
            "stolen_vehicle",
            "wanted_person",
            "officer_safety",
            "protection_order",
        ]
    )
    prohibited_purposes: list[str] = Field(
        default_factory=lambda: [
            "immigration_enforcement",
            "reproductive_health",
            "protest_or_assembly",
            "personal_use",
        ]
    )
    retention_preset: str = Field(
        "MN", description="a state code from the presets (retention_policy.PRESETS), or 'custom'"
    )
    nonhit_days: int | None = Field(None, ge=0, description="overrides the preset")
    hit_days: int | None = Field(None, ge=0, description="overrides the preset")
    purge_every_s: int = Field(3600, ge=60)
    hotlist_check_every_s: int = Field(60, ge=5, description="how often to look for due refreshes")
    hotlist_source_dir: Path | None = Field(
        None, description="where extracts land (default: <data dir>/hotlists); sources must be here"
    )
    hotlist_upload_max_bytes: int = Field(128 * 1024 * 1024, ge=1024)
    mqtt_url: str | None = Field(None, description="mqtt://host:port of the readers' broker")
    mqtt_topic: str = "watchfloor/lpr/+/reads"


class VideoSettings(BaseModel):
    """Live video relays, camera health probes, maintenance mail and video evidence."""

    open_timeout_s: float = Field(5.0, gt=0, le=60, description="to connect and read a stream")
    relay_linger_s: float = Field(
        15.0, ge=0, description="keep a relay this long after its last viewer"
    )
    relay_buffer_s: float = Field(60.0, ge=0, le=600, description="kept for 'record the last N s'")
    relay_max: int = Field(64, ge=1, description="relays running at once")
    relay_viewer_queue: int = Field(
        120, ge=8, description="fragments queued per viewer before it is dropped"
    )
    reconnect_initial_s: float = Field(1.0, gt=0)
    reconnect_max_s: float = Field(30.0, gt=0)
    events_recheck_s: float = Field(
        600.0, gt=0, description="before asking again a camera that has no event service"
    )
    max_recording_s: int = Field(3600, ge=10, description="an on-demand recording stops here")
    probe_every_s: int = Field(600, ge=30, description="how often every camera is probed")
    probe_sample_s: float = Field(3.0, gt=0, le=30, description="video decoded per probe")
    probe_concurrency: int = Field(2, ge=1, le=32)
    frozen_max_change: float = Field(
        0.5, ge=0, description="mean pixel change below this is frozen"
    )
    black_max_luma: float = Field(16.0, ge=0, le=255, description="mean luma below this is dark")
    moved_threshold: float = Field(0.35, gt=0, le=1, description="view difference that means moved")
    smtp_url: str | None = Field(None, description="smtp://host:port for maintenance tickets")
    smtp_user: str | None = None
    smtp_password: SecretStr | None = None
    mail_from: str = "watchfloor@localhost"
    biometrics_forbidden_by_policy: bool = Field(
        True, description="agency policy forbids biometric analytics: the switch cannot be lifted"
    )
    evidence_dir: Path | None = Field(None, description="default: <data dir>/evidence")


class AlertSettings(BaseModel):
    """The alert desk: default priorities per kind and intake limits."""

    default_priority: dict[str, int] = Field(
        default_factory=lambda: {
            "panic": 1,
            "gunshot": 1,
            "geofence": 2,
            "analytics": 3,
            "sensor": 3,
            "cap": 3,
        },
        description="alert kind -> priority (1 most urgent) when the report carries none",
    )
    fallback_priority: int = Field(3, ge=1, le=5, description="for a kind missing above")
    max_reports: int = Field(500, ge=1, le=10_000, description="alert reports in one request")
    max_body_bytes: int = Field(
        1024 * 1024, ge=1024, description="largest gunshot or panic webhook body"
    )
    list_limit_max: int = Field(1000, ge=1, description="most alerts one list call returns")
    near_max_radius_m: float = Field(
        50_000.0, gt=0, description="largest radius a nearby-alerts query may ask for"
    )


CapStatus = Literal["Actual", "Exercise", "System", "Test", "Draft"]


def _cap_statuses_that_alert() -> list[CapStatus]:
    return ["Actual", "Exercise"]


class SensorFeedSettings(BaseModel):
    """CAP, IoT sensor, Frigate and ONVIF analytics feeds into the alert desk."""

    mqtt_url: str | None = Field(
        None, description="mqtt[s]://host:port of the sensors' and Frigate's broker (None: off)"
    )
    mqtt_client_id: str = Field(
        "watchfloor-alerts", min_length=1, max_length=64, description="persistent session id"
    )
    sensor_topics: list[str] = Field(
        default_factory=lambda: ["watchfloor/sensors/#"],
        description="topics carrying sensor JSON or CAP 1.2 XML",
    )
    frigate_topic_prefix: str | None = Field(
        "frigate", description="Frigate's topic_prefix (events, reviews); None: no Frigate"
    )
    frigate_reviews: bool = Field(
        True,
        description="Frigate publishes reviews (0.14+): one alert per review; off: one per object",
    )
    frigate_min_severity: Literal["alert", "detection"] = Field(
        "alert", description="lowest Frigate review severity that becomes an alert"
    )
    camera_names: dict[str, str] = Field(
        default_factory=dict,
        description="Frigate/vendor camera name -> Watchfloor camera code, before external_ref",
    )
    max_message_bytes: int = Field(
        1024 * 1024, ge=1024, le=16 * 1024 * 1024, description="largest CAP or JSON payload"
    )
    cap_statuses: list[CapStatus] = Field(
        default_factory=_cap_statuses_that_alert,
        description="CAP <status> values that raise alerts (others are accepted and counted)",
    )
    warm_start_hours: float = Field(
        24.0, gt=0, le=24 * 30, description="open alerts this recent restore feed activity state"
    )
    max_sensor_batch: int = Field(500, ge=1, le=10_000, description="sensor messages per body")
    analytics_window_s: float = Field(
        60.0, gt=0, le=3600, description="momentary analytics events this close are one activity"
    )
    analytics_sources: list[str] = Field(
        default_factory=lambda: ["line_crossed", "objects_inside", "loitering", "object_detected"],
        description="camera event kinds that become analytics alerts",
    )


class CorrelationSettings(BaseModel):
    """Correlation rules: incidents from alerts, slew-to-cue, escalation and callouts."""

    enabled: bool = Field(True, description="run the correlation engine at all")
    priorities: dict[str, int] = Field(
        default_factory=lambda: {
            "gunshot.multiple": 1,
            "gunshot.automatic": 1,
            "gunshot.single": 2,
            "gunshot.probable": 2,
            "gunshot.other": 2,
            "panic": 1,
            "geofence": 2,
            "analytics": 3,
            "sensor": 3,
            "cap.extreme": 1,
            "cap.severe": 2,
            "cap.moderate": 3,
            "cap.minor": 4,
            "cap.unknown": 4,
        },
        description="priority per alert kind ('gunshot.<type>', 'cap.<severity>' or the kind)",
    )
    cap_urgency_shift: dict[str, int] = Field(
        default_factory=lambda: {"immediate": -1, "expected": 0, "future": 1, "past": 1},
        description="CAP urgency moves the severity's priority by this much (1..5 kept)",
    )
    memory_s: float = Field(
        3600.0, gt=0, description="how long alerts and incidents stay in the engine's memory"
    )
    duplicate_radius_m: float = Field(150.0, gt=0, description="duplicates lie this close")
    duplicate_window_s: float = Field(60.0, gt=0, description="duplicates happen this close")
    duplicate_kinds: list[str] = Field(
        default_factory=lambda: ["gunshot+gunshot", "gunshot+panic", "panic+panic"],
        description="kind pairs from different sources that can be one event",
    )
    link_radius_m: float = Field(300.0, gt=0, description="an alert this near an incident joins it")
    link_window_s: float = Field(
        1800.0, gt=0, description="... when the incident was received or updated this recently"
    )
    gunshot_incident_type: str = Field("Shots Fired", description="type of a gunshot's incident")
    cue_enabled: bool = Field(True, description="send covering PTZ cameras to the alert")
    cue_kinds: list[str] = Field(
        default_factory=lambda: ["gunshot", "panic"], description="alert kinds that cue cameras"
    )
    cue_near_m: float = Field(150.0, gt=0, description="cameras looked for within this distance")
    cue_preset_max_m: float = Field(
        150.0, gt=0, description="a cue preset counts when its point is this near the alert"
    )
    sweep_kinds: list[str] = Field(
        default_factory=lambda: ["gunshot"], description="alert kinds that sweep plate reads"
    )
    sweep_radius_m: float = Field(500.0, gt=0, description="plate reads within this radius")
    sweep_before_s: float = Field(900.0, gt=0, description="... from this long before the alert")
    units_kinds: list[str] = Field(
        default_factory=lambda: ["gunshot", "panic"], description="alert kinds that list units"
    )
    units_limit: int = Field(5, ge=1, le=50, description="nearest units listed")
    escalate_after_s: dict[int, float] = Field(
        default_factory=lambda: {1: 60.0, 2: 180.0, 3: 900.0},
        description="an unacknowledged alert of this priority escalates after this many seconds",
    )
    escalate_check_every_s: float = Field(5.0, gt=0, description="how often escalation is checked")
    timezone: str = Field("UTC", description="the center's time zone for operating hours")
    hours: dict[str, str] = Field(
        default_factory=lambda: {d: "07:00-19:00" for d in ("mon", "tue", "wed", "thu", "fri")},
        description="staffed hours per weekday (mon..sun: 'HH:MM-HH:MM'); absent = not staffed",
    )
    callout_max_priority: int = Field(
        1, ge=1, le=5, description="incidents this urgent or more call out after hours"
    )
    callout_kinds: list[str] = Field(
        default_factory=lambda: ["gunshot", "panic"], description="alert kinds that always call out"
    )
    on_call: list[dict[str, str]] = Field(
        default_factory=list, description="on-call supervisors: [{'name': ..., 'email': ...}]"
    )
    callout_retry_s: float = Field(60.0, gt=0, description="a failed callout is retried after")
    callout_max_attempts: int = Field(5, ge=1, le=50, description="attempts before giving up")
    executor_workers: int = Field(4, ge=1, le=64, description="effects applied at once")
    executor_batch: int = Field(64, ge=1, le=10_000, description="timeline entries per write")
    timeline_linger_s: float = Field(
        0.25, ge=0, le=5, description="a timeline entry waits this long for others to go with"
    )
    settle_limit_s: float = Field(
        1.0, ge=0, le=30, description="longest a packet waits for correlation's queued changes"
    )

    @model_validator(mode="after")
    def _check_correlation(self) -> CorrelationSettings:
        for contact in self.on_call:
            if not contact.get("name") or "@" not in contact.get("email", ""):
                raise ValueError("correlation.on_call entries need a name and an e-mail address")
        for day, span in self.hours.items():
            start, _, end = span.partition("-")
            days = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
            if day not in days or len(start) != 5 or len(end) != 5 or start[2] != ":":
                raise ValueError(f"correlation.hours[{day!r}] must be mon..sun: 'HH:MM-HH:MM'")
        return self


class ContextSettings(BaseModel):
    """The incident context packet: radii and windows of what it gathers."""

    camera_near_m: float = Field(150.0, gt=0, le=5000, description="cameras merely near count")
    camera_limit: int = Field(20, ge=1, le=200, description="cameras in a packet")
    unit_limit: int = Field(5, ge=1, le=50, description="nearest units in a packet")
    unit_stale_after_s: int = Field(
        300, ge=10, description="a unit position older than this is shown as stale"
    )
    prior_radius_m: float = Field(300.0, gt=0, le=2000, description="prior incidents 'near'")
    prior_days: int = Field(365, ge=1, le=3660, description="how far back prior incidents go")
    at_address_m: float = Field(30.0, gt=0, le=200, description="prior incidents 'at the address'")
    prior_recent: int = Field(10, ge=0, le=50, description="most recent prior incidents listed")
    plate_radius_m: float = Field(500.0, gt=0, le=5000, description="plate readers counted")
    plate_window_min: int = Field(30, ge=1, le=1440, description="plate reads and hits window")
    gunshot_radius_m: float = Field(800.0, gt=0, le=10_000, description="gunshots nearby")
    gunshot_window_h: int = Field(24, ge=1, le=720, description="gunshots this recent")
    premises_radius_m: float = Field(60.0, gt=0, le=1000, description="premises at the location")
    community_radius_m: float = Field(200.0, gt=0, le=2000, description="community cameras")
    floor_plan_max_bytes: int = Field(
        20 * 1024 * 1024, ge=1024, description="largest floor plan file accepted"
    )
    keeper_burst: int = Field(
        500, ge=1, description="events folded into one re-assembly round at most"
    )


class PlaybookSettings(BaseModel):
    """Response playbooks per incident type."""

    auto_start: bool = Field(
        True, description="start the matching playbook on every new (or newly matching) incident"
    )
    fallback: bool = Field(
        True,
        description="use playbooks matched by priority alone (the generic Priority 1 playbook) "
        "when no playbook names the incident's type",
    )
    load_defaults: bool = Field(
        True, description="load the bundled playbooks into an empty playbook table at start"
    )
    lapse_check_every_s: float = Field(
        10.0, gt=0, le=3600, description="how often overdue steps are looked for and lapsed"
    )


class GeofenceSettings(BaseModel):
    """Geofences and electronic-monitoring positions."""

    timezone: str = Field(
        "UTC", description="IANA zone of a geofence's active hours when the hours name none"
    )
    max_points: int = Field(2000, ge=4, description="most vertices one geofence polygon may have")
    hotlist_priority: int = Field(
        2, ge=1, le=5, description="priority of a hotlisted vehicle read inside a geofence"
    )
    monitoring_priority: int = Field(
        2, ge=1, le=5, description="priority of a monitored person entering or leaving a zone"
    )
    max_positions: int = Field(1000, ge=1, description="positions one monitoring post may carry")
    max_accuracy_m: float = Field(
        250.0, gt=0, description="a position less accurate than this never moves a person across"
    )
    future_tolerance_s: float = Field(
        300.0, ge=0, description="how far ahead of our clock a position's time may be"
    )
    redeliver_every_s: float = Field(
        30.0, gt=0, description="how often firings the alert desk has not taken are offered again"
    )


class Settings(BaseSettings):
    """Everything configurable about one Watchfloor installation."""

    model_config = SettingsConfigDict(
        env_prefix="WATCHFLOOR_",
        env_nested_delimiter="__",
        extra="forbid",
    )

    data_dir: Path = Field(default_factory=default_data_dir)
    database_url: SecretStr | None = None
    sqlite_synchronous: Literal["FULL", "NORMAL"] = "FULL"
    sqlite_cache_mib: int = Field(64, ge=2, le=4096, description="page cache per connection")
    host: str = "127.0.0.1"
    port: int = Field(8000, ge=1, le=65535)
    demo_mode: bool = False
    max_body_bytes: int = Field(2 * 1024 * 1024, ge=1024)
    feed_stale_after_s: float = Field(900.0, gt=0)
    live_ping_s: float = Field(15.0, gt=0, le=60, description="console heartbeat and re-check")
    heap_freeze: bool = Field(
        True, description="freeze the heap built at start out of the collector's full passes"
    )
    console_dir: Path | None = Field(None, description="built console (default: bundled)")
    basemap_path: Path | None = Field(
        None, description="GeoJSON basemap of the jurisdiction (default: the demo city)"
    )
    security: SecuritySettings = SecuritySettings()
    cad_link: CadLinkSettings = CadLinkSettings()
    eido: EidoSettings = EidoSettings()
    lpr: LprSettings = LprSettings()
    video: VideoSettings = VideoSettings()
    alerts: AlertSettings = AlertSettings()
    sensor_feeds: SensorFeedSettings = SensorFeedSettings()
    correlation: CorrelationSettings = CorrelationSettings()
    context: ContextSettings = ContextSettings()
    playbooks: PlaybookSettings = PlaybookSettings()
    geofences: GeofenceSettings = GeofenceSettings()
    units: UnitSettings = UnitSettings()
    avl: AvlSettings = AvlSettings()
    tak: TakSettings = TakSettings()
    fieldlink: FieldLinkSettings = FieldLinkSettings()
    community: CommunitySettings = CommunitySettings()

    @model_validator(mode="after")
    def _demo_is_never_secure_production(self) -> Settings:
        if self.demo_mode and self.database_url is not None:
            url = self.database_url.get_secret_value()
            if not url.startswith("sqlite"):
                raise ValueError("demo_mode runs on SQLite only; unset WATCHFLOOR_DATABASE_URL")
        return self

    def sqlalchemy_url(self) -> str:
        """The database URL, defaulting to SQLite in the data directory."""
        if self.database_url is not None:
            return self.database_url.get_secret_value()
        return f"sqlite:///{self.data_dir / 'watchfloor.db'}"

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        sources: list[PydanticBaseSettingsSource] = [init_settings, env_settings]
        config_file = os.environ.get("WATCHFLOOR_CONFIG")
        if config_file:
            sources.append(TomlConfigSettingsSource(settings_cls, toml_file=Path(config_file)))
        return tuple(sources)


def load_settings(**overrides: object) -> Settings:
    """Build and validate the settings: overrides, then environment, then WATCHFLOOR_CONFIG."""
    config_file = os.environ.get("WATCHFLOOR_CONFIG")
    if config_file and not Path(config_file).is_file():
        raise FileNotFoundError(f"WATCHFLOOR_CONFIG names {config_file}, which does not exist")
    return Settings(**overrides)  # type: ignore[arg-type]
