"""NMEA 0183 from in-vehicle routers over UDP (one datagram may hold several sentences) and TCP
(one long-lived stream per router), handed on as `(sender address, fixes)`.

Nothing here stores or decides. A slow consumer holds TCP routers back (their own buffers);
UDP has no such brake, so datagrams wait in a bounded queue and the ones that do not fit are
dropped and counted, never silently.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from watchfloor.connectors.nmea.parser import MAX_SENTENCE, NmeaCounts, NmeaFix, NmeaReader
from watchfloor.core.clock import Clock, SystemClock

log = logging.getLogger(__name__)

Deliver = Callable[[str, list[NmeaFix]], Awaitable[None]]
"""Called with the sender's address and the fixes of one datagram or one TCP read."""

READ_BYTES = 65_536
UDP_RECEIVE_BUFFER = 4 * 1024 * 1024
DRAIN_TIMEOUT_S = 5.0


@dataclass(frozen=True)
class ListenerLimits:
    """How much a listener keeps: queued datagrams, senders, connections, idle time."""

    max_line: int = MAX_SENTENCE
    udp_queue: int = 10_000
    max_udp_senders: int = 10_000
    max_tcp_connections: int = 1_000
    idle_timeout_s: float = 300.0


@dataclass
class ListenerStats:
    """What the sockets saw (the sentences' own counts are in NmeaCounts)."""

    udp_datagrams: int = 0
    udp_dropped: int = 0
    tcp_connections: int = 0
    tcp_open: int = 0
    tcp_refused: int = 0
    tcp_idle_closed: int = 0
    deliver_failed: int = 0


class _Datagrams(asyncio.DatagramProtocol):
    def __init__(self, queue: asyncio.Queue[tuple[str, int, bytes]], stats: ListenerStats) -> None:
        self._queue = queue
        self._stats = stats

    def datagram_received(self, data: bytes, addr: tuple[str | int, ...]) -> None:
        self._stats.udp_datagrams += 1
        try:
            self._queue.put_nowait((str(addr[0]), int(addr[1]), data))
        except asyncio.QueueFull:
            self._stats.udp_dropped += 1
            if self._stats.udp_dropped in (1, 10, 100) or self._stats.udp_dropped % 1000 == 0:
                log.warning(
                    "nmea: intake behind, %d UDP datagrams dropped so far", self._stats.udp_dropped
                )


