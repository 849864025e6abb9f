"""An ONVIF device (Profile S/T device and media services) read into typed values: who it is,
its media profiles and the stream address of each.

The device address is `http://user:password@host:port/path` (the ONVIF device service, usually
`/onvif/device_service`); the login is sent as a WS-Security UsernameToken digest. Stream
addresses are secrets: they are returned, never logged, and every text about an address goes
through `redact`. A failure is an `OnvifError` naming what failed, never the credentials.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, TypeVar
from urllib.parse import unquote, urlsplit

import aiohttp
from onvif import ONVIFCamera  # type: ignore[import-untyped]
from onvif.exceptions import ONVIFError  # type: ignore[import-untyped]
from zeep.exceptions import Fault, TransportError, XMLParseError, XMLSyntaxError

from watchfloor.connectors.onvif.documents import parsed
from watchfloor.connectors.rtsp.source import redact

log = logging.getLogger(__name__)
T = TypeVar("T")

DEFAULT_PATH = "/onvif/device_service"
PULLPOINT_NAMESPACE = "http://www.onvif.org/ver10/events/wsdl/PullPointSubscription"
_AUTH_WORDS = ("not authorized", "notauthorized", "unauthorized", "authentica", "password")
_AUTH_SUBCODES = frozenset({"NotAuthorized", "FailedAuthentication", "InvalidSecurity"})


class OnvifFailure(StrEnum):
    """Why an ONVIF call failed, in the words an operator is shown."""

    INVALID_ADDRESS = "invalid_address"
    UNREACHABLE = "unreachable"
    UNAUTHORIZED = "unauthorized"
    NOT_SUPPORTED = "not_supported"
    FAULT = "fault"


class OnvifError(Exception):
    """An ONVIF call failed: what failed and a detail free of credentials."""

    def __init__(self, failure: OnvifFailure, detail: str) -> None:
        super().__init__(f"{failure.value}: {detail}")
        self.failure = failure
        self.detail = detail


@dataclass(frozen=True)
class OnvifAddress:
    """Where a device's ONVIF service is and the login for it (the password is never shown)."""

    scheme: str
    host: str
    port: int
    path: str
    user: str | None = None
    password: str | None = field(default=None, repr=False)

    @property
    def device_url(self) -> str:
        """The device service address, without the login."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{self.scheme}://{host}:{self.port}{self.path}"


def parse_address(url: str) -> OnvifAddress:
    """The parts of an ONVIF device address; OnvifError(INVALID_ADDRESS) when it is not one."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        raise OnvifError(OnvifFailure.INVALID_ADDRESS, "not a URL") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise OnvifError(OnvifFailure.INVALID_ADDRESS, f"not an http(s) address: {redact(url)}")
    return OnvifAddress(
        scheme=parts.scheme,
        host=parts.hostname,
        port=port or (443 if parts.scheme == "https" else 80),
        path=parts.path if parts.path not in ("", "/") else DEFAULT_PATH,
        user=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
    )


@dataclass(frozen=True)
class DeviceInfo:
    """What the device says it is (GetDeviceInformation)."""

    manufacturer: str
    model: str
    firmware: str
    serial: str
    hardware: str


@dataclass(frozen=True)
class MediaProfile:
    """One media profile: its video encoding and whether PTZ is configured on it."""

    token: str
    name: str
    encoding: str | None
    width: int | None
    height: int | None
    fps: float | None
    ptz: bool


class _Client(ONVIFCamera):  # type: ignore[misc]
    """The library's camera client, using the device path of the address (it assumes one)."""

    def __init__(self, address: OnvifAddress) -> None:
        host = f"[{address.host}]" if ":" in address.host else address.host
        super().__init__(
            f"{address.scheme}://{host}",
            address.port,
            address.user,
            address.password,
            no_cache=True,
            adjust_time=True,
        )
        self.device_url = address.device_url

    def get_definition(self, name: str, port_type: str | None = None) -> tuple[str, str, str]:
        xaddr, wsdl, binding = super().get_definition(name, port_type)
        return (self.device_url if name == "devicemgmt" else xaddr), wsdl, binding


def _is_auth_fault(fault: Fault) -> bool:
    subcodes = {getattr(code, "localname", str(code)) for code in (fault.subcodes or [])}
    text = str(fault.message or "").lower()
    return bool(subcodes & _AUTH_SUBCODES) or any(word in text for word in _AUTH_WORDS)


