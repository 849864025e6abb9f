"""The PTZ commands slew-to-cue sends on every alert (AbsoluteMove, GotoPreset), written straight
onto the service's HTTP session.

They are the same SOAP 1.2 request, WS-Security digest and headers that the library's zeep client
sends, but without building the envelope from the WSDL's schema each time. That schema walk cost
about 0.9 ms of CPU a command, most of what a cue costs. A reply that is not a plain success is
handed to zeep, so faults, refusals and transport errors are read and named as for any other call.
"""

from __future__ import annotations

import base64
import hashlib
import os
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any
from xml.sax.saxutils import escape

import aiohttp
import httpx
from lxml import etree

PTZ_NAMESPACE = "http://www.onvif.org/ver20/ptz/wsdl"
SCHEMA_NAMESPACE = "http://www.onvif.org/ver10/schema"
SOAP_NAMESPACE = "http://www.w3.org/2003/05/soap-envelope"
_WSSE = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"
_WSU = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd"
_USER_PROFILE_NS = (
    "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0"
)
_MESSAGE_SECURITY = (
    "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0"
)
_FAULT = f"{{{SOAP_NAMESPACE}}}Fault"
_DROPPED = (aiohttp.ServerDisconnectedError, aiohttp.ClientConnectionResetError)
_ATTEMPTS = 2
_BODY = f"{{{SOAP_NAMESPACE}}}Body"


def xml_float(value: float) -> str:
    """An xs:float as zeep writes it (Python's shortest form, upper case: 1E-05, INF)."""
    return str(float(value)).upper()


def password_digest(nonce: bytes, created: str, password: str) -> str:
    """WS-Security PasswordDigest: Base64(SHA-1(nonce + created + password))."""
    raw = nonce + created.encode("utf-8") + password.encode("utf-8")
    return base64.b64encode(hashlib.sha1(raw).digest()).decode("ascii")  # noqa: S324 (the standard names SHA-1)


def security_header(user: str | None, password: str | None, created_at: datetime) -> str:
    """The UsernameToken header: the user and, with a password, its digest over a fresh nonce
    and the time (Zulu form, to the second)."""
    name = f"<wsse:Username>{escape(user or '')}</wsse:Username>"
    token = f'<wsse:Security xmlns:wsse="{_WSSE}"><wsse:UsernameToken>{name}'
    if password is None:
        return f"{token}</wsse:UsernameToken></wsse:Security>"
    created = created_at.astimezone(UTC).replace(microsecond=0, tzinfo=None).isoformat() + "Z"
    nonce = os.urandom(16)
    return (
        f"{token}"
        f'<wsse:Password Type="{_USER_PROFILE_NS}#PasswordDigest">'
        f"{password_digest(nonce, created, password)}</wsse:Password>"
        f'<wsse:Nonce EncodingType="{_MESSAGE_SECURITY}#Base64Binary">'
        f"{base64.b64encode(nonce).decode('ascii')}</wsse:Nonce>"
        f'<wsu:Created xmlns:wsu="{_WSU}">{created}</wsu:Created>'
        "</wsse:UsernameToken></wsse:Security>"
    )


def envelope(body: str, header: str = "") -> bytes:
    """A SOAP 1.2 envelope around a body (and a header, when there is one)."""
    head = f"<soap-env:Header>{header}</soap-env:Header>" if header else ""
    return (
        "<?xml version='1.0' encoding='utf-8'?>\n"
        f'<soap-env:Envelope xmlns:soap-env="{SOAP_NAMESPACE}">{head}'
        f"<soap-env:Body>{body}</soap-env:Body></soap-env:Envelope>"
    ).encode()


