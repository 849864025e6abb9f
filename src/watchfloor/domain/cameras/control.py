"""Camera control over ONVIF: what a registered camera is, its stream addresses, and PTZ.

The camera's ONVIF address (with its login) comes from the registry; one connected client is kept
per camera and dropped when a call finds the camera unreachable or refusing the login, or when
the registered address changes. Failures become domain errors that name the camera and what
failed, never an address's credentials. Auditing is the caller's (the routes')."""

from __future__ import annotations

import asyncio
import math
from collections.abc import Awaitable
from dataclasses import dataclass
from typing import TypeVar

from watchfloor.connectors.onvif.device import (
    DeviceInfo,
    MediaProfile,
    OnvifDevice,
    OnvifError,
    OnvifFailure,
)
from watchfloor.connectors.onvif.ptz import (
    MAX_MOVE_S,
    PTZ_NAMESPACE,
    OnvifPtz,
    PtzPosition,
    PtzPreset,
)
from watchfloor.core.errors import Conflict, DomainError, FieldProblem, InvalidInput, Unavailable
from watchfloor.domain.cameras.service import CameraRegistry, CameraSecrets
from watchfloor.settings import VideoSettings

T = TypeVar("T")
_DROPS_CLIENT = frozenset({OnvifFailure.UNREACHABLE, OnvifFailure.UNAUTHORIZED})
_CONFLICTS = frozenset({OnvifFailure.INVALID_ADDRESS, OnvifFailure.NOT_SUPPORTED})


@dataclass(frozen=True)
class DeviceSummary:
    """What a camera's ONVIF device says about itself (no stream addresses)."""

    code: str
    info: DeviceInfo
    profiles: tuple[MediaProfile, ...]
    ptz_service: bool


@dataclass
class _Connection:
    url: str
    device: OnvifDevice
    ptz: OnvifPtz | None = None


def _domain_error(code: str, error: OnvifError) -> DomainError:
    message = f"camera {code}: ONVIF {error}"
    if error.failure in _CONFLICTS:
        return Conflict(message, f"onvif_{error.failure.value}")
    return Unavailable(message, f"onvif_{error.failure.value}")


def _check_move(pan: float, tilt: float, zoom: float, timeout_s: float) -> None:
    problems = [
        FieldProblem(f"/{name}", "must be a velocity from -1 to 1")
        for name, value in (("pan", pan), ("tilt", tilt), ("zoom", zoom))
        if not (math.isfinite(value) and -1.0 <= value <= 1.0)
    ]
    if not (math.isfinite(timeout_s) and 0 < timeout_s <= MAX_MOVE_S):
        problems.append(
            FieldProblem("/timeout_s", f"must be more than 0 and at most {MAX_MOVE_S:.0f}")
        )
    if problems:
        raise InvalidInput("the move is not valid", problems)


