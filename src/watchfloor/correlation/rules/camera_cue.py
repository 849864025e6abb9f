"""Camera cue (slew-to-cue): which alerts cue cameras, and where each covering PTZ camera goes:
an AbsoluteMove aimed at the point when the camera is calibrated, else its cue preset nearest the
point. Planning is pure; the executor asks which cameras see the point and sends the commands."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal, Protocol

from watchfloor.core.geo import short_distance_m
from watchfloor.correlation.actions import CueCameras
from watchfloor.correlation.rules.base import RuleContext
from watchfloor.correlation.state import AlertState

CUEABLE = frozenset({"in_view", "ptz_can_turn"})


@dataclass(frozen=True, slots=True)
class Calibration:
    """How pan/tilt/zoom (ONVIF generic spaces) map to where the head looks."""

    pan_zero_bearing_deg: float
    pan_deg_per_unit: float = 180.0
    tilt_zero_deg: float = 0.0
    tilt_deg_per_unit: float = 90.0
    height_m: float = 6.0
    zoom_full_range_m: float | None = None


@dataclass(frozen=True, slots=True)
class CuePoint:
    """A stored preset of the camera and the ground point it looks at."""

    token: str
    name: str
    lat: float
    lon: float


@dataclass(frozen=True, slots=True)
class CueSetup:
    """A PTZ camera's slew-to-cue settings."""

    camera_code: str
    enabled: bool = True
    calibration: Calibration | None = None
    presets: tuple[CuePoint, ...] = ()


@dataclass(frozen=True, slots=True)
class Cue:
    """One command to send: a preset, or an absolute position."""

    camera_code: str
    method: Literal["preset", "absolute"]
    distance_m: float
    preset_token: str | None = None
    preset_name: str | None = None
    pan: float | None = None
    tilt: float | None = None
    zoom: float | None = None


class Seen(Protocol):
    """A camera's relation to the point (CameraSight's SightingOut has these)."""

    @property
    def code(self) -> str: ...

    @property
    def coverage(self) -> str: ...

    @property
    def distance_m(self) -> float: ...

    @property
    def bearing_to_point_deg(self) -> float: ...


def evaluate(alert: AlertState, ctx: RuleContext) -> CueCameras | None:
    """Cue cameras for alerts of the configured kinds that have a location."""
    if alert.kind not in ctx.tuning.cue_kinds or alert.lat is None or alert.lon is None:
        return None
    return CueCameras(alert.id, alert.lat, alert.lon)


def _clamp(value: float, low: float, high: float) -> float:
    return round(min(high, max(low, value)), 4)


def aim(calibration: Calibration, distance_m: float, bearing_deg: float) -> tuple[float, ...]:
    """Pan, tilt and zoom that point a calibrated head at a ground point."""
    turn = (bearing_deg - calibration.pan_zero_bearing_deg + 180.0) % 360.0 - 180.0
    pan = _clamp(turn / calibration.pan_deg_per_unit, -1.0, 1.0)
    depression = math.degrees(math.atan2(calibration.height_m, max(distance_m, 0.1)))
    tilt = _clamp((-depression - calibration.tilt_zero_deg) / calibration.tilt_deg_per_unit, -1, 1)
    full = calibration.zoom_full_range_m
    zoom = _clamp(distance_m / full, 0.0, 1.0) if full else 0.0
    return pan, tilt, zoom


def nearest_preset(
    presets: Iterable[CuePoint], lat: float, lon: float, max_m: float
) -> CuePoint | None:
    """The preset looking nearest the point, within max_m."""
    best: tuple[float, CuePoint] | None = None
    for preset in presets:
        distance = short_distance_m(lat, lon, preset.lat, preset.lon)
        if distance <= max_m and (best is None or distance < best[0]):
            best = (distance, preset)
    return best[1] if best else None


def plan(
    seen: Iterable[Seen], setups: Mapping[str, CueSetup], lat: float, lon: float, max_m: float
) -> list[Cue]:
    """The commands for every covering camera with an enabled cue setup."""
    cues: list[Cue] = []
    for sighting in seen:
        setup = setups.get(sighting.code)
        if setup is None or not setup.enabled or sighting.coverage not in CUEABLE:
            continue
        distance = round(sighting.distance_m, 1)
        if setup.calibration is not None:
            pan, tilt, zoom = aim(
                setup.calibration, sighting.distance_m, sighting.bearing_to_point_deg
            )
            cues.append(Cue(sighting.code, "absolute", distance, pan=pan, tilt=tilt, zoom=zoom))
            continue
        preset = nearest_preset(setup.presets, lat, lon, max_m)
        if preset is not None:
            cues.append(
                Cue(
                    sighting.code,
                    "preset",
                    distance,
                    preset_token=preset.token,
                    preset_name=preset.name,
                )
            )
    return cues
