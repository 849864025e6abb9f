"""TAK protocol negotiation on a streaming connection, all in XML first: the server offers
`t-x-takp-v` (TakProtocolSupport), the client asks `t-x-takp-q` (TakRequest), the server answers
`t-x-takp-r` (TakResponse); after status="true" both sides speak TAK protocol v1."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from watchfloor.connectors.tak.cot import CotEvent, cot_xml

OFFER = "t-x-takp-v"
REQUEST = "t-x-takp-q"
RESPONSE = "t-x-takp-r"
PING = "t-x-c-t"
PONG = "t-x-c-t-r"
CONTROL_TYPES = frozenset({OFFER, REQUEST, RESPONSE, PING, PONG})
_VERSION = re.compile(r"<TakRequest\b[^>]*\bversion=[\"'](\d+)[\"']")
_STATUS = re.compile(r"<TakResponse\b[^>]*\bstatus=[\"'](\w+)[\"']")


def _control(uid: str, kind: str, now: datetime, detail: str) -> CotEvent:
    return CotEvent(
        uid=uid,
        type=kind,
        how="m-g",
        time=now,
        start=now,
        stale=now + timedelta(minutes=1),
        lat=0.0,
        lon=0.0,
        hae=0.0,
        detail_xml=detail,
    )


def offer_xml(server_uid: str, now: datetime, version: int = 1) -> bytes:
    """The server's TakProtocolSupport offer."""
    detail = f'<TakControl><TakProtocolSupport version="{version}"/></TakControl>'
    return cot_xml(_control(server_uid, OFFER, now, detail))


def request_xml(client_uid: str, now: datetime, version: int = 1) -> bytes:
    """A client's TakRequest (used by tests and tools)."""
    detail = f'<TakControl><TakRequest version="{version}"/></TakControl>'
    return cot_xml(_control(client_uid, REQUEST, now, detail))


def response_xml(server_uid: str, now: datetime, accepted: bool) -> bytes:
    """The server's TakResponse."""
    status = "true" if accepted else "false"
    detail = f'<TakControl><TakResponse status="{status}"/></TakControl>'
    return cot_xml(_control(server_uid, RESPONSE, now, detail))


def pong_xml(server_uid: str, now: datetime) -> bytes:
    """The answer to a client's `t-x-c-t` ping."""
    return cot_xml(_control(server_uid, PONG, now, ""))


def requested_version(event: CotEvent) -> int | None:
    """The version a `t-x-takp-q` asks for, or None when the event is not such a request."""
    if event.type != REQUEST:
        return None
    found = _VERSION.search(event.detail_xml)
    return int(found.group(1)) if found else None


def response_status(event: CotEvent) -> bool | None:
    """The status of a `t-x-takp-r`, or None when the event is not a response."""
    if event.type != RESPONSE:
        return None
    found = _STATUS.search(event.detail_xml)
    return found is not None and found.group(1) == "true"
