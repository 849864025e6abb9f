"""Tables of alerts: the alert the floor works, every source (source, source_ref) that feeds it,
and every report those sources sent (kept, so an alert shows all its sources and its history).

Nearby lookups go through `cell`, a grid square of 0.01° latitude by 0.01° longitude (about
1.1 km by 0.8 km here) numbered row by row, so one latitude row of a bounding box is one range
of the (cell, occurred_at) index."""

from __future__ import annotations

import math
import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from watchfloor.db.base import Base, JSONDocument, UTCDateTime

CELL_DEG = 0.01
"""Grid square size in degrees (fixed: stored cells depend on it)."""
CELLS_PER_ROW = 36_000
"""Longitude cells in one latitude row (360 / CELL_DEG)."""

ReportId = BigInteger().with_variant(Integer(), "sqlite")
"""64-bit on PostgreSQL; INTEGER on SQLite so the id is the rowid."""


def new_id() -> str:
    """A new random identifier (UUID4 text)."""
    return str(uuid.uuid4())


def cell_row(lat: float) -> int:
    """The grid row of a latitude."""
    return min(math.floor((lat + 90.0) / CELL_DEG), int(180 / CELL_DEG) - 1)


def cell_col(lon: float) -> int:
    """The grid column of a longitude."""
    return min(math.floor((lon + 180.0) / CELL_DEG), CELLS_PER_ROW - 1)


def cell_of(lat: float | None, lon: float | None) -> int | None:
    """The grid cell of a point (None without a location)."""
    if lat is None or lon is None:
        return None
    return cell_row(lat) * CELLS_PER_ROW + cell_col(lon)


class Alert(Base):
    """One alert as the floor works it (several sources may feed it)."""

    __tablename__ = "alert"
    __table_args__ = (
        Index("ix_alert_status_received", "status", "received_at"),
        Index("ix_alert_received", "received_at"),
        Index("ix_alert_kind_occurred", "kind", "occurred_at"),
        Index("ix_alert_cell_occurred", "cell", "occurred_at"),
        Index("ix_alert_incident", "incident_id"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    kind: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20))
    priority: Mapped[int] = mapped_column(SmallInteger)
    severity: Mapped[str | None] = mapped_column(String(50))
    title: Mapped[str] = mapped_column(String(300))
    source: Mapped[str] = mapped_column(String(100))  # the first source: its updates edit the alert
    source_ref: Mapped[str] = mapped_column(String(200))
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    cell: Mapped[int | None] = mapped_column(Integer)
    location_error_m: Mapped[float | None] = mapped_column(Float)
    address: Mapped[str | None] = mapped_column(String(500))
    beat: Mapped[str | None] = mapped_column(String(100))
    subject: Mapped[str | None] = mapped_column(String(200))
    incident_id: Mapped[str | None] = mapped_column(String(36))
    merged_into: Mapped[str | None] = mapped_column(String(36))
    report_count: Mapped[int] = mapped_column(Integer)
    acknowledged_by: Mapped[str | None] = mapped_column(String(100))
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    escalated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    escalated_to: Mapped[list[str]] = mapped_column(JSONDocument, default=list)
    escalation_reason: Mapped[str | None] = mapped_column(String(500))
    dismissed_by: Mapped[str | None] = mapped_column(String(100))
    dismissed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    dismissed_reason: Mapped[str | None] = mapped_column(String(500))
    closed_by: Mapped[str | None] = mapped_column(String(100))
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    details: Mapped[dict[str, Any]] = mapped_column(JSONDocument, default=dict)


class AlertSource(Base):
    """One (source, source_ref) and the alert its reports go to (unique: reports sharing it
    merge)."""

    __tablename__ = "alert_source"
    __table_args__ = (
        UniqueConstraint("source", "source_ref", name="uq_alert_source_ref"),
        Index("ix_alert_source_alert", "alert_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    alert_id: Mapped[str] = mapped_column(String(36), ForeignKey("alert.id"))
    source: Mapped[str] = mapped_column(String(100))
    source_ref: Mapped[str] = mapped_column(String(200))
    first_received_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_received_at: Mapped[datetime] = mapped_column(UTCDateTime)
    reports: Mapped[int] = mapped_column(Integer)


class AlertSourceReport(Base):
    """One report as received (the whole AlertReport, for history and duplicate detection)."""

    __tablename__ = "alert_report"
    __table_args__ = (Index("ix_alert_report_source_digest", "source_id", "digest"),)

    id: Mapped[int] = mapped_column(ReportId, primary_key=True, autoincrement=True)
    source_id: Mapped[int] = mapped_column(Integer, ForeignKey("alert_source.id"))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ended: Mapped[bool] = mapped_column(Boolean)
    digest: Mapped[str] = mapped_column(String(64))
    report: Mapped[dict[str, Any]] = mapped_column(JSONDocument)
