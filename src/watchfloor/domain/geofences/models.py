"""Tables of geofences: the zones and their rules, the positions of monitored persons, each
person's last known side of each zone, and the rule firings waiting for the alert desk."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, Float, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from watchfloor.db.base import Base, JSONDocument, UTCDateTime


class Geofence(Base):
    """A polygon on the map with the rules that fire inside or across it."""

    __tablename__ = "geofence"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(30))  # school_zone | exclusion_zone | ...
    polygon: Mapped[list[list[float]]] = mapped_column(JSONDocument)  # [[lat, lon], ...] closed
    rules: Mapped[list[dict[str, Any]]] = mapped_column(JSONDocument)
    active: Mapped[bool] = mapped_column(Boolean)
    hours: Mapped[dict[str, Any] | None] = mapped_column(JSONDocument)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by: Mapped[str] = mapped_column(String(100))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_by: Mapped[str] = mapped_column(String(100))


class MonitoredPosition(Base):
    """One position of a person on electronic monitoring, as the monitoring feed sent it."""

    __tablename__ = "monitored_position"
    __table_args__ = (
        Index("ix_monitored_position_person_at", "person_ref", "at", unique=True),
        Index("ix_monitored_position_received", "received_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    person_ref: Mapped[str] = mapped_column(String(100))
    program: Mapped[str | None] = mapped_column(String(100))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)
    accuracy_m: Mapped[float | None] = mapped_column(Float)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)


class GeofencePresence(Base):
    """Which side of a geofence a monitored person was last seen on (so a crossing fires once)."""

    __tablename__ = "geofence_presence"

    geofence_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    person_ref: Mapped[str] = mapped_column(String(100), primary_key=True)
    inside: Mapped[bool] = mapped_column(Boolean)
    at: Mapped[datetime] = mapped_column(UTCDateTime)  # the position that decided it


class GeofenceFiring(Base):
    """A rule that fired: the alert report, kept until the alert desk has taken it."""

    __tablename__ = "geofence_firing"
    __table_args__ = (
        Index("ix_geofence_firing_source_ref", "source_ref", unique=True),
        Index("ix_geofence_firing_pending", "delivered_at"),
        Index("ix_geofence_firing_geofence", "geofence_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    geofence_id: Mapped[str] = mapped_column(String(36))
    rule: Mapped[str] = mapped_column(String(40))
    source_ref: Mapped[str] = mapped_column(String(200))
    report: Mapped[dict[str, Any]] = mapped_column(JSONDocument)  # AlertReport JSON
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    alert_id: Mapped[str | None] = mapped_column(String(64))
    attempts: Mapped[int] = mapped_column(Integer)
