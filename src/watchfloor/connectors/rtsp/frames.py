"""Sampling a camera's stream: a few seconds of decoded video as small grayscale thumbnails with
the measured frame rate (for health probes), or one still frame as JPEG. Blocking: run these in a
worker thread, never on the event loop. Failures are `StreamError`s naming why."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from fractions import Fraction

import av
import numpy as np
import numpy.typing as npt
from av.container import InputContainer
from av.packet import Packet
from av.video.frame import VideoFrame
from av.video.stream import VideoStream

from watchfloor.connectors.rtsp.source import StreamError, StreamFailure, open_input, redact

THUMB_WIDTH = 64
THUMB_HEIGHT = 36
MAX_THUMBNAILS = 300  # 30 fps for 10 s; each is 2.3 kB
JPEG_QUALITY = 4  # mjpeg qscale: 2 (best) .. 31

Thumbnail = npt.NDArray[np.uint8]


@dataclass(frozen=True)
class FrameSample:
    """What a short sample of a stream showed: codec, size, measured rate and thumbnails."""

    codec: str
    width: int
    height: int
    frames: int
    fps: float
    declared_fps: float | None
    bad_packets: int
    thumbnails: list[Thumbnail] = field(repr=False)


@dataclass(frozen=True)
class Still:
    """One frame of a stream as JPEG."""

    jpeg: bytes
    width: int
    height: int
    at: datetime


@dataclass
class _Tally:
    """Frames seen so far: their thumbnails and timing."""

    started: float
    thumbnails: list[Thumbnail] = field(default_factory=list)
    frames: int = 0
    bad_packets: int = 0
    first_wall: float | None = None
    last_wall: float = 0.0
    first_pts: float | None = None
    last_pts: float | None = None
    stamped: int = 0

    def add(self, frame: VideoFrame) -> None:
        now = time.monotonic()
        self.frames += 1
        if self.first_wall is None:
            self.first_wall = now
        self.last_wall = now
        if frame.time is not None:
            self.first_pts = frame.time if self.first_pts is None else self.first_pts
            self.last_pts = frame.time
            self.stamped += 1
        if len(self.thumbnails) < MAX_THUMBNAILS:
            small = frame.reformat(width=THUMB_WIDTH, height=THUMB_HEIGHT, format="gray")
            self.thumbnails.append(np.asarray(small.to_ndarray(), dtype=np.uint8))

    def fps(self) -> float:
        """Frames per second over the sample: by timestamps, or by the wall clock when frames
        came slower than their timestamps say (a camera that cannot keep up)."""
        if self.frames < 2 or self.first_wall is None:
            return 0.0
        wall = (self.frames - 1, self.last_wall - self.first_wall)
        stamped = (self.stamped - 1, self.video_seconds()) if self.stamped >= 2 else wall
        intervals, span = stamped if stamped[1] >= wall[1] else wall
        return intervals / span if span > 0 else 0.0

    def video_seconds(self) -> float:
        """How much video the sample has covered so far."""
        if self.first_pts is not None and self.last_pts is not None:
            return self.last_pts - self.first_pts
        return 0.0 if self.first_wall is None else self.last_wall - self.first_wall


def sample_frames(
    url: str, seconds: float, timeout_s: float, stop: threading.Event | None = None
) -> FrameSample:
    """Decode about `seconds` of the stream (blocking); raises StreamError when it cannot be
    opened, sends nothing decodable, or stops. `stop` ends the sample early."""
    container = open_input(url, timeout_s=timeout_s)
    try:
        stream = container.streams.video[0]
        tally = _Tally(started=time.monotonic())
        _decode(container, stream, url, _Limits(seconds, timeout_s, stop), tally)
        return FrameSample(
            codec=stream.codec_context.name,
            width=stream.codec_context.width,
            height=stream.codec_context.height,
            frames=tally.frames,
            fps=tally.fps(),
            declared_fps=_declared(stream.average_rate),
            bad_packets=tally.bad_packets,
            thumbnails=tally.thumbnails,
        )
    finally:
        container.close()


@dataclass(frozen=True)
class _Limits:
    seconds: float
    timeout_s: float
    stop: threading.Event | None

    def stopped(self) -> bool:
        return self.stop is not None and self.stop.is_set()


def _decode(
    container: InputContainer, stream: VideoStream, url: str, limits: _Limits, tally: _Tally
) -> None:
    """Demux and decode into the tally until enough video is seen, or fail."""
    deadline = tally.started + limits.seconds + limits.timeout_s
    try:
        for packet in container.demux(stream):
            _decode_packet(packet, tally)
            if tally.video_seconds() >= limits.seconds or limits.stopped():
                return
            if time.monotonic() > deadline:
                break
            if tally.frames == 0 and time.monotonic() - tally.started > limits.timeout_s:
                break
    except av.error.FFmpegError as error:
        if tally.frames < 2:
            raise StreamError(StreamFailure.ENDED, f"{redact(url)}: {error.strerror}") from error
        return
    _check_enough(tally, url, limits)


def _decode_packet(packet: Packet[VideoStream], tally: _Tally) -> None:
    try:
        for frame in packet.decode():
            if isinstance(frame, VideoFrame):
                tally.add(frame)
    except av.error.InvalidDataError:
        tally.bad_packets += 1


def _check_enough(tally: _Tally, url: str, limits: _Limits) -> None:
    """The demuxer ended or time ran out: fine when some video came, else say why not."""
    if tally.frames >= 2 or limits.stopped():
        return
    if tally.bad_packets:
        raise StreamError(StreamFailure.GARBAGE, f"{redact(url)}: nothing decodable")
    if time.monotonic() - tally.started > limits.timeout_s:
        raise StreamError(StreamFailure.TIMEOUT, f"{redact(url)}: no video within the limit")
    raise StreamError(StreamFailure.ENDED, f"{redact(url)}: the stream stopped")


def _declared(rate: Fraction | None) -> float | None:
    return float(rate) if rate else None


def grab_still(url: str, timeout_s: float) -> Still:
    """The first decodable frame of the stream as JPEG (blocking); raises StreamError."""
    container = open_input(url, timeout_s=timeout_s)
    try:
        frame = _first_frame(container, url, timeout_s)
        return Still(
            jpeg=encode_jpeg(frame), width=frame.width, height=frame.height, at=datetime.now(UTC)
        )
    finally:
        container.close()


def _first_frame(container: InputContainer, url: str, timeout_s: float) -> VideoFrame:
    started = time.monotonic()
    tally = _Tally(started=started)
    try:
        for packet in container.demux(container.streams.video[0]):
            try:
                frames = [f for f in packet.decode() if isinstance(f, VideoFrame)]
            except av.error.InvalidDataError:
                tally.bad_packets += 1
                frames = []
            if frames:
                return frames[0]
            if time.monotonic() - started > timeout_s:
                break
    except av.error.FFmpegError as error:
        raise StreamError(StreamFailure.ENDED, f"{redact(url)}: {error.strerror}") from error
    _check_enough(tally, url, _Limits(0.0, timeout_s, None))
    raise StreamError(StreamFailure.TIMEOUT, redact(url))  # pragma: no cover - _check_enough raises


def encode_jpeg(frame: VideoFrame) -> bytes:
    """A frame as a baseline JPEG, with FFmpeg's own mjpeg encoder."""
    codec = av.CodecContext.create("mjpeg", "w")
    codec.width = frame.width
    codec.height = frame.height
    codec.pix_fmt = "yuvj420p"
    codec.time_base = Fraction(1, 25)
    codec.options = {"qmin": str(JPEG_QUALITY), "qmax": str(JPEG_QUALITY)}
    picture = frame.reformat(format="yuvj420p")
    picture.pts = 0
    packets = [*codec.encode(picture), *codec.encode(None)]
    return b"".join(bytes(packet) for packet in packets)
