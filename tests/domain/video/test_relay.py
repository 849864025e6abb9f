"""Live relays against a real RTSP server (gst-rtsp-server): fMP4 out, one upstream connection
per camera, reconnects after the server dies, failures named without credentials."""

from __future__ import annotations

import asyncio
import itertools
import logging
import os
import socket
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest

from tests.domain.video.support import (
    Seen,
    box_types,
    connections_to,
    ffprobe,
    read_until,
    relay_threads,
)
from tests.support.mosquitto import _free_port
from tests.support.rtsp import RtspServer
from watchfloor.connectors.rtsp.fmp4 import describe_fragment
from watchfloor.connectors.rtsp.frames import grab_still
from watchfloor.domain.video.relay import RelayPool
from watchfloor.domain.video.status import RelayLimitReached

Pools = Callable[..., RelayPool]


def fragments(n: int) -> Callable[[Seen], bool]:
    return lambda seen: len(seen.fragments) >= n


async def test_a_viewer_gets_an_init_segment_then_fragments_from_a_keyframe(
    pools: Pools, rtsp_server: RtspServer, tmp_path: Path
) -> None:
    pool = pools()
    started = time.monotonic()
    async with pool.watch("CAM-1", rtsp_server.url("/live")) as viewer:
        seen = await read_until(viewer, Seen(), fragments(20))
    first_s = (seen.first_fragment_at or 0) - started
    print(f"time to first fragment: {first_s:.2f} s")
    assert first_s < 5
    assert seen.order[:4] == ["connecting", "live", "init", "fragment"]
    assert box_types(seen.inits[0]) == ["ftyp", "moov"]
    assert all(box_types(f) == ["moof", "mdat"] for f in seen.fragments)
    assert describe_fragment(seen.fragments[0]).keyframe
    live = seen.statuses[-1]
    assert (live.codec or "").startswith("avc1.42"), live
    assert live.playable is True
    clip = tmp_path / "live.mp4"
    clip.write_bytes(b"".join([seen.inits[0], *seen.fragments]))
    probed = ffprobe(clip)
    assert (probed["codec_name"], probed["width"], probed["height"]) == ("h264", 640, 360)
    assert int(probed["nb_read_frames"]) == 20


async def test_viewers_of_one_camera_share_one_upstream_connection(
    pools: Pools, rtsp_server: RtspServer
) -> None:
    pool = pools()
    url = rtsp_server.url("/live")
    async with pool.watch("CAM-1", url) as one, pool.watch("CAM-1", url) as two:
        first, second = await asyncio.gather(
            read_until(one, Seen(), fragments(10)), read_until(two, Seen(), fragments(10))
        )
        assert connections_to(rtsp_server.port) == 1
        assert len(relay_threads()) == 1
        [stats] = pool.stats()
        assert (stats.code, stats.state, stats.viewers) == ("CAM-1", "live", 2)
        assert stats.fragments >= 10
        assert stats.bytes > 0
    assert first.inits
    assert second.inits
    assert describe_fragment(second.fragments[0]).keyframe


@pytest.mark.parametrize("queue", [120, 8], ids=["with-current-gop", "at-next-keyframe"])
async def test_a_late_viewer_starts_at_a_keyframe(
    pools: Pools, rtsp_server: RtspServer, queue: int
) -> None:
    pool = pools(relay_viewer_queue=queue)
    url = rtsp_server.url("/live")
    async with pool.watch("CAM-1", url) as early:
        await read_until(early, Seen(), fragments(22))
        async with pool.watch("CAM-1", url) as late:
            seen = await read_until(late, Seen(), fragments(3))
    assert seen.order[:3] == ["live", "init", "fragment"]
    assert describe_fragment(seen.fragments[0]).keyframe


async def test_an_h265_camera_names_its_codec_for_the_browser_to_judge(
    pools: Pools, rtsp_server: RtspServer
) -> None:
    pool = pools()
    async with pool.watch("CAM-H265", rtsp_server.url("/h265")) as viewer:
        seen = await read_until(viewer, Seen(), fragments(3))
    live = seen.statuses[-1]
    assert (live.codec or "")[:4] in ("hvc1", "hev1"), live
    assert live.playable is False
    assert box_types(seen.fragments[0]) == ["moof", "mdat"]


