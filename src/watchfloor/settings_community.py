"""Settings of the community camera registry and footage requests (part of the one settings object
in settings.py)."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, Field


class CommunitySettings(BaseModel):
    """The community camera registry: the public page, owner links, footage requests, uploads."""

    # [registry settings] — owned by the registry helper
    public_base_url: str = Field(
        "http://127.0.0.1:8765",
        description="the address residents reach Watchfloor at; links in e-mails start with it",
    )
    mail_from: str = Field(
        "community@watchfloor.invalid", description="sender of the registry's e-mails"
    )
    addresses_path: Path | None = Field(
        None,
        description="address points (JSON like demo/city/addresses.json) registrations are "
        "geocoded against; the demo city's when unset",
    )
    pin_max_m: float = Field(
        150.0, gt=0, le=2000, description="how far the owner may move the pin from the address"
    )
    owner_link_days: int = Field(30, ge=1, le=365, description="lifetime of an e-mailed owner link")
    owner_session_minutes: int = Field(
        30, ge=1, le=1440, description="lifetime of the owner page's session cookie"
    )
    pending_expire_h: int = Field(
        72, ge=1, le=720, description="unconfirmed registrations are deleted after this long"
    )
    purge_every_s: float = Field(
        3600.0, ge=10, description="how often unconfirmed registrations are looked for"
    )
    register_limit_per_client: int = Field(
        10, ge=1, description="registrations one client address may send per window"
    )
    register_limit_per_email: int = Field(
        3, ge=1, description="registrations one e-mail address may receive per window"
    )
    register_window_s: float = Field(3600.0, ge=1, description="window of the registration limits")
    link_limit_per_client: int = Field(
        10, ge=1, description="new owner links one client address may ask for per window"
    )
    link_limit_per_email: int = Field(
        3, ge=1, description="new owner links one e-mail address may receive per window"
    )
    link_window_s: float = Field(3600.0, ge=1, description="window of the owner link limits")
    lookup_limit_per_client: int = Field(
        120, ge=1, description="address look-ups and owner-page calls per client per window"
    )
    lookup_window_s: float = Field(60.0, ge=1, description="window of the look-up limit")
    max_cameras: int = Field(10, ge=1, le=100, description="cameras one registration may list")
    max_retention_days: int = Field(
        365, ge=1, le=3650, description="longest retention an owner may state"
    )
    layer_limit: int = Field(
        5000, ge=1, le=100_000, description="most cameras one map layer read returns"
    )
    near_limit: int = Field(200, ge=1, le=5000, description="most cameras one near read returns")
    near_radius_max_m: float = Field(
        2000.0, gt=0, le=20_000, description="largest radius of a near read"
    )
    # [requests settings] — owned by the requests helper
    request_link_days: int = Field(
        14, ge=1, le=90, description="how long a footage request and its upload link stay open"
    )
    reminder_lead_h: float = Field(
        24.0, ge=1, le=720, description="the one reminder goes this long before footage is lost"
    )
    max_window_h: float = Field(
        24.0, gt=0, le=720, description="longest time window one footage request may ask for"
    )
    expire_every_s: float = Field(
        300.0, ge=5, description="how often requests are checked for reminders and expiry"
    )
    answer_limit_per_client: int = Field(
        120, ge=1, description="answer-page calls (not chunks) per client address per window"
    )
    chunk_limit_per_client: int = Field(
        2000, ge=1, description="upload chunks per client address per window"
    )
    answer_window_s: float = Field(60.0, ge=1, description="window of the answer-page limits")
    transparency_months: int = Field(
        12, ge=1, le=60, description="months the public transparency page counts back"
    )
    mail_timezone: str = Field(
        "UTC", description="IANA time zone the request e-mails state times in (the owners' own)"
    )
    # [uploads settings] — owned by the requests helper
    max_file_bytes: int = Field(
        4 * 1024**3, ge=1024, description="largest file an owner may upload (bytes)"
    )
    chunk_bytes: int = Field(
        8 * 1024**2, ge=64 * 1024, le=256 * 1024**2, description="largest upload chunk (bytes)"
    )
    max_files_per_request: int = Field(
        20, ge=1, le=200, description="files an owner may upload for one request"
    )
    uploads_dir: Path | None = Field(
        None,
        description="where partial uploads are received (same file system as the evidence "
        "store, so finished files are linked, not copied); default <data dir>/community-uploads",
    )
