"""What the correlation routes take and give."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from watchfloor.correlation.models import CameraCue
from watchfloor.correlation.rules.camera_cue import CueSetup


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CalibrationIn(_In):
    """How the camera's pan/tilt/zoom (ONVIF generic spaces) map to where it looks."""

    pan_zero_bearing_deg: float = Field(ge=0, lt=360, description="compass bearing at pan 0")
    pan_deg_per_unit: float = Field(180.0, gt=0, le=360, description="degrees per pan unit")
    tilt_zero_deg: float = Field(0.0, ge=-90, le=90, description="elevation at tilt 0")
    tilt_deg_per_unit: float = Field(90.0, gt=0, le=180, description="degrees per tilt unit")
    height_m: float = Field(6.0, gt=0, le=500, description="height above the ground")
    zoom_full_range_m: float | None = Field(
        None, gt=0, description="distance that needs full zoom (none: no zoom)"
    )


class CuePresetIn(_In):
    """A camera preset and the ground point it looks at."""

    token: str = Field(min_length=1, max_length=64)
    name: str = Field(min_length=1, max_length=64)
    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)


class CueIn(_In):
    """A PTZ camera's slew-to-cue settings."""

    enabled: bool = True
    calibration: CalibrationIn | None = None
    presets: list[CuePresetIn] = Field(default_factory=list, max_length=100)

    def apply(self, row: CameraCue) -> None:
        """Copy the settings onto the stored row (no calibration: the columns cleared)."""
        row.enabled = self.enabled
        cal = self.calibration
        row.pan_zero_bearing_deg = cal.pan_zero_bearing_deg if cal else None
        row.pan_deg_per_unit = cal.pan_deg_per_unit if cal else None
        row.tilt_zero_deg = cal.tilt_zero_deg if cal else None
        row.tilt_deg_per_unit = cal.tilt_deg_per_unit if cal else None
        row.height_m = cal.height_m if cal else None
        row.zoom_full_range_m = cal.zoom_full_range_m if cal else None


class CueOut(BaseModel):
    """A PTZ camera's slew-to-cue settings as stored."""

    camera_code: str
    enabled: bool
    calibration: CalibrationIn | None
    presets: list[CuePresetIn]

    @classmethod
    def of(cls, setup: CueSetup) -> CueOut:
        """From the engine's in-memory setup."""
        cal = setup.calibration
        return cls(
            camera_code=setup.camera_code,
            enabled=setup.enabled,
            calibration=CalibrationIn(
                pan_zero_bearing_deg=cal.pan_zero_bearing_deg,
                pan_deg_per_unit=cal.pan_deg_per_unit,
                tilt_zero_deg=cal.tilt_zero_deg,
                tilt_deg_per_unit=cal.tilt_deg_per_unit,
                height_m=cal.height_m,
                zoom_full_range_m=cal.zoom_full_range_m,
            )
            if cal
            else None,
            presets=[
                CuePresetIn(token=p.token, name=p.name, lat=p.lat, lon=p.lon) for p in setup.presets
            ],
        )


class CalloutOut(BaseModel):
    """One callout to one on-call supervisor."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    incident_id: str | None
    alert_id: str | None
    recipient_name: str
    recipient_email: str
    subject: str
    status: str
    attempts: int
    last_error: str | None
    created_at: datetime
    next_attempt_at: datetime | None
    sent_at: datetime | None
