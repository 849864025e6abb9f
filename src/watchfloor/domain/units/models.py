"""Tables of units: one row per field unit, its status and latest reported position."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Float, String
from sqlalchemy.orm import Mapped, mapped_column

from watchfloor.db.base import Base, UTCDateTime


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
