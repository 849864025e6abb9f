"""Helpers of the playbook tests: post EIDO as the CAD, wait for playbook events, read PDFs."""

from __future__ import annotations

import re
import zlib
from typing import Any

from httpx import AsyncClient

from tests.domain.incidents.support import eido
from tests.support.auth import feed_token
from watchfloor.app import Watchfloor
from watchfloor.core.bus import Subscription
from watchfloor.core.events import Event

_STREAM = re.compile(rb"stream\r?\n(.*?)\r?\nendstream", re.S)
_BLOCK = re.compile(rb"\bBT\b(.*?)\bET\b", re.S)
_SHOWN = re.compile(rb"\(((?:\\.|[^\\)])*)\)\s*Tj")
_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"(": b"(", b")": b")", b"\\": b"\\"}


async def post_eido(
    wf: Watchfloor, client: AsyncClient, number: int, type_code: str, priority: int, **extra: Any
) -> str:
    """Post one EIDO document as the CAD; the incident's id."""
    token = await feed_token(wf, client)
    document = eido(
        f"urn:emergency:uid:incidentid:{number}:cad.example.gov",
        type_code=type_code,
        priority=priority,
        **extra,
    )
    response = await client.post(
        "/api/intake/eido", json=document, headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 200, response.text
    return str(response.json()[0]["incident_id"])


async def next_event(subscription: Subscription, kind: str) -> Event[Any]:
    """The next event of this kind (others are passed over)."""
    while True:
        event = await subscription.get(timeout=5)
        if event.kind == kind:
            return event


def pdf_text(document: bytes) -> str:
    """The text a PDF shows, one text block a line, from its (deflated) content streams."""
    lines: list[str] = []
    for match in _STREAM.finditer(document):
        try:
            content = zlib.decompress(match.group(1))
        except zlib.error:
            continue  # not a deflated content stream (a font, an image)
        for block in _BLOCK.finditer(content):
            shown = b"".join(_unescape(s.group(1)) for s in _SHOWN.finditer(block.group(1)))
            if shown:
                lines.append(shown.decode("latin-1"))
    return "\n".join(lines)


def _unescape(literal: bytes) -> bytes:
    return re.sub(rb"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(1)), literal)
