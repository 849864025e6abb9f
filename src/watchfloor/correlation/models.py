"""Tables of correlation: per-camera slew-to-cue settings, cue presets and after-hours callouts."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Float, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from watchfloor.db.base import Base, UTCDateTime


class CameraCue(Base):
    """How a PTZ camera is pointed at an alert: on/off and, when calibrated, how to aim it."""

    __tablename__ = "correlation_camera_cue"

    camera_code: Mapped[str] = mapped_column(String(64), primary_key=True)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    pan_zero_bearing_deg: Mapped[float | None] = mapped_column(Float)
    pan_deg_per_unit: Mapped[float | None] = mapped_column(Float)
    tilt_zero_deg: Mapped[float | None] = mapped_column(Float)
    tilt_deg_per_unit: Mapped[float | None] = mapped_column(Float)
    height_m: Mapped[float | None] = mapped_column(Float)
    zoom_full_range_m: Mapped[float | None] = mapped_column(Float)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_by: Mapped[str] = mapped_column(String(200))


class CuePreset(Base):
    """A camera preset and the ground point it looks at."""

    __tablename__ = "correlation_cue_preset"
    __table_args__ = (UniqueConstraint("camera_code", "token"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    camera_code: Mapped[str] = mapped_column(String(64), index=True)
    token: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(64))
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)


class Callout(Base):
    """One after-hours callout to one on-call supervisor, with its delivery attempts."""

    __tablename__ = "correlation_callout"
    __table_args__ = (
        UniqueConstraint("subject_key", "recipient_email"),
        Index("ix_correlation_callout_due", "status", "next_attempt_at"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    subject_key: Mapped[str] = mapped_column(String(100))
    incident_id: Mapped[str | None] = mapped_column(String(36), index=True)
    alert_id: Mapped[str | None] = mapped_column(String(36))
    recipient_name: Mapped[str] = mapped_column(String(200))
    recipient_email: Mapped[str] = mapped_column(String(320))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(String(4000))
    status: Mapped[str] = mapped_column(String(20))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
