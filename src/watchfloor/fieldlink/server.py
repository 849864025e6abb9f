"""The TAK-compatible server: CoT from TAK clients over TCP and TLS (client certificates
required), XML or TAK protocol v1 per connection, routed to the others (broadcast, or addressed by
`<marti><dest>`), a picture for late joiners, stale tracks expired, and per-client bounded queues so
one slow client never holds up anyone else."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import re
import ssl
import time
import uuid
from collections.abc import Awaitable, Callable, Iterable
from functools import partial
from xml.sax.saxutils import unescape

from watchfloor.connectors.tak.cot import CotError, CotEvent, parse_cot
from watchfloor.connectors.tak.framing import (
    FramingError,
    ProtoStreamSplitter,
    XmlStreamSplitter,
    frame_proto,
)
from watchfloor.connectors.tak.negotiation import (
    CONTROL_TYPES,
    PING,
    offer_xml,
    pong_xml,
    requested_version,
    response_xml,
)
from watchfloor.connectors.tak.proto import from_proto
from watchfloor.core.clock import Clock
from watchfloor.core.health import HealthReport, HealthState
from watchfloor.fieldlink.certs import server_tls_context, subject_text
from watchfloor.fieldlink.clients import Connection, FieldClient
from watchfloor.fieldlink.picture import Encoded, Picture
from watchfloor.settings_field import TakSettings

DELETE_TYPE = "t-x-d-d"
_LINKED_UID = re.compile(r"""<link\b[^>]*?\buid=["']([^"']+)["']""")
log = logging.getLogger(__name__)

OnEvent = Callable[[CotEvent, FieldClient], Awaitable[None]]
READ_CHUNK = 64 * 1024
_STATS = (
    "received",
    "delivered",
    "published",
    "dropped_slow",
    "rejected",
    "closed_bad_stream",
    "replaced",
    "negotiated_v1",
    "expired",
    "connections",
    "tls_refused",
)
TROUBLE_SHOWN_S = 600.0


class TakServer:
    """CoT routing between TAK clients, and Watchfloor's own events published to them."""

    def __init__(
        self, settings: TakSettings, clock: Clock, on_event: OnEvent | None = None
    ) -> None:
        self.settings = settings
        self.clock = clock
        self.on_event = on_event
        self.uid = f"watchfloor-{uuid.uuid4()}"
        self.tcp_port: int | None = None
        self.tls_port: int | None = None
        self._servers: list[asyncio.Server] = []
        self._sweeper: asyncio.Task[None] | None = None
        self._readers: set[asyncio.Task[None]] = set()
        self._conns: dict[str, Connection] = {}
        self._everyone: tuple[Connection, ...] = ()
        self._by_uid: dict[str, Connection] = {}
        self._by_callsign: dict[str, Connection] = {}
        self._picture = Picture(settings.picture_max)
        self._ids = itertools.count(1)
        self._stats = dict.fromkeys(_STATS, 0)
        self._tls: ssl.SSLContext | None = None
        self._trouble: tuple[float, str] | None = None  # (monotonic time, what happened)

    async def start(self) -> None:
        """Bind the configured ports (None = off) and start the stale sweep."""
        s = self.settings
        if s.tcp_port is not None:
            server = await asyncio.start_server(
                partial(self._accept, secure=False), s.host, s.tcp_port, limit=READ_CHUNK
            )
            self._servers.append(server)
            self.tcp_port = server.sockets[0].getsockname()[1]
        if s.tls_port is not None:
            assert s.cert_file is not None  # TakSettings checks all three
            assert s.key_file is not None
            assert s.ca_file is not None
            # The handshake runs in _accept (start_tls), so a refused one is counted and named.
            self._tls = server_tls_context(s.cert_file, s.key_file, s.ca_file)
            server = await asyncio.start_server(
                partial(self._accept, secure=True), s.host, s.tls_port, limit=READ_CHUNK
            )
            self._servers.append(server)
            self.tls_port = server.sockets[0].getsockname()[1]
        self._sweeper = asyncio.create_task(self._sweep_forever())
        log.info("TAK server listening on %s tcp=%s tls=%s", s.host, self.tcp_port, self.tls_port)

    async def stop(self) -> None:
        """Close the listeners and every client connection."""
        for server in self._servers:
            server.close()
        if self._sweeper is not None:
            self._sweeper.cancel()
        writers = [conn.writer_task for conn in self._conns.values() if conn.writer_task]
        for conn in list(self._conns.values()):
            self._drop(conn, "server stopping", abort=True)
        pending = [*writers, *self._readers]  # readers end once their transports are closed
        if pending:
            await asyncio.wait(pending, timeout=5.0)
        for server in self._servers:
            with contextlib.suppress(Exception):
                await server.wait_closed()
        self._servers.clear()

    # --- what Watchfloor calls -------------------------------------------------------------

    def publish(
        self,
        event: CotEvent,
        *,
        to_uids: Iterable[str] | None = None,
        to_callsigns: Iterable[str] | None = None,
    ) -> int:
        """Send Watchfloor's own event: to everyone when both are None (and keep it in the
        picture), else only to the clients with those uids or callsigns; returns deliveries."""
        self._stats["published"] += 1
        item = Encoded(event)
        if to_uids is None and to_callsigns is None:
            return self._route(item, None)
        targets = self._addressed(tuple(to_uids or ()), tuple(to_callsigns or ()))
        return self._deliver(item, targets, None)

    def clients(self) -> list[FieldClient]:
        """The connected clients."""
        return [conn.info for conn in self._conns.values()]

    def picture(self) -> list[CotEvent]:
        """The current picture: the latest unexpired event per uid."""
        return [item.event for item in self._picture.current(self.clock.now())]

    def stats(self) -> dict[str, int]:
        """Counters: received, delivered, dropped_slow, rejected, ... and current sizes."""
        return {**self._stats, "clients": len(self._conns), "picture": len(self._picture)}

    async def health(self) -> HealthReport:
        """The server's state for /healthz: listening, clients, and recent refusals."""
        if not self._servers:
            return HealthReport(HealthState.DOWN, "not listening")
        stats = self._stats
        detail = (
            f"{len(self._conns)} clients; {stats['rejected']} events rejected, "
            f"{stats['tls_refused']} TLS handshakes refused, {stats['dropped_slow']} slow dropped"
        )
        trouble = self._trouble
        if trouble is not None and time.monotonic() - trouble[0] < TROUBLE_SHOWN_S:
            return HealthReport(HealthState.DEGRADED, f"{trouble[1]}; {detail}")
        return HealthReport(HealthState.OK, detail)

    def sweep(self) -> int:
        """Expire stale tracks from the picture now; returns how many went."""
        gone = self._picture.expire(self.clock.now())
        self._stats["expired"] += gone
        return gone

    # --- connections -------------------------------------------------------------------------

    async def _accept(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, *, secure: bool
    ) -> None:
        peername = writer.get_extra_info("peername")
        peer = f"{peername[0]}:{peername[1]}" if isinstance(peername, tuple) else str(peername)
        if secure and not await self._handshake(writer, peer):
            return
        info = FieldClient(
            key=f"c{next(self._ids)}",
            uid=None,
            callsign=None,
            group=None,
            peer=peer,
            protocol="xml",
            secure=secure,
            cert_subject=subject_text(writer.get_extra_info("peercert")) if secure else None,
            connected_at=self.clock.now(),
        )
        conn = Connection(info, writer, self.settings.queue_size)
        self._conns[conn.key] = conn
        self._everyone = tuple(self._conns.values())
        self._stats["connections"] += 1
        conn.writer_task = asyncio.create_task(self._write(conn))
        log.info("TAK client %s connected from %s (%s)", conn.key, peer, info.cert_subject or "tcp")
        self._welcome(conn)
        current = asyncio.current_task()
        if current is not None:
            self._readers.add(current)
        try:
            reason = await self._read(conn, reader)
        except asyncio.CancelledError:
            # asyncio's server owns this task and logs a cancelled one as an error: end quietly
            reason = "cancelled"
        finally:
            self._readers.discard(current)
        self._drop(conn, reason)

    async def _handshake(self, writer: asyncio.StreamWriter, peer: str) -> bool:
        assert self._tls is not None
        try:
            await writer.start_tls(
                self._tls, ssl_handshake_timeout=self.settings.handshake_timeout_s
            )
        except (ssl.SSLError, OSError, TimeoutError) as exc:
            why = getattr(exc, "reason", None) or type(exc).__name__
            self._stats["tls_refused"] += 1
            self._trouble = (time.monotonic(), f"TLS handshake from {peer} refused: {why}")
            log.warning("TAK TLS handshake from %s refused: %s", peer, why)
            writer.transport.abort()
            return False
        return True

    def _welcome(self, conn: Connection) -> None:
        now = self.clock.now()
        if self.settings.offer_v1:
            conn.push(offer_xml(self.uid, now))
        conn.push_all([item.xml() for item in self._picture.current(now)])

    async def _write(self, conn: Connection) -> None:
        try:
            await conn.write_loop()
        except (ConnectionError, OSError) as exc:
            self._drop(conn, f"write failed: {exc!r}")

    async def _read(self, conn: Connection, reader: asyncio.StreamReader) -> str:
        """Read, split and handle events until the client goes; returns why it went."""
        limit = self.settings.max_event_bytes
        xml = XmlStreamSplitter(limit)
        proto: ProtoStreamSplitter | None = None
        try:
            while not conn.closed:
                # a read returns at once while data is buffered: yield first, so the writers
                # drain between chunks and one sender's burst does not fill every queue unread
                await asyncio.sleep(0)
                data = await reader.read(READ_CHUNK)
                if not data:
                    return "closed by the client"
                if proto is None:
                    for frame in xml.feed(data):
                        await self._receive(conn, self._parse_xml(conn, frame))
                    if not xml.proto_ahead:
                        continue
                    proto, data = ProtoStreamSplitter(limit), xml.take_rest()
                for payload in proto.feed(data):
                    await self._receive(conn, self._parse_v1(conn, payload))
        except FramingError as exc:
            self._stats["closed_bad_stream"] += 1
            log.warning("TAK client %s (%s) sent a bad stream: %s", conn.key, conn.info.peer, exc)
            return f"bad stream: {exc}"
        except (ConnectionError, OSError) as exc:
            return f"read failed: {exc!r}"
        return conn.reason or "closed"

    def _parse_xml(self, conn: Connection, frame: bytes) -> Encoded | None:
        try:
            event = parse_cot(frame, max_bytes=self.settings.max_event_bytes)
        except CotError as exc:
            return self._reject(conn, exc)
        return Encoded(event, xml=frame)

    def _parse_v1(self, conn: Connection, payload: bytes) -> Encoded | None:
        try:
            event = from_proto(payload, max_bytes=self.settings.max_event_bytes)
        except CotError as exc:
            return self._reject(conn, exc)
        return Encoded(event, v1=frame_proto(payload))

    def _reject(self, conn: Connection, exc: CotError) -> Encoded | None:
        self._stats["rejected"] += 1
        self._trouble = (time.monotonic(), f"event from {conn.info.peer} rejected: {exc.reason}")
        log.info("TAK client %s: event rejected, %s: %s", conn.key, exc.field, exc.reason)
        return None

    async def _receive(self, conn: Connection, item: Encoded | None) -> None:
        if item is None:
            return
        self._stats["received"] += 1
        event = item.event
        if event.type in CONTROL_TYPES:
            self._control(conn, event)
            return
        if conn.info.uid is None and event.callsign and event.type.startswith("a-"):
            self._identify(conn, event)
        self._route(item, conn)
        if self.on_event is not None:
            try:
                await self.on_event(event, conn.info)
            except Exception:
                log.exception("on_event failed for %s from %s", event.uid, conn.key)

    def _control(self, conn: Connection, event: CotEvent) -> None:
        now = self.clock.now()
        if event.type == PING:
            conn.push(pong_xml(self.uid, now))
            return
        version = requested_version(event)
        if version is None:
            return
        accepted = version == 1
        conn.push(response_xml(self.uid, now, accepted))
        if accepted:
            conn.update(protocol="v1")
            self._stats["negotiated_v1"] += 1
            log.info("TAK client %s switched to TAK protocol v1", conn.key)

    def _identify(self, conn: Connection, event: CotEvent) -> None:
        old = self._by_uid.get(event.uid)
        if old is not None and old is not conn:
            self._stats["replaced"] += 1
            self._drop(old, f"replaced by a newer connection {conn.key} from {conn.info.peer}")
        conn.update(uid=event.uid, callsign=event.callsign, group=event.group)
        self._by_uid[event.uid] = conn
        if event.callsign:
            self._by_callsign[event.callsign] = conn

    # --- routing -----------------------------------------------------------------------------

    def _route(self, item: Encoded, sender: Connection | None) -> int:
        event = item.event
        if event.dest_callsigns or event.dest_uids:
            targets = self._addressed(event.dest_uids, event.dest_callsigns)
            return self._deliver(item, targets, sender)
        if event.type == DELETE_TYPE:  # a delete removes what it names; it is not itself kept
            for uid in _LINKED_UID.findall(event.detail_xml):
                self._picture.remove(unescape(uid, {"&quot;": '"', "&apos;": "'"}))
        else:
            self._picture.put(item, self.clock.now())
        return self._deliver(item, self._everyone, sender)

    def _addressed(self, uids: tuple[str, ...], callsigns: tuple[str, ...]) -> list[Connection]:
        found = [self._by_uid.get(uid) for uid in uids]
        found += [self._by_callsign.get(callsign) for callsign in callsigns]
        return list({id(c): c for c in found if c is not None}.values())

    def _deliver(
        self, item: Encoded, targets: Iterable[Connection], sender: Connection | None
    ) -> int:
        delivered = 0
        xml: bytes | None = None
        for conn in targets:
            if conn is sender:
                continue
            if conn.protocol == "v1":
                data = item.v1()
            else:
                data = xml if xml is not None else (xml := item.xml())
            if conn.push(data):
                delivered += 1
            elif not conn.closed:
                self._stats["dropped_slow"] += 1
                reason = f"slow client: {conn.limit} events queued"
                self._drop(conn, reason, abort=True, warn=True)
        self._stats["delivered"] += delivered
        return delivered

    def _drop(
        self, conn: Connection, reason: str, *, abort: bool = False, warn: bool = False
    ) -> None:
        if self._conns.pop(conn.key, None) is None:
            return
        self._everyone = tuple(self._conns.values())
        info = conn.info
        if info.uid is not None and self._by_uid.get(info.uid) is conn:
            del self._by_uid[info.uid]
        if info.callsign is not None and self._by_callsign.get(info.callsign) is conn:
            del self._by_callsign[info.callsign]
        log.log(
            logging.WARNING if warn else logging.INFO,
            "TAK client %s (%s, uid %s) closed: %s",
            conn.key,
            info.peer,
            info.uid,
            reason,
        )
        conn.close(reason, abort=abort)

    async def _sweep_forever(self) -> None:
        while True:
            await asyncio.sleep(self.settings.sweep_every_s)
            self.sweep()
