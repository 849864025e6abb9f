"""What alert sources report (gunshot sensors, panic buttons, CAP and IoT sensors, video analytics,
geofences), independent of the wire format, and what Watchfloor says about its alerts on the bus.

Connectors build `AlertReport`s; the alert desk stores them (reports with the same source and
source reference merge into one alert) and publishes `AlertChanged` under the kinds below."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class AlertKind(StrEnum):
    """Where an alert comes from, in the RTCC's words."""

    GUNSHOT = "gunshot"
    PANIC = "panic"
    SENSOR = "sensor"  # an IoT / smart-city sensor (MQTT or HTTP)
    CAP = "cap"  # a public alert (OASIS CAP 1.2)
    ANALYTICS = "analytics"  # video analytics (ONVIF rule engine, Frigate)
    GEOFENCE = "geofence"  # a geofence rule fired (hotlisted read in a zone, monitored person)


class AlertStatus(StrEnum):
    """An alert's place in the operator's work."""

    NEW = "new"  # nobody has acknowledged it
    ACKNOWLEDGED = "acknowledged"
    DISMISSED = "dismissed"  # false alarm, test, or not for this center (reason recorded)
    MERGED = "merged"  # a duplicate: its sources now belong to `merged_into`
    CLOSED = "closed"  # handled (its activity ended and nothing is left to do)


# Bus kinds of alert events (payload AlertChanged).
ALERT_RAISED = "alert.raised"  # a new alert
ALERT_UPDATED = "alert.updated"  # a later report about the same detection/activity, or an edit
ALERT_ACKNOWLEDGED = "alert.acknowledged"
ALERT_ESCALATED = "alert.escalated"
ALERT_ATTACHED = "alert.attached"  # joined an incident
ALERT_MERGED = "alert.merged"  # a duplicate went into another alert
ALERT_DISMISSED = "alert.dismissed"
ALERT_CLOSED = "alert.closed"


class _Payload(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class AlertReport(_Payload):
    """One report from an alert source, as a connector translated it (not yet stored)."""

    kind: AlertKind
    source: str = Field(min_length=1, max_length=100, description="feed, e.g. 'gunshot-http'")
    source_ref: str = Field(
        min_length=1,
        max_length=200,
        description="the source's id of the detection or activity; reports sharing it merge",
    )
    occurred_at: datetime = Field(description="when it happened, source clock, timezone-aware")
    title: str = Field(min_length=1, max_length=300, description="one line for the operator")
    priority: int | None = Field(None, ge=1, le=5, description="the source's own priority")
    severity: str | None = Field(None, max_length=50, description="the source's own severity")
    lat: float | None = Field(None, ge=-90, le=90)
    lon: float | None = Field(None, ge=-180, le=180)
    location_error_m: float | None = Field(None, ge=0)
    address: str | None = Field(None, max_length=500)
    beat: str | None = Field(None, max_length=100)
    subject: str | None = Field(
        None, max_length=200, description="camera code, device id, sensor id or person reference"
    )
    ended: bool = Field(False, description="the activity is over (Frigate end, CAP cancel ...)")
    details: dict[str, Any] = Field(
        default_factory=dict, description="kind-specific normalised fields (gunshot: rounds ...)"
    )


class AlertChanged(_Payload):
    """An alert as the floor sees it after a change (bus payload of every `alert.*` kind)."""

    alert_id: str
    kind: AlertKind
    status: AlertStatus
    priority: int
    title: str
    occurred_at: datetime
    updated_at: datetime
    lat: float | None
    lon: float | None
    address: str | None
    subject: str | None
    incident_id: str | None
    sources: list[str]
    report_count: int
    acknowledged_by: str | None = None
    escalated_at: datetime | None = None
    merged_into: str | None = None
    details: dict[str, Any] = Field(default_factory=dict)
