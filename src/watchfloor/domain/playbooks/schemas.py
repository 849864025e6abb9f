"""Shapes of playbooks, their runs on incidents, and the after-action timeline."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

STEP_KEY = r"^[a-z0-9][a-z0-9_-]{0,39}$"
PLAYBOOK_CODE = r"^[a-z0-9][a-z0-9_-]{0,63}$"
MAX_DUE_AFTER_S = 7 * 24 * 3600


class StepState(StrEnum):
    """Where a step stands: open, done, lapsed (overdue, still open) or skipped."""

    OPEN = "open"
    DONE = "done"
    LAPSED = "lapsed"
    SKIPPED = "skipped"


class StepSpec(BaseModel):
    """One step of a playbook: what to do and how long after the start it is due."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    key: str = Field(pattern=STEP_KEY, description="unique in the playbook: a-z, 0-9, - and _")
    title: str = Field(min_length=1, max_length=200)
    detail: str | None = Field(None, max_length=2000)
    due_after_s: int | None = Field(
        None, ge=0, le=MAX_DUE_AFTER_S, description="seconds after the run starts; none: no timer"
    )


class PlaybookBody(BaseModel):
    """A playbook as a supervisor edits it (PUT names the code in the path)."""

    model_config = ConfigDict(extra="forbid")

    title: str = Field(min_length=1, max_length=200)
    description: str | None = Field(None, max_length=2000)
    type_codes: list[str] = Field(
        default_factory=list,
        max_length=50,
        description="CAD incident type codes it is for (any case); empty: any type",
    )
    priorities: list[int] = Field(
        default_factory=list, max_length=5, description="incident priorities it is for; empty: any"
    )
    steps: list[StepSpec] = Field(min_length=1, max_length=50)
    active: bool = True


class PlaybookIn(PlaybookBody):
    """A new playbook."""

    code: str = Field(pattern=PLAYBOOK_CODE)


class PlaybookOut(BaseModel):
    """A stored playbook."""

    model_config = ConfigDict(from_attributes=True)

    code: str
    title: str
    description: str | None
    type_codes: list[str]
    priorities: list[int]
    steps: list[StepSpec]
    active: bool
    version: int
    updated_at: datetime
    updated_by: str


class StepOut(BaseModel):
    """One step of an incident's run as the console shows it."""

    model_config = ConfigDict(from_attributes=True)

    key: str
    title: str
    detail: str | None
    due_at: datetime | None
    done_at: datetime | None
    done_by: str | None
    note: str | None
    state: StepState
    lapsed_at: datetime | None


class RunOut(BaseModel):
    """An incident's playbook run."""

    incident_id: str
    playbook: str
    title: str
    started_at: datetime
    steps: list[StepOut]


class CompleteIn(BaseModel):
    """A step done, with an optional note."""

    model_config = ConfigDict(extra="forbid")

    note: str | None = Field(None, max_length=2000)


class SkipIn(BaseModel):
    """A step skipped: why is required."""

    model_config = ConfigDict(extra="forbid")

    reason: str = Field(min_length=3, max_length=2000)


class PlaybookChanged(BaseModel):
    """Bus payload of every playbook.* event: the run as it stands after the change."""

    incident_id: str
    step_key: str | None = None
    run: RunOut


class AfterActionEntry(BaseModel):
    """One thing that happened on an incident, from any source."""

    at: datetime
    kind: str
    actor: str
    summary: str
    details: dict[str, Any] = Field(default_factory=dict)


class AfterActionOut(BaseModel):
    """Every event, alert, view and action on an incident, in time order."""

    incident_id: str
    entries: list[AfterActionEntry]