def absolute_move_body(profile: str, pan: float, tilt: float, zoom: float) -> str:
    """The AbsoluteMove request: a profile's head to a generic-space position."""
    return (
        f'<ns0:AbsoluteMove xmlns:ns0="{PTZ_NAMESPACE}">'
        f"<ns0:ProfileToken>{escape(profile)}</ns0:ProfileToken><ns0:Position>"
        f'<ns1:PanTilt xmlns:ns1="{SCHEMA_NAMESPACE}" x="{xml_float(pan)}" y="{xml_float(tilt)}"/>'
        f'<ns2:Zoom xmlns:ns2="{SCHEMA_NAMESPACE}" x="{xml_float(zoom)}"/>'
        "</ns0:Position></ns0:AbsoluteMove>"
    )


def goto_preset_body(profile: str, preset: str) -> str:
    """The GotoPreset request: a profile's head to a stored preset, at the device's own speed."""
    return (
        f'<ns0:GotoPreset xmlns:ns0="{PTZ_NAMESPACE}">'
        f"<ns0:ProfileToken>{escape(profile)}</ns0:ProfileToken>"
        f"<ns0:PresetToken>{escape(preset)}</ns0:PresetToken></ns0:GotoPreset>"
    )


def succeeded(status: int, content: bytes) -> bool:
    """Whether a reply is a plain success: HTTP 200 and a SOAP body that is not a fault."""
    if status != 200 or not content:
        return False
    try:
        root = etree.fromstring(content, parser=_PARSER)
    except etree.XMLSyntaxError:
        return False
    body = root.find(_BODY)
    return body is not None and body.find(_FAULT) is None


# No entities, no network, no huge trees: a camera's reply is data, never instructions.
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


class PtzWire:
    """AbsoluteMove and GotoPreset on one PTZ service, as its zeep client would send them."""

    def __init__(self, service: Any) -> None:
        # `service` is the library's ONVIFService for PTZ: its address, login, clock offset,
        # HTTP transport (the kept-alive session, retried once on a dropped connection) and
        # zeep binding, which reads every reply that is not a plain success.
        self._service = service
        self._address = str(service.xaddr)
        self._user: str | None = service.user
        self._password: str | None = service.passwd
        self._dt_diff: timedelta | None = service.dt_diff

    async def absolute_move(self, profile: str, pan: float, tilt: float, zoom: float) -> None:
        """Send AbsoluteMove; returns once the camera has accepted it."""
        await self._send("AbsoluteMove", absolute_move_body(profile, pan, tilt, zoom))

    async def goto_preset(self, profile: str, preset: str) -> None:
        """Send GotoPreset; returns once the camera has accepted it."""
        await self._send("GotoPreset", goto_preset_body(profile, preset))

    def _header(self) -> str:
        created = datetime.now(UTC) + (self._dt_diff or timedelta())
        return security_header(self._user, self._password, created)

    async def _send(self, operation: str, body: str) -> None:
        action = f"{PTZ_NAMESPACE}/{operation}"
        headers = {
            "SOAPAction": f'"{action}"',
            "Content-Type": f'application/soap+xml; charset=utf-8; action="{action}"',
        }
        status, reply_headers, content = await self._post(envelope(body, self._header()), headers)
        if not succeeded(status, content):
            reply = httpx.Response(status, headers=list(reply_headers.items()), content=content)
            self._read_by_zeep(operation, reply)

    async def _post(
        self, message: bytes, headers: dict[str, str]
    ) -> tuple[int, Mapping[str, str], bytes]:
        # On the service's own kept-alive session. A connection the camera closed while it sat
        # idle fails before the request is written: that one is tried once more, as the
        # library's transport does.
        session: aiohttp.ClientSession = self._service.transport.session
        for attempt in range(_ATTEMPTS):
            try:
                async with session.post(self._address, data=message, headers=headers) as answer:
                    return answer.status, answer.headers, await answer.read()
            except _DROPPED:
                if attempt + 1 == _ATTEMPTS:
                    raise
        raise AssertionError("unreachable")

    def _read_by_zeep(self, operation: str, reply: httpx.Response) -> None:
        # zeep reads a fault or a failed transport and raises what it raises for any call; what
        # it accepts (an empty 202, say) is accepted.
        client = self._service.zeep_client
        binding = self._service.ws_client._binding  # zeep keeps it there
        binding.process_reply(client, binding.get(operation), reply)
