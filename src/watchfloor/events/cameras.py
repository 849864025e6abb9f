"""What cameras report about themselves (ONVIF event service): motion, tampering and video loss,
as typed events for the bus.

A camera event is a state change: `active` is True when the condition starts (motion seen, scene
changed, image too dark or too blurry, signal lost) and False when it ends. On the bus its kind
is `camera.<kind>.started` or `camera.<kind>.ended`; its source is the camera's code."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from watchfloor.core.events import Event
from watchfloor.core.geo import GeoPoint


class CameraEventKind(StrEnum):
    """What a camera reported, in RTCC words."""

    MOTION = "motion"
    TAMPER_SCENE_CHANGE = "tamper_scene_change"
    TAMPER_TOO_DARK = "tamper_too_dark"
    TAMPER_TOO_BLURRY = "tamper_too_blurry"
    SIGNAL_LOSS = "signal_loss"
    # video analytics (ONVIF rule engine); face recognition is deliberately not among them
    LINE_CROSSED = "line_crossed"  # a momentary event: it starts and never ends
    OBJECTS_INSIDE = "objects_inside"  # an intrusion field holds objects
    LOITERING = "loitering"
    OBJECT_DETECTED = "object_detected"  # a momentary event (class in data ClassTypes)
    OTHER = "other"


class CameraEvent(BaseModel):
    """One event a camera reported: which camera, what, whether it holds now, and when."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    camera: str = Field(min_length=1, max_length=64)
    kind: CameraEventKind
    active: bool
    topic: str = Field(max_length=300)
    at: datetime
    operation: str | None = Field(None, description="ONVIF PropertyOperation, when given")
    source: dict[str, str] = Field(default_factory=dict)
    data: dict[str, str] = Field(default_factory=dict)

    @property
    def bus_kind(self) -> str:
        """The event kind on the bus: `camera.<kind>.started` or `camera.<kind>.ended`."""
        return f"camera.{self.kind.value}.{'started' if self.active else 'ended'}"


def camera_bus_event(
    event: CameraEvent, received_at: datetime, location: GeoPoint | None = None
) -> Event[CameraEvent]:
    """The bus envelope for a camera event (source: the camera's code; where it stands)."""
    return Event[CameraEvent](
        kind=event.bus_kind,
        source=event.camera,
        occurred_at=event.at,
        received_at=received_at,
        location=location,
        payload=event,
    )
