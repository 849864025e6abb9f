"""Tables of premises: addresses with hazards and notes, and their floor plan files."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import BigInteger, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from watchfloor.db.base import Base, JSONDocument, UTCDateTime

CellKey = BigInteger().with_variant(Integer(), "sqlite")


def new_id() -> str:
    """A new random identifier (UUID4 text)."""
    return str(uuid.uuid4())


class Premise(Base):
    """Premise information for an address: hazards, notes, floor plans."""

    __tablename__ = "premise"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    address: Mapped[str] = mapped_column(String(500))
    address_key: Mapped[str] = mapped_column(String(500), index=True)
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)
    cell: Mapped[int] = mapped_column(CellKey, index=True)  # core.geo.grid_cell
    hazards: Mapped[list[str]] = mapped_column(JSONDocument, default=list)
    notes: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_by: Mapped[str] = mapped_column(String(200))


class FloorPlan(Base):
    """A floor plan file attached to a premise (content-addressed by its SHA-256)."""

    __tablename__ = "premise_floor_plan"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    premise_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("premise.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    media_type: Mapped[str] = mapped_column(String(50))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    uploaded_by: Mapped[str] = mapped_column(String(200))
