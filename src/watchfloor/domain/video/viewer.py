"""One viewer of a relay: a bounded queue of what to send it, read as an async iterator."""

from __future__ import annotations

import asyncio
from collections import deque

from watchfloor.connectors.rtsp.fmp4 import Fragment
from watchfloor.domain.video.status import RelayStatus


def is_init_segment(data: bytes) -> bool:
    """Whether bytes from a viewer are an init segment (ftyp+moov) rather than a fragment."""
    return data[4:8] == b"ftyp"


class Viewer:
    """Yields RelayStatus on every state change and bytes: an init segment (again after every
    reconnect, always after a "live" status naming its codec), then fragments from a keyframe
    on. Ends when dropped (a last RelayStatus says why) or when its relay stops."""

    def __init__(self, limit: int, *, backlog: bool = True) -> None:
        self._limit = limit
        self._items: deque[RelayStatus | bytes] = deque()
        self._queued = 0
        self._ready = asyncio.Event()
        self._awaiting_keyframe = not backlog
        self.backlog = backlog
        self.ended_reason: str | None = None
        self._ended = False

    def __aiter__(self) -> Viewer:
        return self

    async def __anext__(self) -> RelayStatus | bytes:
        while not self._items:
            if self._ended:
                raise StopAsyncIteration
            self._ready.clear()
            await self._ready.wait()
        item = self._items.popleft()
        if isinstance(item, bytes):
            self._queued -= 1
        return item

    @property
    def ended(self) -> bool:
        """Whether the viewer was dropped or its relay stopped."""
        return self._ended

    def wait_for_keyframe(self) -> None:
        """Skip fragments until the next keyframe (a fresh start without the current GOP)."""
        self._awaiting_keyframe = True

    def offer_status(self, status: RelayStatus) -> None:
        """Queue a state change (statuses do not count against the limit)."""
        self._put(status)

    def offer_init(self, data: bytes) -> bool:
        """Queue an init segment; False when the queue is full (the viewer must go)."""
        return self._put_bytes(data)

    def offer_fragment(self, fragment: Fragment) -> bool:
        """Queue a fragment (a viewer starting fresh waits for a keyframe); False when full."""
        if self._awaiting_keyframe:
            if not fragment.keyframe:
                return True
            self._awaiting_keyframe = False
        return self._put_bytes(fragment.data)

    def end(self, final: RelayStatus | None, reason: str, *, keep_queued: bool = False) -> None:
        """End the iteration (after what is queued, if kept), saying why when final is given."""
        if self._ended:
            return
        if not keep_queued:
            self._items.clear()
            self._queued = 0
        if final is not None:
            self._items.append(final)
        self.ended_reason = reason
        self._ended = True
        self._ready.set()

    def _put_bytes(self, data: bytes) -> bool:
        if self._ended:
            return True
        if self._queued >= self._limit:
            return False
        self._queued += 1
        self._put(data)
        return True

    def _put(self, item: RelayStatus | bytes) -> None:
        if not self._ended:
            self._items.append(item)
            self._ready.set()