_RULES: tuple[
    tuple[type[BaseException] | tuple[type[BaseException], ...], OnvifFailure, str], ...
] = (
    (TimeoutError, OnvifFailure.UNREACHABLE, "no answer in time"),
    ((aiohttp.ClientError, OSError), OnvifFailure.UNREACHABLE, "cannot connect"),
    ((XMLParseError, XMLSyntaxError, ValueError), OnvifFailure.FAULT, "malformed answer"),
)


def translate(error: BaseException, what: str, url: str) -> OnvifError:
    """The OnvifError for an exception raised while doing `what` at a device address."""
    if isinstance(error, OnvifError):
        return error
    failure, reason = _classify(error)
    if failure is OnvifFailure.NOT_SUPPORTED:
        return OnvifError(failure, f"{what}: {reason}")
    return OnvifError(failure, f"{what} at {redact(url)}: {reason}")


def _classify(error: BaseException) -> tuple[OnvifFailure, str]:
    refused = isinstance(error, Fault) and _is_auth_fault(error)
    if refused or (isinstance(error, TransportError) and error.status_code in (401, 403)):
        return OnvifFailure.UNAUTHORIZED, "login refused"
    if isinstance(error, Fault):
        return OnvifFailure.FAULT, redact(str(error.message or "no reason given"))[:300]
    if isinstance(error, TransportError):
        return OnvifFailure.UNREACHABLE, f"HTTP {error.status_code}"
    if isinstance(error, ONVIFError) and "support service" in str(error):
        return OnvifFailure.NOT_SUPPORTED, "the device has no such service"
    for kinds, failure, reason in _RULES:
        if isinstance(error, kinds):
            return failure, reason
    return OnvifFailure.FAULT, type(error).__name__


