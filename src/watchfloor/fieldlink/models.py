"""Tables of the field link: TAK devices mapped to units, and intel notes sent to the field."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from watchfloor.db.base import Base, JSONDocument, UTCDateTime


def new_id() -> str:
    """A new random identifier (UUID4 text)."""
    return str(uuid.uuid4())


class FieldDevice(Base):
    """A TAK device (by CoT uid and/or callsign) that reports as a unit."""

    __tablename__ = "field_device"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    uid: Mapped[str | None] = mapped_column(String(200), unique=True)
    callsign: Mapped[str | None] = mapped_column(String(100), unique=True)
    unit_code: Mapped[str] = mapped_column(String(64), index=True)
    team: Mapped[str | None] = mapped_column(String(100), index=True)
    added_by: Mapped[str] = mapped_column(String(200))
    added_at: Mapped[datetime] = mapped_column(UTCDateTime)


class FieldNote(Base):
    """An operator's intel note sent to field devices as GeoChat: what, to whom, who got it."""

    __tablename__ = "field_note"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    text: Mapped[str] = mapped_column(Text)
    incident_id: Mapped[str | None] = mapped_column(String(36), index=True)
    group_name: Mapped[str | None] = mapped_column(String(100))
    units: Mapped[list[str]] = mapped_column(JSONDocument, default=list)
    recipients: Mapped[list[str]] = mapped_column(JSONDocument, default=list)
    reached: Mapped[list[str]] = mapped_column(JSONDocument, default=list)
    cot_uid: Mapped[str] = mapped_column(String(300))
    author: Mapped[str] = mapped_column(String(200))
    designator: Mapped[str | None] = mapped_column(String(50))
    written_at: Mapped[datetime] = mapped_column(UTCDateTime)
