"""ONVIF PTZ service (ver20): continuous and absolute moves, stop, status, presets, home.

Velocities and positions are in the generic spaces every ONVIF PTZ device supports: pan and
tilt -1..1, zoom -1..1 as a velocity and 0..1 as a position."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from watchfloor.connectors.onvif.device import OnvifDevice, OnvifError, OnvifFailure
from watchfloor.connectors.onvif.wire import PtzWire

PTZ_NAMESPACE = "http://www.onvif.org/ver20/ptz/wsdl"
MAX_MOVE_S = 60.0


@dataclass(frozen=True)
class PtzPosition:
    """Where the head points now and whether it is moving."""

    pan: float | None
    tilt: float | None
    zoom: float | None
    moving: bool


@dataclass(frozen=True)
class PtzPreset:
    """A stored position the head can go back to."""

    token: str
    name: str


def _velocity(name: str, value: float) -> float:
    if not math.isfinite(value) or not -1.0 <= value <= 1.0:
        raise ValueError(f"{name} velocity must be within -1..1")
    return float(value)


def _position(name: str, value: float, low: float) -> float:
    if not math.isfinite(value) or not low <= value <= 1.0:
        raise ValueError(f"{name} position must be within {low:g}..1")
    return float(value)


class OnvifPtz:
    """PTZ commands for one media profile of a device."""

    def __init__(self, device: OnvifDevice, profile_token: str) -> None:
        self.device = device
        self.profile_token = profile_token

    @classmethod
    async def first_profile(cls, device: OnvifDevice) -> OnvifPtz:
        """PTZ on the device's first profile with a PTZ configuration, its service client open
        (so the first command costs only its round trip); NOT_SUPPORTED if none."""
        await device.connect()
        if PTZ_NAMESPACE not in device.services():
            raise OnvifError(OnvifFailure.NOT_SUPPORTED, f"{device.where} has no PTZ service")
        profiles = await device.profiles()
        token = next((p.token for p in profiles if p.ptz), None)
        if token is None:
            raise OnvifError(OnvifFailure.NOT_SUPPORTED, f"{device.where}: no PTZ profile")
        await device.service("ptz")
        return cls(device, token)

    async def _service(self) -> Any:
        return await self.device.service("ptz")

    async def continuous_move(
        self, pan: float, tilt: float, zoom: float = 0.0, *, timeout_s: float = 5.0
    ) -> None:
        """Move at these velocities (each -1..1) until stop or until timeout_s has passed."""
        if not 0 < timeout_s <= MAX_MOVE_S:
            raise ValueError(f"a move lasts more than 0 and at most {MAX_MOVE_S:.0f} s")
        velocity = {
            "PanTilt": {"x": _velocity("pan", pan), "y": _velocity("tilt", tilt)},
            "Zoom": {"x": _velocity("zoom", zoom)},
        }
        request = {
            "ProfileToken": self.profile_token,
            "Velocity": velocity,
            "Timeout": timedelta(seconds=timeout_s),
        }
        ptz = await self._service()
        await self.device.call("ContinuousMove", ptz.ContinuousMove(request))

    async def absolute_move(self, pan: float, tilt: float, zoom: float) -> None:
        """Go to a position: pan and tilt -1..1, zoom 0..1 (generic position spaces)."""
        pan, tilt = _position("pan", pan, -1.0), _position("tilt", tilt, -1.0)
        zoom = _position("zoom", zoom, 0.0)
        wire = PtzWire(await self._service())
        move = wire.absolute_move(self.profile_token, pan, tilt, zoom)
        await self.device.call("AbsoluteMove", move)

    async def stop(self) -> None:
        """Stop pan, tilt and zoom."""
        ptz = await self._service()
        request = {"ProfileToken": self.profile_token, "PanTilt": True, "Zoom": True}
        await self.device.call("Stop", ptz.Stop(request))

    async def status(self) -> PtzPosition:
        """The current position and move status."""
        ptz = await self._service()
        answer = await self.device.call("GetStatus", ptz.GetStatus(self._profile()))
        position = getattr(answer, "Position", None)
        pan_tilt = getattr(position, "PanTilt", None)
        zoom = getattr(position, "Zoom", None)
        move = getattr(answer, "MoveStatus", None)
        states = {str(getattr(move, axis, "") or "").upper() for axis in ("PanTilt", "Zoom")}
        return PtzPosition(
            pan=_float(getattr(pan_tilt, "x", None)),
            tilt=_float(getattr(pan_tilt, "y", None)),
            zoom=_float(getattr(zoom, "x", None)),
            moving="MOVING" in states,
        )

    async def presets(self) -> list[PtzPreset]:
        """The stored presets, in the device's order."""
        ptz = await self._service()
        answer = await self.device.call("GetPresets", ptz.GetPresets(self._profile()))
        return [
            PtzPreset(token=str(item.token), name=str(getattr(item, "Name", "") or item.token))
            for item in answer or []
        ]

    async def goto_preset(self, token: str) -> None:
        """Go to a stored preset."""
        wire = PtzWire(await self._service())
        await self.device.call("GotoPreset", wire.goto_preset(self.profile_token, token))

    async def set_preset(self, name: str) -> str:
        """Store the current position under a name; the device's token for it."""
        ptz = await self._service()
        request = {"ProfileToken": self.profile_token, "PresetName": name}
        answer = await self.device.call("SetPreset", ptz.SetPreset(request))
        token = str(getattr(answer, "PresetToken", answer) or "")
        if not token:
            raise OnvifError(OnvifFailure.FAULT, f"SetPreset at {self.device.where}: no token")
        return token

    async def go_home(self) -> None:
        """Go to the home position."""
        ptz = await self._service()
        await self.device.call("GotoHomePosition", ptz.GotoHomePosition(self._profile()))

    async def set_home(self) -> None:
        """Make the current position the home position (where the device supports it)."""
        ptz = await self._service()
        try:
            await self.device.call("SetHomePosition", ptz.SetHomePosition(self._profile()))
        except OnvifError as error:
            if error.failure is OnvifFailure.FAULT and "not supported" in error.detail.lower():
                detail = f"{self.device.where}: setting the home position"
                raise OnvifError(OnvifFailure.NOT_SUPPORTED, detail) from None
            raise

    def _profile(self) -> dict[str, str]:
        return {"ProfileToken": self.profile_token}


def _float(value: Any) -> float | None:
    return float(value) if value is not None else None