class OnvifDevice:
    """A connection to one ONVIF device; `connect()` first, `close()` when done."""

    def __init__(self, address: OnvifAddress, *, timeout_s: float = 5.0) -> None:
        self.address = address
        self.timeout_s = timeout_s
        self._client: _Client | None = None
        self._opening = asyncio.Lock()
        self._pending: set[asyncio.Future[Any]] = set()

    @classmethod
    def from_url(cls, url: str, *, timeout_s: float = 5.0) -> OnvifDevice:
        """A device for an `http://user:password@host:port/path` address."""
        return cls(parse_address(url), timeout_s=timeout_s)

    @property
    def where(self) -> str:
        """The device address without its login (safe to show)."""
        return self.address.device_url

    async def call(self, what: str, call: Awaitable[T], timeout_s: float | None = None) -> T:
        """Await one ONVIF call within the timeout; any failure becomes an OnvifError."""
        try:
            async with asyncio.timeout(timeout_s or self.timeout_s):
                return await call
        except Exception as error:
            raise translate(error, what, self.where) from None

    async def connect(self) -> None:
        """Reach the device and learn where its services are (GetServices/GetCapabilities)."""
        if self._client is None:
            await self._settled("connecting", self._open_client)

    async def _open_client(self) -> _Client:
        if self._client is not None:
            return self._client
        client = _Client(self.address)
        try:
            await parsed("devicemgmt", client.wsdl_dir)
            await client.update_xaddrs()
        except BaseException:
            await client.close()
            raise
        self._client = client
        return client

    async def _settled(self, what: str, opening: Callable[[], Awaitable[T]]) -> T:
        # The library builds an HTTP session per service and keeps it only once built: opening
        # runs one at a time, shielded from a caller's cancel or timeout, and close() waits for
        # it, so no session is ever orphaned.
        async def serialised() -> T:
            async with self._opening:
                return await opening()

        task = asyncio.ensure_future(serialised())
        self._pending.add(task)
        task.add_done_callback(_settle)
        task.add_done_callback(self._pending.discard)
        return await self.call(what, asyncio.shield(task))

    async def _client_ready(self) -> _Client:
        if self._client is None:
            await self.connect()
        assert self._client is not None
        return self._client

    async def service(self, name: str) -> Any:
        """The library's service client (devicemgmt, media, ptz, events ...)."""
        client = await self._client_ready()
        built = _built_service(client, name)
        if built is not None:  # most calls: no opening to wait for, nor a task to start
            return built

        async def opening() -> Any:
            await parsed(name, client.wsdl_dir)
            return await client.create_onvif_service(name)

        return await self._settled(f"opening the {name} service", opening)

    async def subscription_services(self, address: str | None) -> tuple[Any, Any]:
        """The subscription manager and pull point clients for a subscription's address."""
        from onvif.util import normalize_url  # type: ignore[import-untyped]

        client = await self._client_ready()
        client.xaddrs[PULLPOINT_NAMESPACE] = self.rewrite(normalize_url(address))

        async def subscription() -> Any:
            await parsed("subscription", client.wsdl_dir)
            return await client.create_subscription_service("PullPointSubscription")

        async def pull_point() -> Any:
            await parsed("pullpoint", client.wsdl_dir)
            return await client.create_pullpoint_service()

        manager = await self._settled("opening the subscription", subscription)
        pullpoint = await self._settled("opening the pull point", pull_point)
        return manager, pullpoint

    def rewrite(self, url: str | None) -> str:
        """A service address the device handed out; unusable ones are refused."""
        if not url or urlsplit(url).scheme not in ("http", "https"):
            raise OnvifError(OnvifFailure.FAULT, f"{self.where}: no usable service address")
        return url

    def services(self) -> frozenset[str]:
        """The namespaces of the services the device announced."""
        return frozenset(self._client.xaddrs) if self._client is not None else frozenset()

    async def info(self) -> DeviceInfo:
        """Manufacturer, model, firmware, serial and hardware id."""
        device = await self.service("devicemgmt")
        answer = await self.call("GetDeviceInformation", device.GetDeviceInformation())
        return DeviceInfo(
            manufacturer=str(answer.Manufacturer or ""),
            model=str(answer.Model or ""),
            firmware=str(answer.FirmwareVersion or ""),
            serial=str(answer.SerialNumber or ""),
            hardware=str(answer.HardwareId or ""),
        )

    async def profiles(self) -> list[MediaProfile]:
        """The media profiles, in the device's order."""
        media = await self.service("media")
        answer = await self.call("GetProfiles", media.GetProfiles())
        return [_profile(item) for item in answer or []]

    async def stream_uri(self, profile_token: str) -> str:
        """The RTSP address of a profile's stream (a secret: do not log it)."""
        media = await self.service("media")
        setup = {"Stream": "RTP-Unicast", "Transport": {"Protocol": "RTSP"}}
        request = {"StreamSetup": setup, "ProfileToken": profile_token}
        answer = await self.call("GetStreamUri", media.GetStreamUri(request))
        uri = str(getattr(answer, "Uri", "") or "")
        if not uri:
            raise OnvifError(OnvifFailure.FAULT, f"GetStreamUri at {self.where}: no address")
        return uri

    async def close(self) -> None:
        """Close the HTTP sessions (safe to call twice)."""
        if self._pending:
            _, stuck = await asyncio.wait(set(self._pending), timeout=self.timeout_s)
            for task in stuck:
                task.cancel()
        client, self._client = self._client, None
        if client is not None:
            try:
                await client.close()
            except Exception as error:  # closing must not fail the caller
                log.debug("closing ONVIF client for %s: %s", self.where, type(error).__name__)


def _built_service(client: _Client, name: str) -> Any | None:
    # The library keeps each built service under (name, port type) and rebuilds one whose
    # address has moved; only one still at its address is ready as it is.
    service = client.services.get((name, None))
    if service is None or service.xaddr != client.get_definition(name)[0]:
        return None
    return service


def _settle(task: asyncio.Future[Any]) -> None:
    # The caller may have gone (cancelled or timed out); its failure is read here so it is not
    # reported as never retrieved.
    if not task.cancelled():
        task.exception()


def _profile(item: Any) -> MediaProfile:
    encoder = getattr(item, "VideoEncoderConfiguration", None)
    resolution = getattr(encoder, "Resolution", None)
    rate = getattr(encoder, "RateControl", None)
    fps = getattr(rate, "FrameRateLimit", None)
    return MediaProfile(
        token=str(item.token),
        name=str(getattr(item, "Name", "") or item.token),
        encoding=str(encoder.Encoding) if encoder is not None and encoder.Encoding else None,
        width=_int(getattr(resolution, "Width", None)),
        height=_int(getattr(resolution, "Height", None)),
        fps=float(fps) if fps is not None else None,
        ptz=getattr(item, "PTZConfiguration", None) is not None,
    )


def _int(value: Any) -> int | None:
    return int(value) if value is not None else None