class NmeaListener:
    """UDP and TCP listeners (each optional; port 0 picks a free one) on one host."""

    def __init__(
        self,
        deliver: Deliver,
        *,
        host: str = "127.0.0.1",
        udp_port: int | None = None,
        tcp_port: int | None = None,
        clock: Clock | None = None,
        limits: ListenerLimits | None = None,
        counts: NmeaCounts | None = None,
    ) -> None:
        self._deliver = deliver
        self._host = host
        self._want_udp, self._want_tcp = udp_port, tcp_port
        self._clock = clock or SystemClock()
        self._limits = limits or ListenerLimits()
        self.counts = counts if counts is not None else NmeaCounts()
        self.stats = ListenerStats()
        self.udp_port: int | None = None
        self.tcp_port: int | None = None
        self._queue: asyncio.Queue[tuple[str, int, bytes]] = asyncio.Queue(self._limits.udp_queue)
        self._udp_readers: OrderedDict[tuple[str, int], NmeaReader] = OrderedDict()
        self._transport: asyncio.DatagramTransport | None = None
        self._consumer: asyncio.Task[None] | None = None
        self._server: asyncio.Server | None = None
        self._connections: set[asyncio.Task[None]] = set()

    async def start(self) -> None:
        """Bind the configured sockets."""
        if self._want_udp is not None:
            await self._start_udp(self._want_udp)
        if self._want_tcp is not None:
            self._server = await asyncio.start_server(
                self._serve, self._host, self._want_tcp, limit=READ_BYTES
            )
            self.tcp_port = int(self._server.sockets[0].getsockname()[1])
        log.info("nmea: listening on %s udp=%s tcp=%s", self._host, self.udp_port, self.tcp_port)

    async def stop(self) -> None:
        """Stop receiving; datagrams already queued are still delivered (within a limit)."""
        if self._transport is not None:
            self._transport.close()
        if self._server is not None:
            self._server.close()
        for task in list(self._connections):
            task.cancel()
        await asyncio.gather(*self._connections, return_exceptions=True)
        if self._consumer is not None:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._queue.join(), DRAIN_TIMEOUT_S)
            self._consumer.cancel()
            await asyncio.gather(self._consumer, return_exceptions=True)
        if self._server is not None:
            await self._server.wait_closed()

    def snapshot(self) -> dict[str, int]:
        """Sentence and socket counts together."""
        return {**self.counts.as_dict(), **vars(self.stats)}

    async def _start_udp(self, port: int) -> None:
        loop = asyncio.get_running_loop()
        family, kind, proto, _name, address = socket.getaddrinfo(
            self._host, port, type=socket.SOCK_DGRAM
        )[0]
        sock = socket.socket(family, kind, proto)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, UDP_RECEIVE_BUFFER)
        sock.bind(address)
        transport, _protocol = await loop.create_datagram_endpoint(
            lambda: _Datagrams(self._queue, self.stats), sock=sock
        )
        self._transport = transport
        self.udp_port = int(sock.getsockname()[1])
        self._consumer = asyncio.create_task(self._consume(), name="nmea-udp")

    async def _consume(self) -> None:
        while True:
            host, port, data = await self._queue.get()
            try:
                reader = self._udp_reader(host, port)
                fixes = reader.feed(data) + reader.flush()
                if fixes:
                    await self._deliver(host, fixes)
            except Exception:  # one failed delivery must not stop the listener
                self.stats.deliver_failed += 1
                log.exception("nmea: could not deliver fixes from %s", host)
            finally:
                self._queue.task_done()

    def _udp_reader(self, host: str, port: int) -> NmeaReader:
        key = (host, port)
        reader = self._udp_readers.get(key)
        if reader is None:
            reader = self._new_reader()
            self._udp_readers[key] = reader
            if len(self._udp_readers) > self._limits.max_udp_senders:
                self._udp_readers.popitem(last=False)
        else:
            self._udp_readers.move_to_end(key)
        return reader

    def _new_reader(self) -> NmeaReader:
        return NmeaReader(self._clock, max_line=self._limits.max_line, counts=self.counts)

    async def _serve(self, stream: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        peer = writer.get_extra_info("peername")
        sender = str(peer[0]) if peer else "unknown"
        if len(self._connections) >= self._limits.max_tcp_connections:
            self.stats.tcp_refused += 1
            log.warning("nmea: refused a connection from %s (too many open)", sender)
            writer.close()
            return
        task = asyncio.current_task()
        assert task is not None
        self._connections.add(task)
        self.stats.tcp_connections += 1
        self.stats.tcp_open += 1
        try:
            await self._read_stream(sender, stream)
        except (ConnectionError, OSError) as error:
            log.info("nmea: connection from %s ended: %s", sender, error)
        except asyncio.CancelledError:
            pass  # stop(): end quietly (3.11's stream callback logs a cancelled handler)
        finally:
            self._connections.discard(task)
            self.stats.tcp_open -= 1
            writer.close()

    async def _read_stream(self, sender: str, stream: asyncio.StreamReader) -> None:
        reader = self._new_reader()
        while True:
            try:
                async with asyncio.timeout(self._limits.idle_timeout_s):
                    data = await stream.read(READ_BYTES)
            except TimeoutError:
                self.stats.tcp_idle_closed += 1
                log.info("nmea: closed %s after %.0f s idle", sender, self._limits.idle_timeout_s)
                return
            fixes = reader.feed(data) if data else reader.flush()
            if fixes:
                await self._deliver_stream(sender, fixes)
            if not data:
                return

    async def _deliver_stream(self, sender: str, fixes: list[NmeaFix]) -> None:
        try:
            await self._deliver(sender, fixes)
        except asyncio.CancelledError:
            raise
        except Exception:  # one failed delivery must not end the router's connection
            self.stats.deliver_failed += 1
            log.exception("nmea: could not deliver fixes from %s", sender)
