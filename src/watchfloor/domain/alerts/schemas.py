"""API shapes of alerts (JSON field names are fixed by the issue 6 contract)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from watchfloor.events.alerts import AlertKind, AlertStatus


class AlertReceipt(BaseModel):
    """What the desk did with one received report."""

    alert_id: str
    source_ref: str
    outcome: Literal["created", "updated", "duplicate"]


class AlertSourceOut(BaseModel):
    """One source feeding an alert: its reference, when it first reported, how many reports."""

    source: str
    source_ref: str
    received_at: datetime
    reports: int


class AlertOut(BaseModel):
    """An alert as the operator sees it."""

    id: str
    kind: AlertKind
    status: AlertStatus
    priority: int
    severity: str | None
    title: str
    occurred_at: datetime
    received_at: datetime
    updated_at: datetime
    lat: float | None
    lon: float | None
    location_error_m: float | None
    address: str | None
    beat: str | None
    subject: str | None
    incident_id: str | None
    merged_into: str | None
    acknowledged_by: str | None
    acknowledged_at: datetime | None
    escalated_at: datetime | None
    escalated_to: list[str]
    dismissed_reason: str | None
    sources: list[AlertSourceOut]
    details: dict[str, Any]


class AlertNearby(AlertOut):
    """An alert with its distance from the point asked about."""

    distance_m: float


class DismissIn(BaseModel):
    """Why an operator dismisses an alert (false alarm, test, not ours ...)."""

    model_config = ConfigDict(extra="forbid")

    reason: str = Field(min_length=3, max_length=500)


class IntakeResult(BaseModel):
    """Answer to a gunshot or panic webhook: one receipt per report, in order."""

    alerts: list[AlertReceipt]
