"""The `camera` table: one row per camera asset (fixed, PTZ or mobile).

`stream_urls` and `onvif_url` hold the cameras' stream and ONVIF device addresses, which often
carry credentials: no schema a route returns has those fields, and nothing logs or audits their
values (the row counts them)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Float, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from watchfloor.db.base import Base, JSONDocument, UTCDateTime


class Camera(Base):
    """A camera asset of the registry."""

    __tablename__ = "camera"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))
    owner: Mapped[str] = mapped_column(String(200))
    agreement: Mapped[str | None] = mapped_column(String(200))
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    location_note: Mapped[str | None] = mapped_column(String(300))
    mount_height_m: Mapped[float | None] = mapped_column(Float)
    bearing: Mapped[float | None] = mapped_column(Float)
    fov_angle: Mapped[float | None] = mapped_column(Float)
    fov_range_m: Mapped[float | None] = mapped_column(Float)
    ptz: Mapped[bool] = mapped_column(Boolean, default=False)
    ptz_range_m: Mapped[float | None] = mapped_column(Float)
    stream_urls: Mapped[list[str]] = mapped_column(JSONDocument, default=list)
    onvif_url: Mapped[str | None] = mapped_column(String(2000))
    recording_source: Mapped[str | None] = mapped_column(String(200))
    access_level: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20))
    labels: Mapped[list[str]] = mapped_column(JSONDocument, default=list)
    maintenance_contact: Mapped[str | None] = mapped_column(String(200))
    external_ref: Mapped[str | None] = mapped_column(String(100))
    mobile: Mapped[bool] = mapped_column(Boolean, default=False)
    last_lat: Mapped[float | None] = mapped_column(Float)
    last_lon: Mapped[float | None] = mapped_column(Float)
    last_position_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def stream_count(self) -> int:
        """How many stream addresses the camera has (never the addresses)."""
        return len(self.stream_urls or [])

    @property
    def has_onvif(self) -> bool:
        """Whether the camera has an ONVIF device address (never the address)."""
        return bool(self.onvif_url)

    @property
    def has_stream(self) -> bool:
        """Whether the camera has a stream address."""
        return self.stream_count > 0
