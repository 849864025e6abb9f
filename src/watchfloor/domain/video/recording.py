"""On-demand recordings of a relay into MP4 files (init segment then fragments, written as they
come, so a crash leaves a playable file), and clips saved from a relay's kept fragments."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import BinaryIO

from watchfloor.connectors.rtsp.fmp4 import InitSegment, describe_init
from watchfloor.core.clock import Clock
from watchfloor.domain.video.ring import Kept
from watchfloor.domain.video.status import NothingRecorded, RecordedClip, RelayStatus
from watchfloor.domain.video.viewer import Viewer, is_init_segment

log = logging.getLogger(__name__)


class Recording:
    """A recording in progress; `stop()` ends it and gives the clip."""

    def __init__(self, code: str, dest: Path, viewer: Viewer, clock: Clock) -> None:
        self.code = code
        self.dest = dest
        self._viewer = viewer
        self._clock = clock
        self._task: asyncio.Task[None] | None = None
        self._init: InitSegment | None = None
        self.started_at: datetime | None = None
        self.ended_at: datetime | None = None
        self.size_bytes = 0
        self.fragments = 0
        self.ended_reason: str | None = None

    @property
    def done(self) -> bool:
        """Whether the recording has ended (stopped, at its limit, or the signal was lost)."""
        return self._task is not None and self._task.done()

    def start(self, max_s: float, finished: Callable[[], None]) -> None:
        """Begin writing in a task; finished is called once it ends, however it ends."""
        self._task = asyncio.get_running_loop().create_task(self._run(max_s, finished))

    async def stop(self) -> RecordedClip:
        """End the recording and give its clip; NothingRecorded when no video came."""
        await self.finish("stopped")
        if self._init is None or self.started_at is None or self.ended_at is None:
            await asyncio.to_thread(self.dest.unlink, missing_ok=True)
            raise NothingRecorded(f"nothing recorded from camera {self.code}: no video came")
        return RecordedClip(
            self.dest, self.started_at, self.ended_at, self.size_bytes, self._init.codec
        )

    async def finish(self, reason: str) -> None:
        """End the recording (what is queued is still written) and wait for the file to close."""
        self._viewer.end(None, reason, keep_queued=True)
        if self._task is not None:
            await self._task

    async def _run(self, max_s: float, finished: Callable[[], None]) -> None:
        try:
            handle = await asyncio.to_thread(self.dest.open, "wb")
            try:
                async with asyncio.timeout(max_s):
                    await self._write_all(handle)
            except TimeoutError:
                self.ended_reason = "the longest recording allowed (max_recording_s) was reached"
            finally:
                await asyncio.to_thread(handle.close)
        finally:
            log.info("recording of %s ended: %s", self.code, self.ended_reason)
            finished()

    async def _write_all(self, handle: BinaryIO) -> None:
        async for item in self._viewer:
            if isinstance(item, RelayStatus):
                if item.state != "live" and self.fragments:
                    self.ended_reason = f"the signal was lost ({item.reason})"
                    return
            elif is_init_segment(item):
                if self.fragments:
                    self.ended_reason = "the stream restarted"
                    return
                self._init = describe_init(item)
            elif self._init is not None:
                await self._write(handle, item)
        self.ended_reason = self._viewer.ended_reason

    async def _write(self, handle: BinaryIO, fragment: bytes) -> None:
        assert self._init is not None
        if not self.fragments:
            await asyncio.to_thread(handle.write, self._init.data)
            self.size_bytes += len(self._init.data)
            self.started_at = self._clock.now()
        await asyncio.to_thread(handle.write, fragment)
        self.size_bytes += len(fragment)
        self.fragments += 1
        self.ended_at = self._clock.now()


async def save_clip(init: InitSegment, kept: list[Kept], dest: Path) -> RecordedClip:
    """Write an init segment and kept fragments (from a keyframe) as one MP4 file."""
    data = b"".join([init.data, *(k.fragment.data for k in kept)])
    await asyncio.to_thread(dest.write_bytes, data)
    return RecordedClip(dest, kept[0].at, kept[-1].at, len(data), init.codec)
