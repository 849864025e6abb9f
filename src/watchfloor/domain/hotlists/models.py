"""Tables of the hotlists domain: lists, their entries, and each import's progress."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from watchfloor.db.base import Base, JSONDocument, UTCDateTime

EntryId = BigInteger().with_variant(Integer(), "sqlite")


class Hotlist(Base):
    """A plate list: an NCIC or state extract refreshed on a schedule, or a local list."""

    __tablename__ = "hotlist"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(20))  # ncic | state | local
    source_format: Mapped[str] = mapped_column(String(20))  # ncic_fixed | csv | manual
    source_uri: Mapped[str | None] = mapped_column(String(1000))
    refresh_every_minutes: Mapped[int | None] = mapped_column(Integer)
    max_age_minutes: Mapped[int] = mapped_column(Integer)
    default_reason: Mapped[str | None] = mapped_column(String(40))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    last_refreshed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_import_id: Mapped[str | None] = mapped_column(String(36))
    entry_count: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by: Mapped[str] = mapped_column(String(200))


class HotlistEntry(Base):
    """One plate on a list, with why it is there and what vehicle it should be."""

    __tablename__ = "hotlist_entry"
    __table_args__ = (Index("ix_hotlist_entry_list_plate", "hotlist_id", "plate"),)

    id: Mapped[int] = mapped_column(EntryId, primary_key=True, autoincrement=True)
    hotlist_id: Mapped[int] = mapped_column(Integer, ForeignKey("hotlist.id", ondelete="CASCADE"))
    plate: Mapped[str] = mapped_column(String(16))
    plate_raw: Mapped[str] = mapped_column(String(32))
    state: Mapped[str | None] = mapped_column(String(8))
    plate_type: Mapped[str | None] = mapped_column(String(8))
    reason_code: Mapped[str] = mapped_column(String(40))
    list_code: Mapped[str | None] = mapped_column(String(8))
    nic: Mapped[str | None] = mapped_column(String(20))
    ori: Mapped[str | None] = mapped_column(String(20))
    oca: Mapped[str | None] = mapped_column(String(40))
    vehicle_year: Mapped[int | None] = mapped_column(Integer)
    make: Mapped[str | None] = mapped_column(String(40))
    model: Mapped[str | None] = mapped_column(String(40))
    style: Mapped[str | None] = mapped_column(String(20))
    colour: Mapped[str | None] = mapped_column(String(40))
    description: Mapped[str | None] = mapped_column(Text)
    entered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    entered_by: Mapped[str | None] = mapped_column(String(200))
    manual_reason: Mapped[str | None] = mapped_column(Text)
    case_number: Mapped[str | None] = mapped_column(String(100))
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    removed_by: Mapped[str | None] = mapped_column(String(200))


class HotlistImport(Base):
    """One import or refresh of a list: running, then succeeded or failed, with its counts."""

    __tablename__ = "hotlist_import"
    __table_args__ = (Index("ix_hotlist_import_list_started", "hotlist_id", "started_at"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    hotlist_id: Mapped[int] = mapped_column(Integer, ForeignKey("hotlist.id", ondelete="CASCADE"))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(20))  # running | succeeded | failed
    trigger: Mapped[str] = mapped_column(String(20))  # schedule | upload | manual
    triggered_by: Mapped[str] = mapped_column(String(200))
    total_lines: Mapped[int | None] = mapped_column(Integer)
    processed: Mapped[int] = mapped_column(Integer, default=0)
    accepted: Mapped[int] = mapped_column(Integer, default=0)
    rejected: Mapped[int] = mapped_column(Integer, default=0)
    problems: Mapped[list[dict[str, Any]]] = mapped_column(JSONDocument, default=list)
    source_sha256: Mapped[str | None] = mapped_column(String(64))
    message: Mapped[str | None] = mapped_column(Text)
