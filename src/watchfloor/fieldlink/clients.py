"""Connected TAK clients: what the rest of Watchfloor sees of one (`FieldClient`) and the
connection itself with its bounded queue and its own writer, so one slow client never blocks
another."""

from __future__ import annotations

import asyncio
import contextlib
from collections import deque
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Literal

Protocol = Literal["xml", "v1"]


@dataclass(frozen=True)
class FieldClient:
    """A connected TAK client as seen by Watchfloor."""

    key: str
    uid: str | None
    callsign: str | None
    group: str | None
    peer: str
    protocol: Protocol
    secure: bool
    cert_subject: str | None
    connected_at: datetime


class Connection:
    """One client connection: identity learned from its events, a bounded outbound queue and the
    writer task that drains it with backpressure."""

    def __init__(
        self,
        info: FieldClient,
        writer: asyncio.StreamWriter,
        queue_size: int,
    ) -> None:
        self.info = info
        self.protocol: Protocol = info.protocol
        self.writer = writer
        self.limit = queue_size
        self.queue: deque[bytes] = deque()
        self.closed = False
        self.reason: str | None = None
        self.writer_task: asyncio.Task[None] | None = None
        self._waiter: asyncio.Future[None] | None = None

    @property
    def key(self) -> str:
        """The connection id."""
        return self.info.key

    def update(
        self,
        *,
        uid: str | None = None,
        callsign: str | None = None,
        group: str | None = None,
        protocol: Protocol | None = None,
    ) -> None:
        """Learn the client's identity or switch its protocol."""
        self.info = replace(
            self.info,
            uid=uid or self.info.uid,
            callsign=callsign or self.info.callsign,
            group=group or self.info.group,
            protocol=protocol or self.info.protocol,
        )
        self.protocol = self.info.protocol

    def push_all(self, items: list[bytes]) -> None:
        """Queue bytes regardless of the bound (the picture a joiner is owed)."""
        if items and not self.closed:
            self.queue.extend(items)
            self._wake()

    def push(self, data: bytes) -> bool:
        """Queue bytes for this client; False when its queue is full (the caller drops it)."""
        queue = self.queue
        if self.closed or len(queue) >= self.limit:
            return False
        queue.append(data)
        if self._waiter is not None:
            self._wake()
        return True

    def _wake(self) -> None:
        waiter = self._waiter
        if waiter is not None:
            self._waiter = None
            if not waiter.done():
                waiter.set_result(None)

    async def write_loop(self) -> None:
        """Drain the queue into the socket, several events per write, waiting on backpressure."""
        loop = asyncio.get_running_loop()
        queue = self.queue
        writer = self.writer
        while not self.closed:
            if not queue:
                self._waiter = loop.create_future()
                await self._waiter
                continue
            if len(queue) == 1:
                data = queue.popleft()
            else:
                data = b"".join(queue)
                queue.clear()
            writer.write(data)
            await writer.drain()

    def close(self, reason: str, *, abort: bool = False) -> None:
        """Stop this connection; `abort` discards what is still unsent."""
        if self.closed:
            return
        self.closed = True
        self.reason = reason
        self.queue.clear()
        waiter = self._waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(None)
        with contextlib.suppress(Exception):
            if abort:
                self.writer.transport.abort()
            else:
                self.writer.close()
        task = self.writer_task
        if task is not None and task is not asyncio.current_task():
            task.cancel()
