"""Tables of the audit log: the append-only records and the one-row head of their hash chain."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from watchfloor.db.base import Base, JSONDocument, UTCDateTime


class AuditRecord(Base):
    """One audited event; rows are only ever inserted (triggers refuse UPDATE and DELETE)."""

    __tablename__ = "audit_record"
    __table_args__ = (
        Index("ix_audit_record_occurred_at", "occurred_at"),
        Index("ix_audit_record_actor_username", "actor_username"),
        Index("ix_audit_record_action", "action"),
        Index("ix_audit_record_object", "object_type", "object_id"),
    )

    seq: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    id: Mapped[str] = mapped_column(String(36), unique=True)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime)
    actor_user_id: Mapped[str | None] = mapped_column(String(36))
    actor_username: Mapped[str] = mapped_column(String(200))
    actor_role: Mapped[str | None] = mapped_column(String(20))
    actor_designator: Mapped[str | None] = mapped_column(String(20))
    action: Mapped[str] = mapped_column(String(100))
    object_type: Mapped[str | None] = mapped_column(String(100))
    object_id: Mapped[str | None] = mapped_column(String(200))
    outcome: Mapped[str] = mapped_column(String(10))
    reason: Mapped[str | None] = mapped_column(Text)
    case_number: Mapped[str | None] = mapped_column(String(100))
    address: Mapped[str | None] = mapped_column(String(100))
    user_agent: Mapped[str | None] = mapped_column(String(300))
    request_id: Mapped[str | None] = mapped_column(String(64))
    details: Mapped[dict[str, Any]] = mapped_column(JSONDocument)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class AuditChainHead(Base):
    """The last appended record's sequence number and hash (row id 1); catches tail tampering."""

    __tablename__ = "audit_chain_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    seq: Mapped[int] = mapped_column(BigInteger)
    hash: Mapped[str] = mapped_column(String(64))
