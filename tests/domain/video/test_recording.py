"""Recordings on demand and 'save the last N seconds', from a real RTSP stream to MP4 files
that ffprobe reads."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.domain.video.support import Seen, ffprobe, first_fragment, read_until
from tests.support.rtsp import RtspServer
from watchfloor.domain.video.relay import RelayPool
from watchfloor.domain.video.status import NothingRecorded

Pools = Callable[..., RelayPool]


async def test_a_recording_started_and_stopped_is_a_playable_mp4(
    pools: Pools, rtsp_server: RtspServer, tmp_path: Path
) -> None:
    pool = pools()
    dest = tmp_path / "recording.mp4"
    recording = await pool.record("CAM-1", rtsp_server.url("/live"), dest)
    for _ in range(100):
        if recording.fragments >= 25:
            break
        await asyncio.sleep(0.1)
    clip = await recording.stop()
    assert clip.path == dest
    assert clip.size_bytes == dest.stat().st_size
    assert clip.codec.startswith("avc1.")
    assert clip.started_at <= clip.ended_at
    probed = ffprobe(dest)
    assert (probed["codec_name"], probed["width"], probed["height"]) == ("h264", 640, 360)
    assert float(probed["duration"]) > 1.0
    assert int(probed["nb_read_frames"]) == recording.fragments
    assert recording.ended_reason == "stopped"
    assert first_fragment(dest).keyframe


async def test_a_recording_ends_at_the_longest_allowed(
    pools: Pools, rtsp_server: RtspServer, tmp_path: Path
) -> None:
    pool = pools(max_recording_s=2)
    recording = await pool.record("CAM-1", rtsp_server.url("/live"), tmp_path / "capped.mp4")
    for _ in range(80):
        if recording.done:
            break
        await asyncio.sleep(0.1)
    assert recording.done
    assert "max_recording_s" in (recording.ended_reason or "")
    clip = await recording.stop()
    assert 0 < float(ffprobe(clip.path)["duration"]) <= 2.0
    assert pool.stats() == [] or pool.stats()[0].viewers == 0


async def test_save_last_writes_the_kept_seconds_from_a_keyframe(
    pools: Pools, rtsp_server: RtspServer, tmp_path: Path
) -> None:
    pool = pools()
    async with pool.watch("CAM-1", rtsp_server.url("/live")) as viewer:
        await read_until(viewer, Seen(), lambda s: len(s.fragments) >= 50)  # ~3.3 s
        clip = await pool.save_last("CAM-1", 2.0, tmp_path / "last.mp4")
    probed = ffprobe(clip.path)
    assert probed["codec_name"] == "h264"
    assert 2.0 <= float(probed["duration"]) <= 3.4  # whole GOPs of 1 s reaching back 2 s
    assert int(probed["nb_read_frames"]) >= 30
    assert first_fragment(clip.path).keyframe
    assert clip.size_bytes == clip.path.stat().st_size


async def test_nothing_to_save_without_a_relay(pools: Pools, tmp_path: Path) -> None:
    with pytest.raises(NothingRecorded):
        await pools().save_last("CAM-9", 10, tmp_path / "none.mp4")
    assert not (tmp_path / "none.mp4").exists()
