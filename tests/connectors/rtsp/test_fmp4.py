"""Remuxing a real RTSP stream (gst-rtsp-server) to fragmented MP4, and the box reading it uses."""

from __future__ import annotations

import asyncio
import struct
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.domain.video.support import box_types, ffprobe
from tests.support.rtsp import RtspServer
from watchfloor.connectors.rtsp.fmp4 import (
    Fragment,
    InitSegment,
    Remuxer,
    _hevc_parameters,
    iter_boxes,
)
from watchfloor.connectors.rtsp.source import open_input


@pytest.fixture
def camera() -> Iterator[RtspServer]:
    """A real RTSP server with every test mount."""
    server = RtspServer()
    server.start()
    try:
        yield server
    finally:
        server.kill()


def remux(url: str, packets: int) -> list[InitSegment | Fragment]:
    """Remux the first packets of a stream, from its first keyframe."""
    container = open_input(url, timeout_s=5)
    stream = container.streams.video[0]
    remuxer = Remuxer(stream)
    out: list[InitSegment | Fragment] = []
    try:
        for packet in container.demux(stream):
            if packet.dts is None or (not out and not packet.is_keyframe):
                continue
            out += remuxer.push(packet)
            if len(out) > packets:
                break
        return out + remuxer.close()
    finally:
        container.close()


async def test_h264_remuxes_to_an_init_segment_and_one_fragment_per_frame(
    camera: RtspServer, tmp_path: Path
) -> None:
    init, *fragments = await asyncio.to_thread(remux, camera.url("/live"), 31)
    assert isinstance(init, InitSegment)
    assert box_types(init.data) == ["ftyp", "moov"]
    assert init.codec.startswith("avc1.42")  # constrained baseline, as the server encodes it
    assert (init.width, init.height, init.timescale) == (640, 360, 90000)
    assert all(isinstance(f, Fragment) and box_types(f.data) == ["moof", "mdat"] for f in fragments)
    frames = [f for f in fragments if isinstance(f, Fragment)]
    assert [f.keyframe for f in frames[:16]] == [True] + [False] * 14 + [True]  # GOP of 15
    times = [f.decode_time for f in frames]
    assert times == sorted(times)
    assert times[1] - times[0] == 6000
    clip = tmp_path / "remuxed.mp4"
    clip.write_bytes(b"".join([init.data, *(f.data for f in frames)]))
    probed = ffprobe(clip)
    assert (probed["codec_name"], probed["width"], probed["height"]) == ("h264", 640, 360)
    assert int(probed["nb_read_frames"]) == len(frames)
    assert float(probed["duration"]) > 1.5


async def test_h265_names_an_hevc_codec(camera: RtspServer) -> None:
    init, first, *_ = await asyncio.to_thread(remux, camera.url("/h265"), 3)
    assert isinstance(init, InitSegment)
    assert isinstance(first, Fragment)
    assert init.codec.startswith(("hvc1.1.6.L", "hev1.1.6.L")), init.codec  # Main profile
    assert first.keyframe


def test_hevc_codec_parameters_follow_iso_14496_15() -> None:
    # Main profile, compatibility flag 1 and 2, main tier level 3.1, progressive source flag
    hvcc = bytes([1, 0x01, 0x60, 0, 0, 0, 0xB0, 0, 0, 0, 0, 0, 93])
    assert _hevc_parameters(hvcc) == "1.6.L93.B0"
    high_tier = bytes([1, 0x22, 0x20, 0, 0, 0, 0x90, 0, 0, 0, 0, 0, 150])
    assert _hevc_parameters(high_tier) == "2.4.H150.90"


def test_box_reading_stops_at_an_incomplete_box_and_reads_64_bit_sizes() -> None:
    whole = struct.pack(">I4s", 12, b"free") + b"abcd"
    wide = struct.pack(">I4sQ", 1, b"skip", 20) + b"wxyz"
    cut = struct.pack(">I4s", 100, b"mdat") + b"short"
    assert [b.type for b in iter_boxes(whole + wide + cut)] == ["free", "skip"]
    assert [b.payload for b in iter_boxes(wide)] == [16]


@pytest.mark.parametrize("junk", [b"", b"\x00\x00\x00", b"\x00\x00\x00\x04abcd"])
def test_no_box_is_read_from_junk(junk: bytes) -> None:
    assert list(iter_boxes(junk)) == []