async def test_a_killed_server_means_no_signal_then_a_fresh_init_when_it_returns(
    pools: Pools, rtsp_server: RtspServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, "watchfloor")
    pool = pools()
    async with pool.watch("CAM-1", rtsp_server.url("/live")) as viewer:
        seen = await read_until(viewer, Seen(), fragments(5))
        rtsp_server.kill()
        await read_until(viewer, seen, lambda s: s.order[-1] == "no_signal")
        down = seen.statuses[-1]
        assert down.reason in ("ended", "timeout", "unreachable")
        await asyncio.sleep(2.5)  # refused, retried: 0.2, 0.4, 0.8, 1.0 s apart
        said = [r.getMessage() for r in caplog.records]
        retries = [float(m.split("retrying in ")[1].split()[0]) for m in said if "retrying" in m]
        assert len(retries) >= 3
        assert retries[:3] == sorted(retries[:3])
        assert retries[2] > retries[0]
        now = pool.status("CAM-1")
        assert now is not None
        assert (now.state, now.reason) == ("no_signal", "unreachable")
        rtsp_server.start()
        before = len(seen.fragments)
        await read_until(viewer, seen, lambda s: len(s.fragments) >= before + 5)
    after = seen.order[seen.order.index("no_signal") :]
    assert after[after.index("live") :][:3] == ["live", "init", "fragment"]
    assert set(after[: after.index("live")]) == {"no_signal"}
    assert describe_fragment(seen.fragments[before]).keyframe
    assert len(seen.inits) == 2
    assert pool.stats()[0].reconnects >= 3


