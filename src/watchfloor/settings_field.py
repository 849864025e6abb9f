"""Settings of units and the field link: trails and routing, AVL from NMEA, the TAK server and
what goes to the field (part of the one settings object in settings.py)."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, Field, model_validator


class UnitSettings(BaseModel):
    """The unit roster: trails, staleness on the map and travel-time routing."""

    # [units settings] — owned by the units helper
    trail_retention_h: float = Field(
        24.0, gt=0, le=24 * 400, description="unit position trail kept this many hours"
    )
    trail_purge_every_s: float = Field(
        600.0, gt=0, description="how often trail points past the retention are purged"
    )
    trail_max_minutes: int = Field(
        24 * 60, ge=1, description="longest trail one request may ask for (minutes)"
    )
    trail_max_points: int = Field(5_000, ge=10, description="trail points one request returns")
    nearest_limit: int = Field(5, ge=1, le=100, description="units the nearest routes list")
    speeds_kmh: dict[str, float] = Field(
        default_factory=lambda: {
            "motorway": 90.0,
            "trunk": 70.0,
            "primary": 50.0,
            "secondary": 45.0,
            "tertiary": 40.0,
            "residential": 30.0,
            "service": 15.0,
        },
        description="travel speed by street class (the basemap's `class`); other classes "
        "(footways) are not driven",
    )
    access_speed_kmh: float = Field(
        10.0, gt=0, description="speed over the straight leg between a point and its street"
    )
    snap_max_m: float = Field(
        2_000.0, gt=0, description="a point further than this from any street is not routed"
    )
    routing: bool = Field(True, description="travel-time routing over the basemap's streets")
    route_cache: int = Field(
        64, ge=1, le=10_000, description="incidents whose one-to-many routes are kept"
    )


class AvlSettings(BaseModel):
    """AVL positions from in-vehicle routers: NMEA 0183 over UDP and TCP."""

    # [avl settings] — owned by the NMEA helper
    host: str = Field("127.0.0.1", description="address the NMEA listeners bind to")
    udp_port: int | None = Field(
        None, ge=0, le=65535, description="NMEA over UDP; None = off, 0 = any free port"
    )
    tcp_port: int | None = Field(
        None, ge=0, le=65535, description="NMEA over TCP; None = off, 0 = any free port"
    )
    batch_size: int = Field(500, ge=1, le=500, description="most positions in one roster delivery")
    batch_interval_s: float = Field(
        0.5, gt=0, le=0.5, description="longest an accepted position waits before it is stored"
    )
    max_line_bytes: int = Field(
        82, ge=82, le=1024, description="longest NMEA sentence accepted (NMEA 0183 says 82)"
    )
    max_pending: int = Field(
        20_000, ge=500, description="positions waiting for the store before intake is held back"
    )
    udp_queue: int = Field(
        10_000, ge=10, description="datagrams waiting for the intake; more are dropped, counted"
    )
    max_udp_senders: int = Field(
        10_000, ge=1, description="UDP senders whose partial state (device id, date) is kept"
    )
    max_tcp_connections: int = Field(
        1_000, ge=1, description="concurrent router connections; more are refused, counted"
    )
    tcp_idle_timeout_s: float = Field(
        300.0, gt=0, description="a router connection silent this long is closed"
    )
    future_tolerance_s: float = Field(
        30.0, ge=0, description="a fix time ahead of our clock by more is taken as now"
    )
    max_age_s: float = Field(
        86_400.0, gt=0, description="a fix older than this is refused (stale replay, bad clock)"
    )
    feed_stale_after_s: float = Field(
        300.0, gt=0, description="no position for this long marks the AVL feed stale"
    )


class TakSettings(BaseModel):
    """The TAK-compatible server: CoT over TCP, TLS with client certificates, TAK protocol v1."""

    host: str = Field("127.0.0.1", description="address the CoT listeners bind to")
    tcp_port: int | None = Field(
        None, ge=0, le=65535, description="plain TCP CoT port (loopback/lab); None off, 0 any"
    )
    tls_port: int | None = Field(
        None, ge=0, le=65535, description="TLS CoT port (client certificates); None off, 0 any"
    )
    cert_file: Path | None = Field(None, description="the server's certificate chain (PEM)")
    key_file: Path | None = Field(None, description="the server's private key (PEM)")
    ca_file: Path | None = Field(None, description="CA that client certificates must chain to")
    queue_size: int = Field(
        10_000, ge=1, description="events waiting for one client; a client that fills it is dropped"
    )
    max_event_bytes: int = Field(
        256 * 1024, ge=1024, description="largest CoT event; a bigger one closes the client"
    )
    sweep_every_s: float = Field(
        5.0, gt=0, description="how often stale tracks are expired from the picture"
    )
    picture_max: int = Field(
        20_000, ge=1, description="most tracks kept for late joiners (the oldest go first)"
    )
    offer_v1: bool = Field(
        True, description="offer TAK protocol v1 (t-x-takp-v) to every client that connects"
    )
    handshake_timeout_s: float = Field(10.0, gt=0, description="TLS handshake time limit")

    @model_validator(mode="after")
    def _tls_needs_files(self) -> TakSettings:
        if self.tls_port is not None and not (self.cert_file and self.key_file and self.ca_file):
            raise ValueError("tak.tls_port needs tak.cert_file, tak.key_file and tak.ca_file")
        return self


class FieldLinkSettings(BaseModel):
    """What Watchfloor sends to the field as CoT and how field devices map to units."""

    # [fieldlink settings] — owned by the field-link helper
    sender_uid: str = Field(
        "watchfloor", min_length=1, max_length=100, description="CoT uid Watchfloor sends as"
    )
    sender_callsign: str = Field(
        "WATCHFLOOR", min_length=1, max_length=100, description="callsign on Watchfloor's CoT"
    )
    chatroom: str = Field(
        "Watchfloor", min_length=1, max_length=100, description="GeoChat room of intel notes"
    )
    incident_type: str = Field("b-m-p-s-p-i", description="CoT type of an incident marker")
    plate_alert_type: str = Field("a-s-G-E-V", description="CoT type of a verified plate alert")
    gunshot_type: str = Field("b-d-a", description="CoT type of a gunshot alert")
    incident_stale_s: float = Field(
        4 * 3600.0, gt=0, description="how long an incident marker stays valid in the field"
    )
    refresh_every_s: float = Field(
        600.0, gt=0, description="how often open incident markers are sent again before stale"
    )
    plate_alert_stale_s: float = Field(
        1800.0, gt=0, description="how long a verified plate alert stays valid in the field"
    )
    gunshot_stale_s: float = Field(
        1800.0, gt=0, description="how long a gunshot marker stays valid in the field"
    )
    note_stale_s: float = Field(
        24 * 3600.0, gt=0, description="how long an intel note (GeoChat) stays valid"
    )
    note_max_chars: int = Field(
        2000, ge=1, le=4000, description="longest intel note an operator may send to the field"
    )
    batch_max: int = Field(
        500, ge=1, le=500, description="most field positions stored in one roster delivery"
    )
    batch_window_s: float = Field(
        0.5, gt=0, le=0.5, description="longest a field position waits before it is stored"
    )
    future_tolerance_s: float = Field(
        30.0, ge=0, description="a position time ahead of our clock by more is taken as now"
    )
    unmapped_kept: int = Field(
        200, ge=1, le=10_000, description="recent unmapped devices listed for the admin"
    )
    feed_stale_after_s: float = Field(
        300.0, gt=0, description="field positions older than this mark the CoT feed stale"
    )
