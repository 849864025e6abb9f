"""Tables of Community Connect: registered sites and their cameras, owner links, footage requests
and the files owners upload for them.

A site's owner is reached only through Watchfloor's e-mail: operators see what a camera covers and
how long it keeps video, never the owner's contact details. Tokens are stored as SHA-256 digests,
never as sent."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import BigInteger, Boolean, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from watchfloor.db.base import Base, JSONDocument, UTCDateTime


def new_id() -> str:
    """A new random identifier (UUID4 text)."""
    return str(uuid.uuid4())


class CommunitySite(Base):
    """A registered home or business: who to ask, where it is, what it agrees to."""

    __tablename__ = "community_site"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    kind: Mapped[str] = mapped_column(String(20))  # residence | business
    name: Mapped[str | None] = mapped_column(String(200))  # a business's name; none for homes
    contact_name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(320), index=True)
    phone: Mapped[str | None] = mapped_column(String(40))
    address: Mapped[str] = mapped_column(String(300))
    address_key: Mapped[str] = mapped_column(String(300))
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)
    retention_days: Mapped[int] = mapped_column(Integer)
    accepts: Mapped[list[str]] = mapped_column(JSONDocument, default=list)
    contact_times: Mapped[str | None] = mapped_column(String(300))
    status: Mapped[str] = mapped_column(String(20), index=True)  # pending | active | paused
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class CommunityCamera(Base):
    """One registered camera: where it looks and what it covers. `listed` mirrors an active site,
    so the proximity query reads one table and one index."""

    __tablename__ = "community_camera"
    __table_args__ = (Index("ix_community_camera_listed", "listed", "lat", "lon"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    site_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("community_site.id", ondelete="CASCADE"), index=True
    )
    label: Mapped[str] = mapped_column(String(100))
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)
    bearing: Mapped[float | None] = mapped_column(Float)  # degrees from north; none = all round
    fov_angle: Mapped[float | None] = mapped_column(Float)
    range_m: Mapped[float | None] = mapped_column(Float)
    covers: Mapped[list[str]] = mapped_column(JSONDocument, default=list)
    listed: Mapped[bool] = mapped_column(Boolean, default=False)


class CommunityLink(Base):
    """A private link sent to an owner: to confirm and manage a registration (`owner`), or to
    answer one footage request (`upload`). Only the digest is kept; a new link of the same
    purpose replaces the old."""

    __tablename__ = "community_link"

    digest: Mapped[str] = mapped_column(String(64), primary_key=True)
    purpose: Mapped[str] = mapped_column(String(20))  # owner | upload
    site_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("community_site.id", ondelete="CASCADE"), index=True
    )
    request_id: Mapped[str | None] = mapped_column(
        String(36), ForeignKey("community_request.id", ondelete="CASCADE"), index=True
    )
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class FootageRequest(Base):
    """The RTCC's request to one site for footage of an incident's time window. The row outlives
    a deleted site (site_id becomes null) so the police side stays accountable."""

    __tablename__ = "community_request"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    site_id: Mapped[str | None] = mapped_column(
        String(36), ForeignKey("community_site.id", ondelete="SET NULL"), index=True
    )
    camera_ids: Mapped[list[str]] = mapped_column(JSONDocument, default=list)
    incident_id: Mapped[str] = mapped_column(String(36), index=True)
    incident_type: Mapped[str] = mapped_column(String(200))  # what the owner is told
    kind: Mapped[str] = mapped_column(String(30))  # a RequestKind the site accepts
    window_from: Mapped[datetime] = mapped_column(UTCDateTime)
    window_to: Mapped[datetime] = mapped_column(UTCDateTime)
    reason: Mapped[str] = mapped_column(Text)
    requested_by: Mapped[str] = mapped_column(String(200))
    # sent | opened | uploaded | declined | expired | withdrawn
    status: Mapped[str] = mapped_column(String(20), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    footage_lost_at: Mapped[datetime] = mapped_column(UTCDateTime)  # owner's retention runs out
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    decline_note: Mapped[str | None] = mapped_column(Text)
    useful: Mapped[bool | None] = mapped_column(Boolean)


class FootageUpload(Base):
    """One file an owner sends for a request, received in chunks; `received` bytes are on disk
    and fsynced. Completed files become evidence items."""

    __tablename__ = "community_upload"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    request_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("community_request.id", ondelete="CASCADE"), index=True
    )
    filename: Mapped[str] = mapped_column(String(255))
    size: Mapped[int] = mapped_column(BigInteger)
    received: Mapped[int] = mapped_column(BigInteger, default=0)
    media_type: Mapped[str | None] = mapped_column(String(100))  # as sniffed, not as declared
    sha256: Mapped[str | None] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(20))  # receiving | stored | rejected
    problem: Mapped[str | None] = mapped_column(Text)
    evidence_code: Mapped[str | None] = mapped_column(String(40))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
