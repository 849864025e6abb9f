"""Tables of playbooks: the checklists per incident type, and each incident's run of one."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from watchfloor.db.base import Base, JSONDocument, UTCDateTime


class Playbook(Base):
    """A response checklist: the incident types and priorities it is for, and its timed steps."""

    __tablename__ = "playbook"

    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    type_codes: Mapped[list[str]] = mapped_column(JSONDocument, default=list)
    priorities: Mapped[list[int]] = mapped_column(JSONDocument, default=list)
    steps: Mapped[list[dict[str, Any]]] = mapped_column(JSONDocument, default=list)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_by: Mapped[str] = mapped_column(String(200))


class PlaybookRun(Base):
    """The playbook one incident is worked by (at most one run per incident)."""

    __tablename__ = "playbook_run"
    __table_args__ = (UniqueConstraint("incident_id"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    incident_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("incident.id", ondelete="CASCADE")
    )
    playbook_code: Mapped[str] = mapped_column(String(64))
    playbook_version: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)


class PlaybookStep(Base):
    """One step of a run: when it is due, and who did (or skipped) it when."""

    __tablename__ = "playbook_step"
    __table_args__ = (
        UniqueConstraint("run_id", "key"),
        Index("ix_playbook_step_due", "state", "due_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    run_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("playbook_run.id", ondelete="CASCADE")
    )
    position: Mapped[int] = mapped_column(Integer)
    key: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(200))
    detail: Mapped[str | None] = mapped_column(Text)
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    state: Mapped[str] = mapped_column(String(10))
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    done_by: Mapped[str | None] = mapped_column(String(200))
    note: Mapped[str | None] = mapped_column(Text)
    lapsed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
