"""Load client for the plate-read intake, run as its own process: `python -m bench.lpr.load_reads`.

Posts pre-encoded batches (one JSON array per line of `--bodies`) to POST /api/lpr/reads and
prints one JSON line: posts, reads sent and accepted, hits, errors, elapsed seconds. `--rate 0`
sends as fast as `--concurrency` connections allow; `--rate R` sends R reads/s open-loop on a
fixed schedule (no coordinated omission). With a session cookie, a console WebSocket on
/api/live receives the plate alerts, and each is timed from the send of the batch holding its read.
The feed token and the cookie come in the environment (bench/client_env.py).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import orjson
from websockets.asyncio.client import ClientConnection, connect

from bench.client_env import BEARER_VAR, COOKIE_VAR
from watchfloor.events.lpr import normalize_plate

ALERT_TYPE = "plate_alert"


class Tally:
    """What the load did, and when each plate was last sent (for alert timing)."""

    def __init__(self) -> None:
        self.counts = {"posts": 0, "sent": 0, "accepted": 0, "hits": 0, "errors": 0}
        self.statuses: dict[str, int] = {}
        self.sent_at: dict[str, float] = {}
        self.alert_ms: list[float] = []
        self.post_ms: list[float] = []
        self.alerts_unmatched = 0
        self.ws_messages = 0


Batch = tuple[bytes, int, tuple[str, ...]]
"""A body, its number of reads, and (for timed runs) their plates."""


async def _post(http: httpx.AsyncClient, batch: Batch, tally: Tally) -> None:
    body, size, plates = batch
    counts = tally.counts
    counts["posts"] += 1
    counts["sent"] += size
    now = time.perf_counter()
    for plate in plates:
        tally.sent_at[plate] = now
    try:
        response = await http.post("/api/lpr/reads", content=body)
    except httpx.HTTPError as exc:
        counts["errors"] += 1
        print(repr(exc), file=sys.stderr)
        return
    if plates:
        tally.post_ms.append((time.perf_counter() - now) * 1000)
    status = str(response.status_code)
    tally.statuses[status] = tally.statuses.get(status, 0) + 1
    if response.status_code in (200, 207):
        result = response.json()
        counts["accepted"] += int(result["accepted"])
        counts["hits"] += int(result["hits"])
    else:
        counts["errors"] += 1
    if response.status_code != 200 and tally.statuses[status] <= 3:
        print(response.text[:400], file=sys.stderr)


async def _flat_out(
    http: httpx.AsyncClient, bodies: Iterator[Batch], workers: int, deadline: float, tally: Tally
) -> None:
    async def worker() -> None:
        for batch in bodies:
            if time.perf_counter() > deadline:
                return
            await _post(http, batch, tally)

    await asyncio.gather(*(worker() for _ in range(workers)))


async def _paced(
    http: httpx.AsyncClient, bodies: Iterator[Batch], rate: float, deadline: float, tally: Tally
) -> None:
    pending: set[asyncio.Task[None]] = set()
    due = time.perf_counter()
    for batch in bodies:
        if due > deadline:
            break
        await asyncio.sleep(max(0.0, due - time.perf_counter()))
        task = asyncio.create_task(_post(http, batch, tally))
        pending.add(task)
        task.add_done_callback(pending.discard)
        due += batch[1] / rate
    await asyncio.gather(*pending)


async def _watch(ws: ClientConnection, tally: Tally) -> None:
    async for raw in ws:
        received = time.perf_counter()
        tally.ws_messages += 1
        message: dict[str, Any] = orjson.loads(raw)
        if message.get("type") != ALERT_TYPE:
            continue
        sent = tally.sent_at.get(str(message.get("alert", {}).get("plate")))
        if sent is None:
            tally.alerts_unmatched += 1
        else:
            tally.alert_ms.append((received - sent) * 1000)


def _batches(path: Path, timed: bool) -> list[Batch]:
    out: list[Batch] = []
    with path.open("rb") as lines:
        for line in lines:
            body = line.rstrip(b"\n")
            reads = orjson.loads(body) if timed else []
            plates = tuple(normalize_plate(str(read["plate"])) for read in reads)
            out.append((body, body.count(b'"reader"'), plates))
    return out


async def main(args: argparse.Namespace) -> None:
    """Run the load (and the alert watcher) and print the tally."""
    tally = Tally()
    limits = httpx.Limits(max_connections=max(args.concurrency, 64))
    headers = {"Authorization": f"Bearer {args.token}", "Content-Type": "application/json"}
    bodies = iter(_batches(Path(args.bodies), timed=bool(args.cookie)))  # before the clock
    watcher: asyncio.Task[None] | None = None
    ws: ClientConnection | None = None
    if args.cookie:
        ws_url = args.url.replace("http://", "ws://") + "/api/live"
        ws = await connect(ws_url, additional_headers={"Cookie": args.cookie}, max_size=2**24)
        watcher = asyncio.create_task(_watch(ws, tally))
    async with httpx.AsyncClient(
        base_url=args.url, headers=headers, limits=limits, timeout=60
    ) as http:
        started = time.perf_counter()
        deadline = started + args.duration
        if args.rate:
            await _paced(http, bodies, args.rate, deadline, tally)
        else:
            await _flat_out(http, bodies, args.concurrency, deadline, tally)
        elapsed = time.perf_counter() - started
    if ws is not None and watcher is not None:
        await asyncio.sleep(args.settle)
        await ws.close()
        with contextlib.suppress(Exception):
            await watcher
    out: dict[str, object] = {**tally.counts, "statuses": tally.statuses, "elapsed_s": elapsed}
    if args.cookie:
        out |= {
            "alert_ms": [round(ms, 2) for ms in tally.alert_ms],
            "post_ms": [round(ms, 2) for ms in tally.post_ms],
            "alerts_unmatched": tally.alerts_unmatched,
            "ws_messages": tally.ws_messages,
        }
    print(orjson.dumps(out).decode())


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", required=True)
    parser.add_argument("--bodies", required=True, help="file: one JSON array of reads a line")
    parser.add_argument("--rate", type=float, default=0.0, help="reads/s; 0 = flat out")
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--duration", type=float, default=20.0)
    parser.add_argument("--settle", type=float, default=1.0, help="s to wait for last alerts")
    parsed = parser.parse_args()
    parsed.token, parsed.cookie = os.environ[BEARER_VAR], os.environ.get(COOKIE_VAR)
    asyncio.run(main(parsed))
