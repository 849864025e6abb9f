"""Sampling frames and grabbing stills from a real RTSP server (gst-rtsp-server): rates,
thumbnails, JPEG, and every way a stream fails, named."""

from __future__ import annotations

import io
import threading
import time

import av
import numpy as np
import pytest

from tests.support.garbage import GarbageServer, garbage_server  # noqa: F401
from tests.support.rtsp import RtspServer, rtsp_server, rtsp_server_with_login  # noqa: F401
from watchfloor.connectors.rtsp.frames import (
    THUMB_HEIGHT,
    THUMB_WIDTH,
    grab_still,
    sample_frames,
)
from watchfloor.connectors.rtsp.source import StreamError, StreamFailure


def test_a_healthy_stream_is_sampled_at_its_rate(rtsp_server: RtspServer) -> None:  # noqa: F811
    sample = sample_frames(rtsp_server.url("/live"), 1.0, 5.0)
    assert (sample.codec, sample.width, sample.height) == ("h264", 640, 360)
    assert sample.declared_fps == 15.0
    assert 12.0 <= sample.fps <= 18.0
    assert sample.frames >= 12
    assert sample.bad_packets == 0
    assert len(sample.thumbnails) == sample.frames
    assert sample.thumbnails[0].shape == (THUMB_HEIGHT, THUMB_WIDTH)
    assert sample.thumbnails[0].dtype == np.uint8


def test_h265_decodes_too(rtsp_server: RtspServer) -> None:  # noqa: F811
    sample = sample_frames(rtsp_server.url("/h265"), 0.5, 5.0)
    assert sample.codec == "hevc"
    assert sample.frames >= 5


def test_a_black_stream_has_dark_thumbnails(rtsp_server: RtspServer) -> None:  # noqa: F811
    sample = sample_frames(rtsp_server.url("/black"), 0.5, 5.0)
    assert float(np.mean(sample.thumbnails)) < 5.0


def test_a_still_is_a_jpeg_of_the_first_frame(rtsp_server: RtspServer) -> None:  # noqa: F811
    still = grab_still(rtsp_server.url("/live"), 5.0)
    assert still.jpeg[:2] == b"\xff\xd8"
    assert (still.width, still.height) == (640, 360)
    with av.open(io.BytesIO(still.jpeg), mode="r", format="mjpeg") as container:
        frame = next(container.decode(video=0))
    assert (frame.width, frame.height) == (640, 360)


def test_wrong_credentials_are_unauthorized(
    rtsp_server_with_login: RtspServer,  # noqa: F811
) -> None:
    server = rtsp_server_with_login
    with pytest.raises(StreamError) as raised:
        sample_frames(server.url("/live", credentials=("viewer", "wrong")), 0.5, 5.0)
    assert raised.value.failure == StreamFailure.UNAUTHORIZED
    assert "wrong" not in str(raised.value)
    sample = sample_frames(server.url("/live", credentials=("viewer", "secret")), 0.5, 5.0)
    assert sample.frames >= 5


def test_an_unknown_mount_and_a_dead_server_are_named(
    rtsp_server: RtspServer,  # noqa: F811
) -> None:
    with pytest.raises(StreamError) as missing:
        sample_frames(rtsp_server.url("/nope"), 0.5, 5.0)
    assert missing.value.failure == StreamFailure.NOT_FOUND
    rtsp_server.kill()
    started = time.monotonic()
    with pytest.raises(StreamError) as dead:
        grab_still(rtsp_server.url("/live"), 2.0)
    assert dead.value.failure == StreamFailure.UNREACHABLE
    assert time.monotonic() - started < 3.0


def test_garbage_is_named_garbage(garbage_server: GarbageServer) -> None:  # noqa: F811
    with pytest.raises(StreamError) as raised:
        sample_frames(garbage_server.url(), 0.5, 2.0)
    assert raised.value.failure == StreamFailure.GARBAGE


def test_a_stream_that_stops_mid_sample_ends_it(rtsp_server: RtspServer) -> None:  # noqa: F811
    killer = threading.Timer(2.0, rtsp_server.kill)
    killer.start()
    started = time.monotonic()
    try:
        sample = sample_frames(rtsp_server.url("/live"), 10.0, 2.0)
    finally:
        killer.cancel()
        killer.join()  # the kill must be over before the fixture's own
    assert 2 <= sample.frames < 150  # what came before it stopped, not a hang or a crash
    assert time.monotonic() - started < 8.0


def test_a_stop_request_ends_a_sample_early(rtsp_server: RtspServer) -> None:  # noqa: F811
    stop = threading.Event()
    stop.set()
    started = time.monotonic()
    sample_frames(rtsp_server.url("/live"), 10.0, 5.0, stop)
    assert time.monotonic() - started < 4.0
