"""Tables of camera health: the latest probe result of each camera and maintenance tickets.

`camera_health` has one row per probed camera, keyed by the camera's code. `camera_ticket` has one
row per outage; a partial unique index lets a camera have at most one open ticket."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, Float, Index, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column

from watchfloor.db.base import Base, JSONDocument, UTCDateTime


class CameraHealth(Base):
    """The latest health of one camera: what its last probe found, what it reported itself."""

    __tablename__ = "camera_health"

    camera_code: Mapped[str] = mapped_column(String(64), primary_key=True)
    status: Mapped[str] = mapped_column(String(20))
    status_since: Mapped[datetime | None] = mapped_column(UTCDateTime)
    checked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reachable: Mapped[bool | None] = mapped_column(Boolean)
    decodes: Mapped[bool | None] = mapped_column(Boolean)
    codec: Mapped[str | None] = mapped_column(String(20))
    width: Mapped[int | None] = mapped_column(Integer)
    height: Mapped[int | None] = mapped_column(Integer)
    fps: Mapped[float | None] = mapped_column(Float)
    declared_fps: Mapped[float | None] = mapped_column(Float)
    change: Mapped[float | None] = mapped_column(Float)
    luma: Mapped[float | None] = mapped_column(Float)
    frozen: Mapped[bool] = mapped_column(Boolean, default=False)
    black: Mapped[bool] = mapped_column(Boolean, default=False)
    moved_score: Mapped[float | None] = mapped_column(Float)
    probe_problems: Mapped[list[str]] = mapped_column(JSONDocument, default=list)
    event_problems: Mapped[list[str]] = mapped_column(JSONDocument, default=list)
    problems: Mapped[list[str]] = mapped_column(JSONDocument, default=list)
    detail: Mapped[str | None] = mapped_column(String(300))
    failures: Mapped[int] = mapped_column(Integer, default=0)
    next_probe_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reference_signature: Mapped[dict[str, Any] | None] = mapped_column(JSONDocument)
    reference_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reference_by: Mapped[str | None] = mapped_column(String(200))
    last_tamper_kind: Mapped[str | None] = mapped_column(String(40))
    last_tamper_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class CameraTicket(Base):
    """A maintenance ticket: one camera's outage from first seen to recovery, and its mail."""

    __tablename__ = "camera_ticket"
    __table_args__ = (
        Index(
            "ix_camera_ticket_open",
            "camera_code",
            unique=True,
            sqlite_where=text("closed_at IS NULL"),
            postgresql_where=text("closed_at IS NULL"),
        ),
        Index("ix_camera_ticket_camera", "camera_code", "opened_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    camera_code: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(20))
    problems: Mapped[list[str]] = mapped_column(JSONDocument, default=list)
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    addressed_to: Mapped[str | None] = mapped_column(String(200))
    open_mail: Mapped[str] = mapped_column(String(20))
    close_mail: Mapped[str | None] = mapped_column(String(20))
    mail_attempts: Mapped[int] = mapped_column(Integer, default=0)
    mail_error: Mapped[str | None] = mapped_column(String(300))
    mail_next_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
