"""A field device for the field-link tests: connects with pytak (a real TAK client library), sends
pytak-made SA, and reads what the server sends back as parsed CoT."""

from __future__ import annotations

import asyncio
import configparser
import contextlib
import xml.etree.ElementTree as ET
from collections.abc import Callable
from typing import Any

import pytak  # type: ignore[import-untyped]

from watchfloor.connectors.tak.cot import CotEvent, parse_cot
from watchfloor.connectors.tak.framing import XmlStreamSplitter


class FieldPeer:
    """One TAK device connected to the server under test (XML over TCP)."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader = reader
        self.writer = writer
        self.received: list[CotEvent] = []
        self._splitter = XmlStreamSplitter(1024 * 1024)

    @classmethod
    async def connect(cls, port: int) -> FieldPeer:
        """Open a pytak connection to 127.0.0.1:port."""
        config = configparser.ConfigParser()
        config["peer"] = {"COT_URL": f"tcp://127.0.0.1:{port}"}
        reader, writer = await pytak.protocol_factory(config["peer"])
        return cls(reader, writer)

    async def send_sa(
        self,
        uid: str,
        callsign: str,
        lat: float,
        lon: float,
        *,
        cot_type: str = "a-f-G-U-C",
        group: str | None = None,
        course: float | None = None,
        speed: float | None = None,
    ) -> None:
        """Send one position report as pytak builds it, with a TAK team and track if given."""
        event = pytak.gen_cot_xml(
            lat=lat, lon=lon, uid=uid, cot_type=cot_type, callsign=callsign, stale=120
        )
        assert event is not None
        detail = event.find("detail")
        assert detail is not None
        if group is not None:
            ET.SubElement(detail, "__group", {"name": group, "role": "Team Member"})
        if course is not None or speed is not None:
            ET.SubElement(detail, "track", {"course": str(course or 0), "speed": str(speed or 0)})
        await self.send(ET.tostring(event))

    async def send(self, xml: bytes) -> None:
        """Send raw CoT bytes."""
        self.writer.write(xml)
        await self.writer.drain()

    async def wait_for(self, match: Callable[[CotEvent], bool], timeout: float = 10.0) -> CotEvent:
        """The first received event (kept or new) that matches, within timeout seconds."""
        async with asyncio.timeout(timeout):
            while True:
                for event in self.received:
                    if match(event):
                        return event
                await self._read_more()

    async def _read_more(self) -> None:
        data = await self.reader.read(65536)
        if not data:
            raise ConnectionError("the server closed the connection")
        self.received += [parse_cot(frame) for frame in self._splitter.feed(data)]

    async def close(self) -> None:
        """Hang up."""
        self.writer.close()
        with contextlib.suppress(ConnectionError, OSError):
            await self.writer.wait_closed()


def uid_is(uid: str) -> Callable[[CotEvent], bool]:
    """Matches the event with this uid."""
    return lambda event: event.uid == uid


def anything(*_args: Any) -> bool:
    """Matches every event."""
    return True
