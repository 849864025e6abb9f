"""What camera health tells the rest of Watchfloor: a camera's status changed (for the map)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict

STATUS_CHANGED = "camera.status.changed"


class CameraStatusChanged(BaseModel):
    """A camera turned ok, degraded or offline (kind `camera.status.changed`)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    camera_code: str
    status: str
    previous: str
    problems: list[str]
    checked_at: datetime | None
    lat: float | None
    lon: float | None
    ticket_id: int | None
