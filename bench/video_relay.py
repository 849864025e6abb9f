"""Live video relays: CPU and fragment rate of N relays (each its own upstream connection and
one viewer) from one local RTSP server (gst-rtsp-server, the /live mount: H.264 640x360 15 fps).

`python -m bench.video_relay [--relays N] [--seconds S]` prints one JSON line: this process's
CPU% (all threads, getrusage) and the RTSP server's CPU% separately, over S seconds once every
relay is live; fragments per second; and time to first fragment p50/p95. The server's mounts are
shared, so it encodes once and its CPU is mostly RTSP/RTP sending.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import resource
import time
from datetime import UTC, datetime
from pathlib import Path

from tests.support.rtsp import RtspServer

from watchfloor.core.clock import ManualClock
from watchfloor.domain.video.relay import RelayPool
from watchfloor.domain.video.viewer import Viewer
from watchfloor.settings import VideoSettings

TICKS = os.sysconf("SC_CLK_TCK")


def _own_cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _process_cpu_s(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime, stime


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def _consume(viewer: Viewer, started: float, first: list[float], counts: list[int]) -> None:
    seen = False
    async for item in viewer:
        if isinstance(item, bytes) and item[4:8] == b"moof":
            counts[0] += 1
            if not seen:
                seen = True
                first.append(time.monotonic() - started)


async def _measure(url: str, server_pid: int, relays: int, seconds: float) -> dict[str, object]:
    settings = VideoSettings(relay_max=max(relays, 1), relay_linger_s=0, relay_buffer_s=60)
    pool = RelayPool(settings, ManualClock(datetime.now(UTC)))
    first: list[float] = []
    counts = [0]
    started = time.monotonic()
    try:
        async with contextlib.AsyncExitStack() as stack:
            for i in range(relays):  # each its own camera code: its own relay and connection
                viewer = await stack.enter_async_context(pool.watch(f"BENCH-{i:03d}", url))
                task = asyncio.create_task(_consume(viewer, started, first, counts))
                stack.callback(task.cancel)
            for _ in range(600):
                if len(first) >= relays:
                    break
                await asyncio.sleep(0.05)
            own0, server0, frags0, wall0 = (
                _own_cpu_s(), _process_cpu_s(server_pid), counts[0], time.monotonic(),
            )  # fmt: skip
            await asyncio.sleep(seconds)
            wall = time.monotonic() - wall0
            own = _own_cpu_s() - own0
            served = _process_cpu_s(server_pid) - server0
            fragments = counts[0] - frags0
            relayed = sum(s.bytes for s in pool.stats())
    finally:
        await pool.close()
    return {
        "name": "video_relay",
        "relays": relays,
        "seconds": round(wall, 1),
        "live": len(first),
        "relay_cpu_percent": round(100 * own / wall, 1),
        "relay_cpu_percent_per_relay": round(100 * own / wall / max(relays, 1), 2),
        "rtsp_server_cpu_percent": round(100 * served / wall, 1),
        "fragments_per_s": round(fragments / wall, 1),
        "expected_fragments_per_s": 15 * relays,
        "first_fragment_p50_s": round(_percentile(first, 0.5), 2) if first else None,
        "first_fragment_p95_s": round(_percentile(first, 0.95), 2) if first else None,
        "bytes_relayed": relayed,
        "cpus": os.cpu_count(),
    }


def run(relays: int = 32, seconds: float = 20) -> dict[str, object]:
    """Start the RTSP server, relay it N times, measure; the figures as a dict."""
    server = RtspServer()
    server.start()
    try:
        assert server.pid is not None
        return asyncio.run(_measure(server.url("/live"), server.pid, relays, seconds))
    finally:
        server.kill()


def main() -> None:
    """Parse arguments, run once, print one JSON line."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--relays", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=20)
    args = parser.parse_args()
    print(json.dumps(run(args.relays, args.seconds)))


if __name__ == "__main__":
    main()