async def test_wrong_credentials_fail_as_unauthorized_and_never_show_the_password(
    pools: Pools, rtsp_server_with_login: RtspServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    pool = pools()
    wrong = rtsp_server_with_login.url("/live", credentials=("viewer", "hunter2-wrong"))
    async with pool.watch("CAM-1", wrong) as viewer:
        seen = await read_until(viewer, Seen(), lambda s: s.order[-1] == "failed")
    assert seen.statuses[-1].reason == "unauthorized"
    shown = [repr(s) for s in seen.statuses] + [repr(pool.stats())]
    shown += [r.getMessage() for r in caplog.records]
    assert not [text for text in shown if "hunter2" in text]
    right = rtsp_server_with_login.url("/live", credentials=("viewer", "secret"))
    async with pool.watch("CAM-2", right) as viewer:
        await read_until(viewer, Seen(), fragments(2))
    assert not [r for r in caplog.records if "secret" in r.getMessage()]


async def test_an_unreachable_camera_is_no_signal(pools: Pools) -> None:
    pool = pools()
    url = f"rtsp://127.0.0.1:{_free_port()}/live"
    async with pool.watch("CAM-1", url) as viewer:
        seen = await read_until(viewer, Seen(), lambda s: s.order[-1] == "no_signal")
    assert seen.statuses[-1].reason == "unreachable"


@pytest.fixture
async def garbage_port() -> AsyncIterator[int]:
    """A TCP server on 127.0.0.1 that answers anything with random bytes."""

    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.read(4096)
        writer.write(os.urandom(4096))
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(answer, "127.0.0.1", 0)
    sock: socket.socket = server.sockets[0]
    try:
        yield sock.getsockname()[1]
    finally:
        server.close()
        await server.wait_closed()


async def test_a_server_answering_garbage_is_named_so_and_the_relay_keeps_trying(
    pools: Pools, garbage_port: int
) -> None:
    pool = pools()
    async with pool.watch("CAM-1", f"rtsp://127.0.0.1:{garbage_port}/live") as viewer:
        seen = await read_until(viewer, Seen(), lambda s: s.order[-1] == "no_signal")
        assert seen.statuses[-1].reason == "garbage"
        await asyncio.sleep(0.8)
        assert pool.stats()[0].reconnects >= 2
        assert len(relay_threads()) == 1


async def test_a_viewer_that_never_reads_is_dropped_and_the_others_keep_going(
    pools: Pools, rtsp_server: RtspServer, caplog: pytest.LogCaptureFixture
) -> None:
    pool = pools(relay_viewer_queue=8)
    url = rtsp_server.url("/live")
    async with pool.watch("CAM-1", url) as fast, pool.watch("CAM-1", url) as slow:
        seen = await read_until(fast, Seen(), fragments(15))
        assert slow.ended
        [last] = [item async for item in slow]
        assert "too slow" in str(getattr(last, "reason", ""))
        assert pool.stats()[0].viewers == 1
        await read_until(fast, seen, fragments(25))
    assert any("too slow" in r.getMessage() for r in caplog.records)


async def test_relays_beyond_the_limit_are_refused(pools: Pools, rtsp_server: RtspServer) -> None:
    pool = pools(relay_max=1)
    async with pool.watch("CAM-1", rtsp_server.url("/live")):
        with pytest.raises(RelayLimitReached):
            async with pool.watch("CAM-2", rtsp_server.url("/scene")):
                pass
        async with pool.watch("CAM-1", rtsp_server.url("/live")) as again:
            await read_until(again, Seen(), fragments(1))


async def test_a_relay_stops_after_its_last_viewer_lingers_and_its_thread_ends(
    pools: Pools, rtsp_server: RtspServer
) -> None:
    pool = pools(relay_linger_s=0.5)
    async with pool.watch("CAM-1", rtsp_server.url("/live")) as viewer:
        await read_until(viewer, Seen(), fragments(1))
    assert pool.status("CAM-1") is not None
    await asyncio.sleep(1.0)
    assert pool.status("CAM-1") is None
    for _ in range(50):
        if not relay_threads():
            break
        await asyncio.sleep(0.1)
    assert relay_threads() == []
    assert connections_to(rtsp_server.port) == 0


async def test_a_stalled_stream_is_no_signal_after_the_timeout_and_comes_back(
    pools: Pools, rtsp_server: RtspServer
) -> None:
    pool = pools(open_timeout_s=1.5)
    async with pool.watch("CAM-1", rtsp_server.url("/live")) as viewer:
        seen = await read_until(viewer, Seen(), fragments(3))
        rtsp_server.pause()
        try:
            stalled_at = time.monotonic()
            await read_until(viewer, seen, lambda s: s.order[-1] == "no_signal")
            waited = time.monotonic() - stalled_at
        finally:
            rtsp_server.resume()
        assert seen.statuses[-1].reason == "timeout"
        assert 1.0 < waited < 4.0
        before = len(seen.fragments)
        await read_until(viewer, seen, lambda s: len(s.fragments) >= before + 3)
    assert seen.order.count("init") == 2


async def test_a_second_client_restarting_the_cameras_clock_does_not_break_the_relay(
    pools: Pools, rtsp_server: RtspServer, tmp_path: Path
) -> None:
    # gst-rtsp-server seeks a shared stream to 0 when another client plays it, as a snapshot
    # does: the relay's decode times go back by all it has seen, with no gap in the packets.
    pool = pools(open_timeout_s=1.5)
    url = rtsp_server.url("/live")
    async with pool.watch("CAM-1", url) as viewer:
        seen = await read_until(viewer, Seen(), fragments(40))  # 2.7 s: more than the timeout
        still = await asyncio.to_thread(grab_still, url, 5.0)
        before = len(seen.fragments)
        await read_until(viewer, seen, fragments(before + 40))
    assert still.width == 640
    assert "no_signal" not in seen.order
    assert seen.order.count("init") == 1
    times = [describe_fragment(f).decode_time for f in seen.fragments]
    assert all(later > earlier for earlier, later in itertools.pairwise(times))
    steps = {later - earlier for earlier, later in itertools.pairwise(times)}
    assert max(steps) < 3 * min(steps), steps  # the clock's restart leaves no hole either
    clip = tmp_path / "across.mp4"
    clip.write_bytes(b"".join([seen.inits[0], *seen.fragments]))
    assert int(ffprobe(clip)["nb_read_frames"]) == len(seen.fragments)
