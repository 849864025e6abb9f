"""LiveHub: numbers every console-relevant event, keeps a bounded journal for catch-up after a
reconnect, and fans messages out to connected consoles without ever blocking the bus."""

from __future__ import annotations

import asyncio
import logging
import secrets
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import orjson
from pydantic import BaseModel

from watchfloor.core.bus import EventBus, subject_matches
from watchfloor.core.clock import Clock
from watchfloor.core.events import Event

log = logging.getLogger(__name__)

RowOf = Callable[[str], Awaitable[BaseModel | None]]
Translator = Callable[[Event[Any]], Awaitable[dict[str, Any] | None]]
"""Turns one bus event into a console message (a dict with a "type"), or None to skip it."""
ROW_KINDS = frozenset(
    {"incident.created", "incident.updated", "incident.claimed", "incident.released"}
)
NOTE_KIND = "incident.note.added"
ALERT_KINDS = frozenset({"lpr.alert.raised", "lpr.alert.updated"})
CAMERA_STATUS_KIND = "camera.status.changed"  # summary only: what the map needs to recolour


@dataclass(eq=False)
class Listener:
    """One connected console: a bounded outbox; overflowing it ends the connection (the
    console reconnects and catches up from the journal instead of silently missing events)."""

    outbox: asyncio.Queue[bytes]
    overflowed: bool = False

    def offer(self, message: bytes) -> None:
        """Queue a message, or mark the listener overflowed when its console is too slow."""
        if self.overflowed:
            return
        try:
            self.outbox.put_nowait(message)
        except asyncio.QueueFull:
            self.overflowed = True


@dataclass(frozen=True)
class Attachment:
    """What a (re)connecting console gets: its listener and either a replay or a resync order."""

    listener: Listener
    replay: list[bytes] = field(default_factory=list)
    resync: bool = False


class LiveHub:
    """Turns bus events into numbered console messages (one sequence per process epoch)."""

    def __init__(
        self,
        bus: EventBus,
        row_of: RowOf,
        clock: Clock,
        *,
        journal_size: int = 10_000,
        outbox_size: int = 2_000,
    ) -> None:
        self.epoch = secrets.token_hex(8)
        self.seq = 0
        self._bus = bus
        self._row_of = row_of
        self._clock = clock
        self._journal: deque[tuple[int, bytes]] = deque(maxlen=journal_size)
        self._listeners: set[Listener] = set()
        self._outbox_size = outbox_size
        self._translators: list[tuple[str, Translator]] = []

    def add_translator(self, pattern: str, translator: Translator) -> None:
        """Forward events matching the subject pattern to the consoles through translator
        (domains register their own message types here; the first matching translator wins)."""
        self._translators.append((pattern, translator))

    @property
    def listeners(self) -> int:
        """Consoles connected now."""
        return len(self._listeners)

    async def run(self) -> None:
        """Consume incident and alert events until cancelled."""
        subscription = self._bus.subscribe(">", max_pending=50_000)
        try:
            async for event in subscription:
                try:
                    message = await self._message(event)
                except Exception:  # one bad event must not stop the floor's live view
                    log.exception("live: could not translate %s", event.kind)
                    continue
                if message is not None:
                    self.publish(message)
        finally:
            subscription.close()

    def publish(self, message: dict[str, Any]) -> int:
        """Number a message, journal it and hand it to every console; returns its seq."""
        self.seq += 1
        message["seq"] = self.seq
        message["sent_at_ms"] = round(self._clock.now().timestamp() * 1000, 1)
        encoded = orjson.dumps(message)
        self._journal.append((self.seq, encoded))
        for listener in list(self._listeners):
            listener.offer(encoded)
        return self.seq

    def attach(self, since: int | None, epoch: str | None) -> Attachment:
        """Register a console; replay what it missed since `since`, or tell it to resync."""
        listener = Listener(asyncio.Queue(self._outbox_size))
        self._listeners.add(listener)
        if since is None:
            return Attachment(listener)
        oldest = self._journal[0][0] if self._journal else self.seq + 1
        if epoch != self.epoch or since > self.seq or since < oldest - 1:
            return Attachment(listener, resync=True)
        return Attachment(listener, replay=[m for seq, m in self._journal if seq > since])

    def detach(self, listener: Listener) -> None:
        """Forget a console that went away."""
        self._listeners.discard(listener)

    def hello(self) -> bytes:
        """The first message on every connection."""
        return self._control("hello")

    def resync(self) -> bytes:
        """Tells a console its catch-up is impossible: reload the queue."""
        return self._control("resync")

    def ping(self) -> bytes:
        """A heartbeat, so a console can tell a dead connection from a quiet floor."""
        return self._control("ping")

    def _control(self, kind: str) -> bytes:
        return orjson.dumps(
            {
                "type": kind,
                "epoch": self.epoch,
                "seq": self.seq,
                "server_time": self._clock.now().isoformat(),
            }
        )

    async def _message(self, event: Event[Any]) -> dict[str, Any] | None:
        for pattern, translator in self._translators:
            if subject_matches(pattern, event.kind):
                return await translator(event)
        return await self._core_message(event)

    async def _core_message(self, event: Event[Any]) -> dict[str, Any] | None:
        if event.kind in ALERT_KINDS:
            # The summary only: the image, the entry and the read travel on the audited path.
            return {
                "type": "plate_alert",
                "kind": event.kind,
                "alert": event.payload.model_dump(mode="json"),
            }
        if event.kind == CAMERA_STATUS_KIND:
            status = event.payload
            return {
                "type": "camera_status",
                "kind": event.kind,
                "camera": {
                    "code": status.camera_code,
                    "status": status.status,
                    "problems": status.problems,
                    "checked_at": status.checked_at.isoformat() if status.checked_at else None,
                },
            }
        incident_id = getattr(event.payload, "incident_id", None)
        if not isinstance(incident_id, str):
            return None
        if event.kind in ROW_KINDS:
            row = await self._row_of(incident_id)
            return {
                "type": "incident",
                "kind": event.kind,
                "incident_id": incident_id,
                "row": None if row is None else row.model_dump(mode="json"),
            }
        if event.kind == NOTE_KIND:
            author = getattr(event.payload, "designator", None) or getattr(
                event.payload, "author", None
            )
            return {
                "type": "note",
                "kind": event.kind,
                "incident_id": incident_id,
                "note_id": getattr(event.payload, "note_id", None),
                "author": author,
            }
        return None
