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
    """Alert sources: gunshot, panic, CAP, sensors, video analytics (owned by the alerts desk)."""


class SensorFeedSettings(BaseModel):
    """CAP, IoT sensor, Frigate and ONVIF analytics feeds into the alert desk."""


class CorrelationSettings(BaseModel):
    """Correlation rules: incidents from alerts, slew-to-cue, escalation and callouts."""


class ContextSettings(BaseModel):
    """The incident context packet: radii and windows of what it gathers."""


class PlaybookSettings(BaseModel):
    """Response playbooks per incident type."""


class GeofenceSettings(BaseModel):
    """Geofences and electronic-monitoring positions."""


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