class CameraControl:
    """Reads registered cameras' ONVIF devices and drives their PTZ heads."""

    def __init__(self, registry: CameraRegistry, settings: VideoSettings) -> None:
        self._registry = registry
        self._timeout_s = settings.open_timeout_s
        self._connections: dict[str, _Connection] = {}
        self._locks: dict[str, asyncio.Lock] = {}
        self._known: dict[str, tuple[int, CameraSecrets]] = {}

    async def device(self, code: str) -> DeviceSummary:
        """Manufacturer, model, firmware and media profiles of a camera's ONVIF device."""
        connection = await self._connection(await self._secrets(code))
        info = await self._run(code, connection.device.info())
        profiles = await self._run(code, connection.device.profiles())
        ptz = PTZ_NAMESPACE in connection.device.services()
        return DeviceSummary(code=code, info=info, profiles=tuple(profiles), ptz_service=ptz)

    async def discover_streams(self, code: str) -> list[str]:
        """The RTSP address of each media profile (secrets: store them, never show them)."""
        device = (await self._connection(await self._secrets(code))).device
        uris: list[str] = []
        for profile in await self._run(code, device.profiles()):
            uri = await self._run(code, device.stream_uri(profile.token))
            if uri not in uris:
                uris.append(uri)
        return uris

    async def ptz_move(
        self, code: str, pan: float, tilt: float, zoom: float = 0.0, timeout_s: float = 5.0
    ) -> None:
        """Move the head at these velocities (-1..1) until stopped or timeout_s has passed."""
        _check_move(pan, tilt, zoom, timeout_s)
        ptz = await self._ptz(code)
        await self._run(code, ptz.continuous_move(pan, tilt, zoom, timeout_s=timeout_s))

    async def prepare(self, code: str) -> None:
        """Open the camera's PTZ session ahead of need (a slew-to-cue camera): its first command
        then costs a round trip, not a connection, service discovery and profile lookup."""
        await self._ptz(code)

    def connected(self, code: str) -> bool:
        """Whether a session to the camera is open (its next command needs no connecting)."""
        return code in self._connections

    async def ptz_absolute(self, code: str, pan: float, tilt: float, zoom: float) -> None:
        """Turn the head to a position: pan and tilt -1..1, zoom 0..1 (generic spaces)."""
        problems = [
            FieldProblem(f"/{name}", f"must be a position from {low:g} to 1")
            for name, value, low in (("pan", pan, -1.0), ("tilt", tilt, -1.0), ("zoom", zoom, 0.0))
            if not (math.isfinite(value) and low <= value <= 1.0)
        ]
        if problems:
            raise InvalidInput("the position is not valid", problems)
        await self._run(code, (await self._ptz(code)).absolute_move(pan, tilt, zoom))

    async def ptz_stop(self, code: str) -> None:
        """Stop the head."""
        await self._run(code, (await self._ptz(code)).stop())

    async def ptz_status(self, code: str) -> PtzPosition:
        """Where the head points and whether it moves."""
        return await self._run(code, (await self._ptz(code)).status())

    async def presets(self, code: str) -> list[PtzPreset]:
        """The head's stored presets."""
        return await self._run(code, (await self._ptz(code)).presets())

    async def goto_preset(self, code: str, token: str) -> None:
        """Turn the head to a stored preset."""
        await self._run(code, (await self._ptz(code)).goto_preset(token))

    async def set_preset(self, code: str, name: str) -> str:
        """Store where the head points under a name; the preset's token."""
        if not name.strip() or len(name) > 64:
            raise InvalidInput("bad preset name", [FieldProblem("/name", "1 to 64 characters")])
        return await self._run(code, (await self._ptz(code)).set_preset(name.strip()))

    async def go_home(self, code: str) -> None:
        """Turn the head to its home position."""
        await self._run(code, (await self._ptz(code)).go_home())

    async def set_home(self, code: str) -> None:
        """Make where the head points its home position (409 where the camera cannot)."""
        await self._run(code, (await self._ptz(code)).set_home())

    async def forget(self, code: str) -> None:
        """Drop a camera's client (its address changed, or it was retired)."""
        connection = self._connections.pop(code, None)
        if connection is not None:
            await connection.device.close()

    async def close(self) -> None:
        """Close every client."""
        for code in list(self._connections):
            await self.forget(code)

    async def _secrets(self, code: str) -> CameraSecrets:
        # Each command needs the address; the registry's revision moves on every camera write,
        # so an unchanged revision means the address read last time still holds.
        revision = self._registry.revision
        known = self._known.get(code)
        if known is not None and known[0] == revision:
            secrets = known[1]
        else:
            secrets = await self._registry.secrets(code)
            self._known[code] = (revision, secrets)
        if not secrets.onvif:
            raise Conflict(f"camera {code} has no ONVIF address", "camera_no_onvif")
        return secrets

    async def _connection(self, secrets: CameraSecrets) -> _Connection:
        code, url = secrets.code, secrets.onvif or ""
        async with self._locks.setdefault(code, asyncio.Lock()):
            current = self._connections.get(code)
            if current is not None and current.url == url:
                return current
            await self.forget(code)
            device = OnvifDevice.from_url(url, timeout_s=self._timeout_s)
            try:
                await device.connect()
            except OnvifError as error:
                raise _domain_error(code, error) from None
            except BaseException:
                # Cancelled (a stop): the opening goes on, shielded; close what it opens, or
                # the device's HTTP sessions would be left to the garbage collector.
                await device.close()
                raise
            self._connections[code] = _Connection(url=url, device=device)
            return self._connections[code]

    async def _ptz(self, code: str) -> OnvifPtz:
        secrets = await self._secrets(code)
        if not secrets.ptz:
            raise Conflict(f"camera {code} is not a PTZ camera", "camera_not_ptz")
        connection = await self._connection(secrets)
        if connection.ptz is None:
            connection.ptz = await self._run(code, OnvifPtz.first_profile(connection.device))
        return connection.ptz

    async def _run(self, code: str, call: Awaitable[T]) -> T:
        try:
            return await call
        except OnvifError as error:
            if error.failure in _DROPS_CLIENT:
                await self.forget(code)
            raise _domain_error(code, error) from None
