"""Tables of audited camera viewing and the biometric-analytics policy switch."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Float, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from watchfloor.db.base import Base, UTCDateTime


class CameraView(Base):
    """One opened view of a camera (live, playback, PTZ control, snapshot, recording) and why."""

    __tablename__ = "camera_view"
    __table_args__ = (
        Index("ix_camera_view_person", "username", "started_at"),
        Index("ix_camera_view_camera", "camera_code", "started_at"),
    )

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    camera_code: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(20))
    user_id: Mapped[str | None] = mapped_column(String(64))
    username: Mapped[str] = mapped_column(String(100))
    reason_kind: Mapped[str] = mapped_column(String(20))
    reason_ref: Mapped[str | None] = mapped_column(String(100))
    reason_note: Mapped[str | None] = mapped_column(String(500))
    parent_id: Mapped[str | None] = mapped_column(String(32))
    address: Mapped[str | None] = mapped_column(String(100))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    duration_s: Mapped[float | None] = mapped_column(Float)


class VideoPolicy(Base):
    """The biometric-analytics switch (one row): blocked unless an admin lifted it."""

    __tablename__ = "video_policy"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    biometrics_blocked: Mapped[bool] = mapped_column(Boolean)
    changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    changed_by: Mapped[str | None] = mapped_column(String(100))
    reason: Mapped[str | None] = mapped_column(String(500))
