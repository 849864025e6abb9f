"""Tables of the plate-reader domain: readers, reads, the plate dictionary, alerts, legal holds.

`lpr_read` is the highest-volume table in Watchfloor. Its rows are written in bulk by
`store.ReadStore` with the driver directly (not the ORM), times are integer epoch milliseconds
(compact in the indexes), and it carries only the two indexes search needs: (plate, time) and
time. Infix search goes through `lpr_plate`, one row per distinct plate, with a trigram index.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Boolean, Float, Index, Integer, SmallInteger, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from watchfloor.db.base import Base, JSONDocument, UTCDateTime

ReadId = BigInteger().with_variant(Integer(), "sqlite")
"""64-bit on PostgreSQL; INTEGER on SQLite so the id is the rowid."""


def new_id() -> str:
    """A new random identifier (UUID4 text)."""
    return str(uuid.uuid4())


class PlateReader(Base):
    """A fixed or mobile plate reader (or a camera with plate recognition)."""

    __tablename__ = "lpr_reader"
    __table_args__ = (Index("ix_lpr_reader_position", "lat", "lon"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))  # fixed | mobile
    agency: Mapped[str | None] = mapped_column(String(100))
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    heading: Mapped[float | None] = mapped_column(Float)
    direction: Mapped[str | None] = mapped_column(String(40))
    lanes: Mapped[int | None] = mapped_column(Integer)
    camera_ref: Mapped[str | None] = mapped_column(String(100))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class PlateRead(Base):
    """One stored plate read (written in bulk by the read store, never through the ORM)."""

    __tablename__ = "lpr_read"
    __table_args__ = (
        Index("ix_lpr_read_plate_captured", "plate", "captured_ms"),
        # reader_id rides along so counting a window's reads per reader reads only the index
        Index("ix_lpr_read_captured", "captured_ms", "reader_id"),
        # On PostgreSQL the few readers near a point each count their own window's range
        # (migration 0021 says why SQLite has none)
        Index("ix_lpr_read_reader_captured", "reader_id", "captured_ms").ddl_if(
            dialect="postgresql"
        ),
    )

    id: Mapped[int] = mapped_column(ReadId, primary_key=True, autoincrement=True)
    reader_id: Mapped[int] = mapped_column(Integer)
    captured_ms: Mapped[int] = mapped_column(BigInteger)
    received_ms: Mapped[int] = mapped_column(BigInteger)
    plate: Mapped[str] = mapped_column(String(16))
    plate_raw: Mapped[str] = mapped_column(String(32))
    region: Mapped[str | None] = mapped_column(String(16))
    confidence: Mapped[float | None] = mapped_column(Float)
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    heading: Mapped[float | None] = mapped_column(Float)
    direction: Mapped[str | None] = mapped_column(String(40))
    lane: Mapped[int | None] = mapped_column(SmallInteger)
    speed_kmh: Mapped[float | None] = mapped_column(Float)
    plate_image: Mapped[str | None] = mapped_column(String(64))
    vehicle_image: Mapped[str | None] = mapped_column(String(64))
    make: Mapped[str | None] = mapped_column(String(64))
    model: Mapped[str | None] = mapped_column(String(64))
    colour: Mapped[str | None] = mapped_column(String(64))
    vehicle_kind: Mapped[str | None] = mapped_column(String(64))
    hit: Mapped[bool] = mapped_column(Boolean, default=False)


class KnownPlate(Base):
    """One row per distinct plate ever read: the dictionary infix and wildcard search runs on."""

    __tablename__ = "lpr_plate"

    plate: Mapped[str] = mapped_column(String(16), primary_key=True)


class PlateAlert(Base):
    """A hotlist hit waiting for, or carrying, an operator's verification and disposition.

    It holds its own copy of the read and of the hotlist entry as they were at the hit, so it
    stays truthful after the list is refreshed or the read is purged."""

    __tablename__ = "lpr_alert"
    __table_args__ = (
        Index("ix_lpr_alert_status_raised", "status", "raised_at"),
        Index("ix_lpr_alert_plate", "plate_read"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    raised_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime)
    repeat_count: Mapped[int] = mapped_column(Integer, default=1)
    reader_id: Mapped[int] = mapped_column(Integer, index=True)
    reader_code: Mapped[str] = mapped_column(String(64))
    hotlist_id: Mapped[int] = mapped_column(Integer, index=True)
    hotlist_name: Mapped[str] = mapped_column(String(200))
    entry_id: Mapped[int] = mapped_column(BigInteger)
    entry: Mapped[dict[str, Any]] = mapped_column(JSONDocument)
    read: Mapped[dict[str, Any]] = mapped_column(JSONDocument)
    read_captured_at: Mapped[datetime] = mapped_column(UTCDateTime)
    plate_read: Mapped[str] = mapped_column(String(16))
    plate_entry: Mapped[str] = mapped_column(String(16))
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    heading: Mapped[float | None] = mapped_column(Float)
    plate_image: Mapped[str | None] = mapped_column(String(64))
    vehicle_image: Mapped[str | None] = mapped_column(String(64))
    reason_code: Mapped[str] = mapped_column(String(40))
    severity: Mapped[str] = mapped_column(String(10))
    match_kind: Mapped[str] = mapped_column(String(20))  # exact | misread
    substitutions: Mapped[int] = mapped_column(Integer)
    state_match: Mapped[str] = mapped_column(String(20))
    corroboration: Mapped[float | None] = mapped_column(Float)
    corroboration_detail: Mapped[dict[str, Any]] = mapped_column(JSONDocument, default=dict)
    score: Mapped[float] = mapped_column(Float)
    explanation: Mapped[str] = mapped_column(Text)
    stale: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(20))  # pending | actionable | closed
    plate_matches_image: Mapped[bool | None] = mapped_column(Boolean)
    entry_confirmed_active: Mapped[bool | None] = mapped_column(Boolean)
    confirmed_with: Mapped[str | None] = mapped_column(String(200))
    verification_note: Mapped[str | None] = mapped_column(Text)
    verified_by: Mapped[str | None] = mapped_column(String(200))
    verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    disposition: Mapped[str | None] = mapped_column(String(30))
    disposition_by: Mapped[str | None] = mapped_column(String(200))
    disposition_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    outcome: Mapped[str | None] = mapped_column(String(30))
    outcome_note: Mapped[str | None] = mapped_column(Text)
    outcome_by: Mapped[str | None] = mapped_column(String(200))
    outcome_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    case_number: Mapped[str | None] = mapped_column(String(100))
    incident_id: Mapped[str | None] = mapped_column(String(36))


class LegalHold(Base):
    """Reads that must survive retention purges for a case, until the hold is released."""

    __tablename__ = "lpr_legal_hold"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    case_number: Mapped[str] = mapped_column(String(100))
    reason: Mapped[str] = mapped_column(Text)
    plate: Mapped[str | None] = mapped_column(String(16))
    reader_id: Mapped[int | None] = mapped_column(Integer)
    since: Mapped[datetime | None] = mapped_column(UTCDateTime)
    until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    released_by: Mapped[str | None] = mapped_column(String(200))
    released_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    release_reason: Mapped[str | None] = mapped_column(Text)
