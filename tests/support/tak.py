"""TAK test helpers: a CA with server and client certificates, a running TakServer, pytak as a
real TAK client, and a raw socket client for byte-exact framing and TAK protocol v1."""

from __future__ import annotations

import asyncio
import configparser
import contextlib
import ssl
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytak  # type: ignore[import-untyped]

from watchfloor.connectors.tak.cot import CotEvent, cot_xml, parse_cot
from watchfloor.connectors.tak.framing import ProtoStreamSplitter, XmlStreamSplitter
from watchfloor.connectors.tak.proto import from_proto
from watchfloor.core.clock import Clock
from watchfloor.fieldlink.certs import (
    CertFiles,
    create_ca,
    create_client_cert,
    create_server_cert,
)
from watchfloor.fieldlink.server import OnEvent, TakServer
from watchfloor.settings_field import TakSettings

WAIT_S = 10.0


@dataclass(frozen=True)
class TakCerts:
    """A CA, the server's certificate and one client certificate (CN "ALPHA-1")."""

    folder: Path
    ca: CertFiles
    server: CertFiles
    client: CertFiles

    def another_client(self, common_name: str) -> CertFiles:
        """One more client certificate from the same CA."""
        return create_client_cert(self.ca, self.folder, common_name)


def make_certs(folder: Path) -> TakCerts:
    """A fresh CA, server certificate (127.0.0.1, localhost) and client certificate."""
    ca = create_ca(folder)
    return TakCerts(
        folder=folder,
        ca=ca,
        server=create_server_cert(ca, folder),
        client=create_client_cert(ca, folder, "ALPHA-1"),
    )


def sa_event(
    uid: str,
    callsign: str,
    now: datetime,
    *,
    lat: float = 38.8895,
    lon: float = -77.0353,
    stale_s: float = 60.0,
    kind: str = "a-f-G-U-C",
    dests: tuple[str, ...] = (),
    remarks: str | None = None,
    padding: int = 0,
) -> CotEvent:
    """A TAK situational-awareness event (self position) like ATAK sends."""
    return CotEvent(
        uid=uid,
        type=kind,
        how="m-g",
        time=now,
        start=now,
        stale=now + timedelta(seconds=stale_s),
        lat=lat,
        lon=lon,
        callsign=callsign,
        group="Cyan",
        role="Team Member",
        remarks=remarks if not padding else (remarks or "") + "x" * padding,
        dest_callsigns=dests,
    )


@contextlib.asynccontextmanager
async def running_server(
    clock: Clock, on_event: OnEvent | None = None, **overrides: Any
) -> AsyncIterator[TakServer]:
    """A TakServer on a free loopback TCP port (and TLS when given), stopped afterwards."""
    values: dict[str, Any] = {"tcp_port": 0, **overrides}
    server = TakServer(TakSettings.model_validate(values), clock, on_event)
    await server.start()
    try:
        yield server
    finally:
        await server.stop()


class PytakClient:
    """pytak as a TAK client: its connection factory (TCP or TLS), its TX worker's send and
    its RX worker's read, with received events collected in order."""

    def __init__(self, config: configparser.SectionProxy) -> None:
        self.config = config
        self.received: asyncio.Queue[bytes] = asyncio.Queue()
        self._task: asyncio.Task[None] | None = None

    @classmethod
    def config_for(cls, url: str, **extra: str) -> configparser.SectionProxy:
        """A pytak configuration section."""
        parser = configparser.ConfigParser()
        parser["pytak"] = {"COT_URL": url, **extra}
        return parser["pytak"]

    async def connect(self) -> PytakClient:
        """Open the connection (TLS as configured) and start reading."""
        reader, writer = await pytak.protocol_factory(self.config)
        self.tx = pytak.TXWorker(asyncio.Queue(), self.config, writer)
        self.rx = pytak.RXWorker(asyncio.Queue(), self.config, reader)
        self.writer = writer
        self._task = asyncio.create_task(self._read())
        return self

    async def _read(self) -> None:
        while True:
            data = await self.rx.readcot()
            if data is None:
                return  # pytak in TAK_PROTO=1 gives None for XML it cannot convert
            if not isinstance(data, bytes | bytearray):  # a TakMessage (TAK_PROTO=1)
                data = cot_xml(from_proto(data.SerializeToString()))
            await self.received.put(bytes(data))

    async def send(self, event: CotEvent | bytes) -> None:
        """Send one event through pytak's TX worker (TAK protocol v1 when TAK_PROTO=1)."""
        await self.tx.send_data(cot_xml(event) if isinstance(event, CotEvent) else event)

    async def next_event(self, match: Callable[[CotEvent], bool] = lambda _event: True) -> CotEvent:
        """The next received event that matches, skipping the others."""
        while True:
            data = await asyncio.wait_for(self.received.get(), WAIT_S)
            event = parse_cot(data)
            if match(event):
                return event

    async def close(self) -> None:
        """Close the connection."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(BaseException):
                await self._task
        self.writer.close()
        with contextlib.suppress(Exception):
            await self.writer.wait_closed()


def not_control(event: CotEvent) -> bool:
    """True for everything but the server's protocol offers and answers."""
    return not event.type.startswith("t-x-")


class RawTakClient:
    """A plain asyncio socket client: exact bytes out, events in (XML or TAK protocol v1)."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader = reader
        self.writer = writer
        self._xml = XmlStreamSplitter(1 << 20)
        self._proto: ProtoStreamSplitter | None = None
        self._ready: list[CotEvent] = []
        self.protocols: list[str] = []

    @classmethod
    async def connect(
        cls, port: int, *, tls: ssl.SSLContext | None = None, rcvbuf: int | None = None
    ) -> RawTakClient:
        """Connect to 127.0.0.1:port (with a small receive buffer to make a slow client)."""
        if rcvbuf is None:
            reader, writer = await asyncio.open_connection("127.0.0.1", port, ssl=tls)
            return cls(reader, writer)
        import socket

        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
        sock.setblocking(False)
        await asyncio.get_running_loop().sock_connect(sock, ("127.0.0.1", port))
        reader, writer = await asyncio.open_connection(sock=sock)
        return cls(reader, writer)

    async def send(self, data: bytes) -> None:
        """Write bytes as given."""
        self.writer.write(data)
        await self.writer.drain()

    async def next_event(self, match: Callable[[CotEvent], bool] = lambda _event: True) -> CotEvent:
        """The next received event that matches (XML or v1), skipping the others."""
        while True:
            while self._ready:
                event = self._ready.pop(0)
                if match(event):
                    return event
            data = await asyncio.wait_for(self.reader.read(65536), WAIT_S)
            if not data:
                raise ConnectionError("closed by the server")
            self._take(data)

    def _take(self, data: bytes) -> None:
        if self._proto is None:
            for frame in self._xml.feed(data):
                self._ready.append(parse_cot(frame))
                self.protocols.append("xml")
            if not self._xml.proto_ahead:
                return
            self._proto = ProtoStreamSplitter(1 << 20)
            data = self._xml.take_rest()
        for payload in self._proto.feed(data):
            self._ready.append(from_proto(payload))
            self.protocols.append("v1")

    async def closed_by_server(self) -> bool:
        """True once the server has closed this connection (reads until EOF or reset)."""
        try:
            while await asyncio.wait_for(self.reader.read(65536), WAIT_S):
                pass
        except (ConnectionError, ssl.SSLError):
            return True
        return True

    async def close(self) -> None:
        """Close the connection."""
        self.writer.close()
        with contextlib.suppress(Exception):
            await self.writer.wait_closed()
