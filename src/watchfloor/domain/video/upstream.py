"""One camera's single upstream connection, in its own thread (PyAV demuxing blocks): open,
remux to fMP4, hand every piece to the relay, and on any failure say why and reconnect with
exponential backoff until told to stop."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import av
from av.container import InputContainer
from av.packet import Packet
from av.video.stream import VideoStream

from watchfloor.connectors.rtsp.fmp4 import Fragment, InitSegment, Remuxer
from watchfloor.connectors.rtsp.source import StreamError, StreamFailure, open_input
from watchfloor.settings import VideoSettings

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Down:
    """The connection failed or ended; the thread waits retry_in_s and tries again."""

    failure: StreamFailure
    retry_in_s: float


UpstreamEvent = InitSegment | Fragment | Down


class Upstream:
    """The reader thread of one relay; emit is called from that thread."""

    def __init__(
        self, name: str, url: str, settings: VideoSettings, emit: Callable[[UpstreamEvent], None]
    ) -> None:
        self._name = name
        self._url = url
        self._settings = settings
        self._emit = emit
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"relay {name}", daemon=True)

    def start(self) -> None:
        """Start reading."""
        self._thread.start()

    def stop(self) -> None:
        """Ask the thread to end (it notices between packets, or when an open gives up)."""
        self._stop.set()

    def join(self, timeout_s: float) -> bool:
        """Wait for the thread to end; whether it did."""
        self._thread.join(timeout_s)
        return not self._thread.is_alive()

    def _run(self) -> None:
        delay = self._settings.reconnect_initial_s
        while not self._stop.is_set():
            failure, produced = self._session()
            if self._stop.is_set():
                break
            if produced:
                delay = self._settings.reconnect_initial_s
            self._emit(Down(failure, delay))
            self._stop.wait(delay)
            delay = min(delay * 2, self._settings.reconnect_max_s)

    def _session(self) -> tuple[StreamFailure, bool]:
        """One connection, until it fails; why, and whether it produced any fragment."""
        try:
            container = open_input(self._url, timeout_s=self._settings.open_timeout_s)
        except StreamError as error:
            return error.failure, False
        except Exception as error:  # a relay thread must outlive anything a broken stream does
            # Only the type: the message of an error from FFmpeg may quote the address.
            log.warning("relay: opening the stream failed unexpectedly (%s)", type(error).__name__)
            return StreamFailure.GARBAGE, False
        try:
            return self._pump(container, container.streams.video[0])
        finally:
            container.close()

    def _pump(self, container: InputContainer, stream: VideoStream) -> tuple[StreamFailure, bool]:
        remuxer = Remuxer(stream)
        pump = _Pump(self._settings.open_timeout_s)
        try:
            for packet in container.demux(stream):
                if self._stop.is_set():
                    return StreamFailure.ENDED, pump.produced
                if pump.stalled():
                    return StreamFailure.TIMEOUT, pump.produced
                restarts = pump.restarts
                if pump.accepts(packet):
                    pump.sent(self._send(remuxer.push(packet)))
                if pump.restarts != restarts:
                    log.info("relay %s: the camera's clock went back; video goes on", self._name)
            return StreamFailure.ENDED, pump.produced
        except av.error.ExitError:  # PyAV's read timeout: no packet within open_timeout_s
            return StreamFailure.TIMEOUT, pump.produced
        except (av.error.EOFError, av.error.OSError):
            return StreamFailure.ENDED, pump.produced
        except (av.error.FFmpegError, ValueError, KeyError, IndexError):
            return StreamFailure.GARBAGE, pump.produced
        finally:
            remuxer.close()

    def _send(self, pieces: list[InitSegment | Fragment]) -> int:
        for piece in pieces:
            self._emit(piece)
        return sum(isinstance(piece, Fragment) for piece in pieces)


class _Pump:
    """Which packets go to the muxer, and when: from the first keyframe on, decode times rising.
    A keyframe whose time goes back starts the camera's clock again (its encoder restarted, or a
    server that shares one stream seeked it for a new client); its times are moved on to follow
    the last packet's, so viewers and recordings see one unbroken stream."""

    def __init__(self, stall_s: float) -> None:
        self._stall_s = stall_s
        self._last_output = time.monotonic()
        self._last_dts: int | None = None
        self._step = 1
        self._offset = 0
        self.produced = False
        self.restarts = 0

    def accepts(self, packet: Packet[VideoStream]) -> bool:
        """Whether to mux this packet (skip empty ones, a leading partial GOP, dts going back
        without a keyframe); an accepted packet's times are set on the relay's timeline."""
        if packet.dts is None or packet.size == 0:
            return False
        dts = packet.dts + self._offset
        if self._last_dts is None:
            if not packet.is_keyframe:
                return False
        elif dts <= self._last_dts:
            if not (packet.is_keyframe and dts < self._last_dts):
                return False
            self._offset += self._last_dts + self._step - dts
            dts = self._last_dts + self._step
            self.restarts += 1
        else:
            self._step = dts - self._last_dts
        self._last_dts = dts
        if packet.pts is not None:
            packet.pts += dts - packet.dts
        packet.dts = dts
        return True

    def sent(self, fragments: int) -> None:
        """Note fragments handed on (a stream that sends packets but no video is stalled)."""
        if fragments:
            self.produced = True
            self._last_output = time.monotonic()

    def stalled(self) -> bool:
        """No fragment for stall_s seconds."""
        return time.monotonic() - self._last_output > self._stall_s
