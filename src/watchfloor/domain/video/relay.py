"""Live relays: one upstream connection per camera, shared by every viewer, remuxed to fMP4 for
the browser's Media Source Extensions without transcoding. A relay reconnects on its own, says
"no_signal" while down, keeps its last minutes for 'save the last N seconds', and stops a while
after its last viewer has gone."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import replace
from pathlib import Path

from watchfloor.connectors.rtsp.fmp4 import Fragment, InitSegment
from watchfloor.connectors.rtsp.source import StreamFailure
from watchfloor.core.clock import Clock
from watchfloor.domain.video.recording import Recording, save_clip
from watchfloor.domain.video.ring import FragmentRing
from watchfloor.domain.video.status import (
    NothingRecorded,
    RecordedClip,
    RelayLimitReached,
    RelayState,
    RelayStats,
    RelayStatus,
)
from watchfloor.domain.video.upstream import Down, Upstream, UpstreamEvent
from watchfloor.domain.video.viewer import Viewer
from watchfloor.settings import VideoSettings

log = logging.getLogger(__name__)
# Retrying will not fix these without someone acting (a password, a path, a camera setting).
REFUSALS = frozenset({StreamFailure.UNAUTHORIZED, StreamFailure.NOT_FOUND, StreamFailure.NO_VIDEO})
JOIN_GRACE_S = 5.0


def playable(codec: str) -> bool:
    """Whether every browser can be assumed to play it (H.264 yes; H.265 is the browser's call)."""
    return codec.startswith(("avc1", "avc3"))


class Relay:
    """One camera's relay: its upstream thread, its viewers, its kept fragments."""

    def __init__(self, code: str, url: str, settings: VideoSettings, clock: Clock) -> None:
        self.code = code
        self.url = url
        self._settings = settings
        self._clock = clock
        self._loop = asyncio.get_running_loop()
        self.viewers: list[Viewer] = []
        self.status = RelayStatus("connecting", None, None, None, clock.now())
        self.ring = FragmentRing(settings.relay_buffer_s)
        self.started_at = clock.now()
        self.fragments = self.bytes = self.reconnects = 0
        self.linger: asyncio.TimerHandle | None = None
        self.stopped = False
        self.upstream = Upstream(code, url, settings, self._from_thread)

    def stats(self) -> RelayStats:
        """The relay's counters now."""
        return RelayStats(
            self.code,
            self.status.state,
            len(self.viewers),
            self.fragments,
            self.bytes,
            self.reconnects,
            self.started_at,
        )

    def join(self, viewer: Viewer) -> None:
        """Add a viewer: the state now and, when live, the init segment and the current GOP."""
        if self.linger is not None:
            self.linger.cancel()
            self.linger = None
        self.viewers.append(viewer)
        viewer.offer_status(self.status)
        if self.status.state == "live" and self.ring.init is not None:
            viewer.offer_init(self.ring.init.data)
            gop = self.ring.current_gop() if viewer.backlog else []
            if len(gop) >= self._settings.relay_viewer_queue // 2:
                gop = []  # a long GOP would fill the new viewer's queue: wait for the next one
                viewer.wait_for_keyframe()
            for fragment in gop:
                viewer.offer_fragment(fragment)

    def stop(self, reason: str) -> None:
        """End every viewer and tell the thread to end (the caller joins it)."""
        self.stopped = True
        if self.linger is not None:
            self.linger.cancel()
        self.upstream.stop()
        final = replace(self.status, state="no_signal", reason=reason, at=self._clock.now())
        for viewer in self.viewers:
            viewer.end(final, reason)
        self.viewers.clear()

    def _from_thread(self, event: UpstreamEvent) -> None:
        try:
            self._loop.call_soon_threadsafe(self._on_event, event)
        except RuntimeError:  # the event loop is closed: nobody is left to tell
            self.upstream.stop()

    def _on_event(self, event: UpstreamEvent) -> None:
        if self.stopped:
            return
        if isinstance(event, InitSegment):
            # "live" before the init segment: a player needs the codec to make its buffer.
            self._set_status("live", None, event.codec)
            self.ring.reset(event)
            self._deliver(lambda viewer: viewer.offer_init(event.data))
        elif isinstance(event, Fragment):
            self._on_fragment(event)
        else:
            self._on_down(event)

    def _on_fragment(self, fragment: Fragment) -> None:
        self.fragments += 1
        self.bytes += len(fragment.data)
        self.ring.add(fragment, time.monotonic(), self._clock.now())
        self._deliver(lambda viewer: viewer.offer_fragment(fragment))

    def _on_down(self, down: Down) -> None:
        self.reconnects += 1
        state: RelayState = "failed" if down.failure in REFUSALS else "no_signal"
        if (state, down.failure.value) != (self.status.state, self.status.reason):
            self._set_status(state, down.failure.value, self.status.codec)
        log.info("relay %s: %s, retrying in %.1f s", self.code, down.failure, down.retry_in_s)

    def _set_status(self, state: RelayState, reason: str | None, codec: str | None) -> None:
        usable = None if codec is None else playable(codec)
        self.status = RelayStatus(state, reason, codec, usable, self._clock.now())
        log.info("relay %s: %s (%s)", self.code, state, reason or "ok")
        for viewer in self.viewers:
            viewer.offer_status(self.status)

    def _deliver(self, offer: Callable[[Viewer], bool]) -> None:
        for viewer in list(self.viewers):
            if not offer(viewer):
                self._drop(viewer)

    def _drop(self, viewer: Viewer) -> None:
        limit = self._settings.relay_viewer_queue
        reason = f"viewer too slow: {limit} fragments waiting, dropped"
        log.warning("relay %s: %s", self.code, reason)
        viewer.end(replace(self.status, reason=reason, at=self._clock.now()), reason)
        self.viewers.remove(viewer)


class RelayPool:
    """Every running relay, by camera code; at most settings.relay_max at once."""

    def __init__(self, settings: VideoSettings, clock: Clock) -> None:
        self._settings = settings
        self._clock = clock
        self._relays: dict[str, Relay] = {}
        self._joins: set[asyncio.Task[bool]] = set()
        self._recordings: set[Recording] = set()

    @asynccontextmanager
    async def watch(self, code: str, url: str) -> AsyncIterator[Viewer]:
        """Join (or start) the camera's relay for the block; raises RelayLimitReached."""
        viewer = Viewer(self._settings.relay_viewer_queue)
        relay = self._join(code, url, viewer)
        try:
            yield viewer
        finally:
            self._leave(relay, viewer)

    def status(self, code: str) -> RelayStatus | None:
        """The camera's relay state, or None when no relay runs for it."""
        relay = self._relays.get(code)
        return relay.status if relay else None

    def stats(self) -> list[RelayStats]:
        """Counters of every running relay."""
        return [relay.stats() for relay in self._relays.values()]

    async def record(self, code: str, url: str, dest: Path) -> Recording:
        """Record from the next keyframe into dest (an .mp4) until stopped or max_recording_s."""
        viewer = Viewer(self._settings.relay_viewer_queue * 4, backlog=False)
        relay = self._join(code, url, viewer)
        recording = Recording(code, dest, viewer, self._clock)

        def finished() -> None:
            self._recordings.discard(recording)
            self._leave(relay, viewer)

        recording.start(self._settings.max_recording_s, finished)
        self._recordings.add(recording)
        return recording

    async def save_last(self, code: str, seconds: float, dest: Path) -> RecordedClip:
        """Write the kept last `seconds` (from a keyframe) of the camera's relay to dest."""
        relay = self._relays.get(code)
        init = relay.ring.init if relay else None
        if relay is None or init is None:
            raise NothingRecorded(f"no video kept for camera {code}: no relay is running")
        kept = relay.ring.last(seconds, time.monotonic())
        if not kept:
            raise NothingRecorded(f"no video kept for camera {code} yet")
        return await save_clip(init, kept, dest)

    async def close(self) -> None:
        """Stop every recording and relay, and wait for every reader thread to end."""
        for recording in list(self._recordings):
            await recording.finish("the relay pool closed")
        for relay in list(self._relays.values()):
            self._retire(relay, "relay pool closed")
        if self._joins:
            await asyncio.gather(*self._joins)

    def _join(self, code: str, url: str, viewer: Viewer) -> Relay:
        relay = self._relays.get(code)
        if relay is not None and relay.url != url:
            self._retire(relay, "the camera's stream address changed")
            relay = None
        if relay is None:
            if len(self._relays) >= self._settings.relay_max:
                raise RelayLimitReached(self._settings.relay_max)
            relay = Relay(code, url, self._settings, self._clock)
            self._relays[code] = relay
            relay.upstream.start()
            log.info("relay %s: started", code)
        relay.join(viewer)
        return relay

    def _leave(self, relay: Relay, viewer: Viewer) -> None:
        if viewer in relay.viewers:
            relay.viewers.remove(viewer)
        if relay.viewers or relay.stopped or relay.linger is not None:
            return
        loop = asyncio.get_running_loop()
        linger = self._settings.relay_linger_s
        relay.linger = loop.call_later(linger, self._retire, relay, "no viewers left")

    def _retire(self, relay: Relay, reason: str) -> None:
        if relay.viewers and reason == "no viewers left":
            return
        if self._relays.get(relay.code) is relay:
            del self._relays[relay.code]
        relay.stop(reason)
        log.info("relay %s: stopped (%s)", relay.code, reason)
        timeout = self._settings.open_timeout_s + JOIN_GRACE_S
        task = asyncio.get_running_loop().create_task(
            asyncio.to_thread(relay.upstream.join, timeout)
        )
        self._joins.add(task)
        task.add_done_callback(self._joins.discard)
