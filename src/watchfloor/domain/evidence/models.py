"""Tables of video evidence: items, custody log, packages.

An item's bytes live outside the database, in the evidence directory, read-only; the row keeps
the SHA-256 taken when the item was created, so any later change to the file can be shown."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Boolean, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from watchfloor.db.base import Base, JSONDocument, UTCDateTime


class EvidenceItem(Base):
    """One clip, snapshot, export or upload kept as evidence."""

    __tablename__ = "evidence_item"
    __table_args__ = (
        Index("ix_evidence_item_incident", "incident_ref", "created_at"),
        Index("ix_evidence_item_camera", "camera_code", "created_at"),
        Index("ix_evidence_item_created", "created_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    media_type: Mapped[str] = mapped_column(String(100))
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))
    stored_path: Mapped[str] = mapped_column(String(300))
    camera_code: Mapped[str | None] = mapped_column(String(64))
    incident_ref: Mapped[str | None] = mapped_column(String(100))
    alert_ref: Mapped[str | None] = mapped_column(String(100))
    captured_from: Mapped[datetime | None] = mapped_column(UTCDateTime)
    captured_to: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by: Mapped[str] = mapped_column(String(100))
    note: Mapped[str | None] = mapped_column(String(2000))
    legal_hold: Mapped[bool] = mapped_column(Boolean, default=False)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class CustodyEntry(Base):
    """One link of an item's chain of custody: who did what with it, when, for whom and why."""

    __tablename__ = "evidence_custody"
    __table_args__ = (Index("ix_evidence_custody_item", "item_id", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    item_id: Mapped[int] = mapped_column(Integer, ForeignKey("evidence_item.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    actor_username: Mapped[str] = mapped_column(String(100))
    actor_role: Mapped[str | None] = mapped_column(String(20))
    action: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str | None] = mapped_column(String(500))
    recipient: Mapped[str | None] = mapped_column(String(200))
    detail: Mapped[dict[str, Any]] = mapped_column(JSONDocument, default=dict)


class EvidencePackage(Base):
    """An archive of items, their manifest, hashes and custody, built for one recipient."""

    __tablename__ = "evidence_package"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    status: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by: Mapped[str] = mapped_column(String(100))
    recipient: Mapped[str] = mapped_column(String(200))
    purpose: Mapped[str] = mapped_column(String(500))
    item_codes: Mapped[list[str]] = mapped_column(JSONDocument, default=list)
    stored_path: Mapped[str | None] = mapped_column(String(300))
    sha256: Mapped[str | None] = mapped_column(String(64))
    size_bytes: Mapped[int | None] = mapped_column(BigInteger)
