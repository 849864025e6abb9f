"""Tables of the incidents domain: incidents, their children, timeline and EIDO documents."""

from __future__ import annotations

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
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from watchfloor.db.base import Base, JsonDict, JSONDocument, UTCDateTime

CellKey = BigInteger().with_variant(Integer(), "sqlite")
"""A grid cell key (core.geo.grid_cell): 64-bit on PostgreSQL, INTEGER on SQLite."""


def new_id() -> str:
    """A new random identifier (UUID4 text)."""
    return str(uuid.uuid4())


class Incident(Base):
    """One CAD incident, merged from every EIDO update with its $id."""

    __tablename__ = "incident"
    __table_args__ = (
        Index("ix_incident_queue", "status", "received_at"),
        # Covering: the context packet's prior-incident counts and latest list read only this
        # index (no table rows, whose CAD documents are large).
        Index(
            "ix_incident_nearby",
            "cell",
            "received_at",
            "lat",
            "lon",
            "type_code",
            "type_text",
            "address",
            "priority",
            "id",
        ),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    eido_id: Mapped[str] = mapped_column(String(500), unique=True)
    type_code: Mapped[str] = mapped_column(String(200))
    type_internal_code: Mapped[str | None] = mapped_column(String(200))
    type_text: Mapped[str | None] = mapped_column(String(500))
    priority: Mapped[int | None] = mapped_column(Integer)
    priority_text: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(20))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)
    dispatched_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    en_route_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    on_scene_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cleared_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    first_received_at: Mapped[datetime] = mapped_column(UTCDateTime)
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    cell: Mapped[int | None] = mapped_column(CellKey)  # core.geo.grid_cell of (lat, lon)
    address: Mapped[str | None] = mapped_column(String(500))
    cross_streets: Mapped[list[str]] = mapped_column(JSONDocument, default=list)
    location_description: Mapped[str | None] = mapped_column(Text)
    beat: Mapped[str | None] = mapped_column(String(100))
    cad_incident_number: Mapped[str | None] = mapped_column(String(100), index=True)
    issuing_element: Mapped[str] = mapped_column(String(200))
    claimed_by_user_id: Mapped[str | None] = mapped_column(String(36))
    claimed_by_username: Mapped[str | None] = mapped_column(String(200))
    claimed_by_designator: Mapped[str | None] = mapped_column(String(50))
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    document: Mapped[JsonDict] = mapped_column(JSONDocument)
    version: Mapped[int] = mapped_column(Integer, default=1)


class _Child:
    """Columns every child of an incident has: its own id, the incident, the EIDO $id."""

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    incident_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("incident.id", ondelete="CASCADE"), index=True
    )
    eido_id: Mapped[str | None] = mapped_column(String(500))


class IncidentUnit(_Child, Base):
    """A unit assigned to an incident, with its latest status."""

    __tablename__ = "incident_unit"
    __table_args__ = (UniqueConstraint("incident_id", "eido_id"),)

    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(30))
    status_text: Mapped[str] = mapped_column(String(200))
    agency_ref: Mapped[str | None] = mapped_column(String(500))
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class IncidentNote(_Child, Base):
    """A note: from the CAD (origin "cad") or added in Watchfloor (origin "intel")."""

    __tablename__ = "incident_note"
    __table_args__ = (UniqueConstraint("incident_id", "eido_id"),)

    origin: Mapped[str] = mapped_column(String(10))
    author: Mapped[str | None] = mapped_column(String(200))
    author_user_id: Mapped[str | None] = mapped_column(String(36))
    designator: Mapped[str | None] = mapped_column(String(50))
    text: Mapped[str] = mapped_column(Text)
    written_at: Mapped[datetime] = mapped_column(UTCDateTime)


class IncidentCaution(_Child, Base):
    """A caution (officer safety, hazard) on an incident."""

    __tablename__ = "incident_caution"
    __table_args__ = (UniqueConstraint("incident_id", "eido_id"),)

    kind: Mapped[str] = mapped_column(String(200))
    kind_text: Mapped[str] = mapped_column(String(500))
    severity: Mapped[str] = mapped_column(String(100))
    source: Mapped[str | None] = mapped_column(String(200))
    starts_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class IncidentPerson(_Child, Base):
    """A person involved in an incident."""

    __tablename__ = "incident_person"
    __table_args__ = (UniqueConstraint("incident_id", "eido_id"),)

    roles: Mapped[list[str]] = mapped_column(JSONDocument, default=list)
    name: Mapped[str | None] = mapped_column(String(500))
    description: Mapped[str | None] = mapped_column(Text)


class IncidentVehicle(_Child, Base):
    """A vehicle involved in an incident."""

    __tablename__ = "incident_vehicle"
    __table_args__ = (UniqueConstraint("incident_id", "eido_id"),)

    relationships: Mapped[list[str]] = mapped_column(JSONDocument, default=list)
    plate: Mapped[str | None] = mapped_column(String(20))
    plate_state: Mapped[str | None] = mapped_column(String(10))
    make: Mapped[str | None] = mapped_column(String(100))
    model: Mapped[str | None] = mapped_column(String(100))
    color: Mapped[str | None] = mapped_column(String(100))
    year: Mapped[int | None] = mapped_column(Integer)
    description: Mapped[str | None] = mapped_column(Text)


class IncidentAgency(_Child, Base):
    """An agency involved in an incident."""

    __tablename__ = "incident_agency"
    __table_args__ = (UniqueConstraint("incident_id", "eido_id"),)

    name: Mapped[str | None] = mapped_column(String(500))
    roles: Mapped[list[str]] = mapped_column(JSONDocument, default=list)
    types: Mapped[list[str]] = mapped_column(JSONDocument, default=list)
    owning: Mapped[bool] = mapped_column(Boolean, default=False)


class IncidentTimelineEntry(Base):
    """One thing that happened to an incident: status, unit status, note, claim, release."""

    __tablename__ = "incident_timeline"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    incident_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("incident.id", ondelete="CASCADE"), index=True
    )
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    kind: Mapped[str] = mapped_column(String(50))
    actor: Mapped[str] = mapped_column(String(200))
    details: Mapped[dict[str, Any]] = mapped_column(JSONDocument, default=dict)


class EidoDocument(Base):
    """Every accepted EIDO document, with what it did to its incident."""

    __tablename__ = "eido_document"
    __table_args__ = (Index("ix_eido_document_match", "eido_id", "sha256"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    incident_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("incident.id", ondelete="CASCADE"), index=True
    )
    eido_id: Mapped[str] = mapped_column(String(500))
    sha256: Mapped[str] = mapped_column(String(64))
    last_updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)
    source: Mapped[str] = mapped_column(String(100))
    outcome: Mapped[str] = mapped_column(String(20))
    document: Mapped[JsonDict] = mapped_column(JSONDocument)
