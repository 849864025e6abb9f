"""The quarantine table: inbound payloads that were rejected, kept for inspection and replay."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from watchfloor.db.base import Base, JSONDocument, UTCDateTime


class QuarantinedPayload(Base):
    """One rejected payload, its reason and what became of it."""

    __tablename__ = "quarantined_payload"
    __table_args__ = (Index("ix_quarantined_payload_listing", "status", "received_at"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    source: Mapped[str] = mapped_column(String(100), index=True)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)
    content_type: Mapped[str | None] = mapped_column(String(200))
    body: Mapped[bytes] = mapped_column(LargeBinary)
    size: Mapped[int] = mapped_column(Integer)
    truncated: Mapped[bool] = mapped_column(default=False)
    status: Mapped[str] = mapped_column(String(20))
    error_code: Mapped[str] = mapped_column(String(50))
    message: Mapped[str] = mapped_column(Text)
    problems: Mapped[list[dict[str, Any]]] = mapped_column(JSONDocument, default=list)
    replayed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    replay_outcome: Mapped[str | None] = mapped_column(Text)
    replayed_by: Mapped[str | None] = mapped_column(String(200))
    discarded_reason: Mapped[str | None] = mapped_column(Text)
