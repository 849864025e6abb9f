"""Tables of units: one row per field unit, its status and latest position, and its trail."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Float, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from watchfloor.db.base import Base, JSONDocument, UTCDateTime


class Unit(Base):
    """A field unit (patrol car, ambulance, engine, drone team) as the roster knows it."""

    __tablename__ = "unit"

    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(100))
    agency: Mapped[str | None] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(30))
    status_at: Mapped[datetime] = mapped_column(UTCDateTime)
    status_by: Mapped[str] = mapped_column(String(200))
    incident_id: Mapped[str | None] = mapped_column(String(36))
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    heading: Mapped[float | None] = mapped_column(Float)
    speed_mps: Mapped[float | None] = mapped_column(Float)
    position_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    position_source: Mapped[str | None] = mapped_column(String(50))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    crew: Mapped[list[str]] = mapped_column(JSONDocument, default=list)
    capabilities: Mapped[list[str]] = mapped_column(JSONDocument, default=list)
    kind_text: Mapped[str | None] = mapped_column(String(100))


class UnitPositionPoint(Base):
    """One applied position of a unit: its trail, kept for UnitSettings.trail_retention_h."""

    __tablename__ = "unit_position"
    __table_args__ = (
        Index("ix_unit_position_unit_at", "unit", "at"),
        Index("ix_unit_position_at", "at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    unit: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)
    heading: Mapped[float | None] = mapped_column(Float)
    speed_mps: Mapped[float | None] = mapped_column(Float)
    source: Mapped[str] = mapped_column(String(20))
