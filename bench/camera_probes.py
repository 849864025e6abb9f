"""Camera health probes: probes per minute sustained by the probe pool against one local RTSP
server (gst-rtsp-server; a mix of the /live, /still, /black and /scene mounts), each probe
opening the stream and decoding settings.video.probe_sample_s of it in a pool thread, then
recording health and tickets in SQLite.

`python -m bench.camera_probes [--cameras N] [--concurrency C] [--sample-s S]` prints one JSON
line: probes/min over one sweep of every camera, mean seconds a probe took, this process's CPU%.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import tempfile
import time
from pathlib import Path

from tests.support.rtsp import RtspServer

from watchfloor.app import build
from watchfloor.core.context import Actor, RequestContext
from watchfloor.domain.cameras.health_monitor import HealthMonitor
from watchfloor.domain.cameras.schemas import CameraIn
from watchfloor.domain.cameras.tickets import TicketDesk
from watchfloor.settings import load_settings

MOUNTS = ("/live", "/still", "/black", "/scene")
CONTEXT = RequestContext(actor=Actor.system("bench"))


def _cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


async def _sweep(
    server: RtspServer, data_dir: Path, cameras: int, concurrency: int, sample_s: float
) -> dict[str, object]:
    settings = load_settings(data_dir=data_dir, database_url=f"sqlite:///{data_dir / 'wf.db'}")
    wf = build(settings)
    video = settings.video.model_copy(
        update={"probe_concurrency": concurrency, "probe_sample_s": sample_s}
    )
    monitor = HealthMonitor(
        wf.db, wf.clock, wf.bus, wf.audit, TicketDesk(wf.db, wf.clock, None), video
    )
    try:
        for index in range(cameras):
            body = {
                "code": f"BENCH-{index:04d}",
                "name": f"Bench camera {index}",
                "kind": "city",
                "owner": "Bench",
                "lat": 60.17 + index * 1e-4,
                "lon": 24.94,
                "stream_urls": [server.url(MOUNTS[index % len(MOUNTS)])],
            }
            await wf.cameras.create(CameraIn.model_validate(body), CONTEXT)
        cpu, started = _cpu_s(), time.monotonic()
        probed = await monitor.probe_all()
        elapsed, cpu = time.monotonic() - started, _cpu_s() - cpu
        statuses = [h.status.value for h in await monitor.overview()]
    finally:
        await monitor.close()
        await wf.stop()
    return {
        "cameras": cameras,
        "probed": probed,
        "concurrency": concurrency,
        "sample_s": sample_s,
        "elapsed_s": round(elapsed, 2),
        "probes_per_min": round(probed / elapsed * 60, 1),
        "mean_probe_s": round(elapsed * concurrency / max(probed, 1), 2),
        "cpu_percent": round(cpu / elapsed * 100, 1),
        "statuses": {s: statuses.count(s) for s in sorted(set(statuses))},
    }


def run(cameras: int = 20, concurrency: int = 4, sample_s: float = 3.0) -> dict[str, object]:
    """One sweep of `cameras` cameras with `concurrency` probes at a time; the figures."""
    server = RtspServer()
    server.start()
    try:
        with tempfile.TemporaryDirectory(prefix="watchfloor-probes-") as tmp:
            return asyncio.run(_sweep(server, Path(tmp), cameras, concurrency, sample_s))
    finally:
        server.kill()


def main() -> None:
    """Run once and print the figures as JSON."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cameras", type=int, default=20)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--sample-s", type=float, default=3.0)
    args = parser.parse_args()
    print(json.dumps(run(args.cameras, args.concurrency, args.sample_s)))


if __name__ == "__main__":
    main()
