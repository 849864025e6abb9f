"""Tables of AVL intake: which NMEA sender (router address or device id) is which unit."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from watchfloor.db.base import Base, UTCDateTime


class AvlSource(Base):
    """An admin's mapping of an NMEA sender (an IP address or a device id) to a unit code."""

    __tablename__ = "avl_source"

    source: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))
    unit: Mapped[str] = mapped_column(String(64))
    note: Mapped[str | None] = mapped_column(String(200))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_by: Mapped[str] = mapped_column(String(200))
