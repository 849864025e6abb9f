"""Load client for the EIDO intake, run as its own process: `python -m bench.load ...`.

Prints one JSON line: {"sent", "ok", "errors", "elapsed_s"}. Documents are pre-generated from a
seeded simulated CAD so generation is not timed; `--rate` sends open-loop on a fixed schedule
(no coordinated omission), `--rate 0` sends as fast as `--concurrency` workers allow. The feed
token comes in the environment, not on the command line (bench/client_env.py).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time
from datetime import UTC, datetime, timedelta

import httpx
import orjson

from bench.client_env import BEARER_VAR
from watchfloor.demo.cad_simulator import CadSimulator


def documents(count: int, seed: int) -> list[bytes]:
    """count EIDO updates with strictly increasing timestamps ending about now."""
    simulator = CadSimulator(seed=seed, open_calls=200)
    start = datetime.now(UTC) - timedelta(milliseconds=count + 60_000)
    return [
        orjson.dumps(simulator.next_document(start + timedelta(milliseconds=i)))
        for i in range(count)
    ]


async def _post(http: httpx.AsyncClient, body: bytes, tally: dict[str, int]) -> None:
    tally["sent"] += 1
    try:
        response = await http.post("/api/intake/eido", content=body)
        tally["ok" if response.status_code == 200 else "errors"] += 1
        if response.status_code != 200 and tally["errors"] <= 3:
            print(response.text[:300], file=sys.stderr)
    except httpx.HTTPError as exc:
        tally["errors"] += 1
        print(repr(exc), file=sys.stderr)


async def _flat_out(
    http: httpx.AsyncClient,
    bodies: list[bytes],
    workers: int,
    deadline: float,
    tally: dict[str, int],
) -> None:
    queue = iter(bodies)

    async def worker() -> None:
        for body in queue:
            if time.perf_counter() > deadline:
                return
            await _post(http, body, tally)

    await asyncio.gather(*(worker() for _ in range(workers)))


async def _paced(
    http: httpx.AsyncClient,
    bodies: list[bytes],
    rate: float,
    deadline: float,
    tally: dict[str, int],
) -> None:
    start = time.perf_counter()
    pending: set[asyncio.Task[None]] = set()
    for i, body in enumerate(bodies):
        due = start + i / rate
        if due > deadline:
            break
        await asyncio.sleep(max(0.0, due - time.perf_counter()))
        task = asyncio.create_task(_post(http, body, tally))
        pending.add(task)
        task.add_done_callback(pending.discard)
    await asyncio.gather(*pending)


async def main(args: argparse.Namespace) -> None:
    """Run the load and print the tally."""
    count = int(args.rate * args.duration) + 10 if args.rate else 60_000
    bodies = documents(count, args.seed)
    tally = {"sent": 0, "ok": 0, "errors": 0}
    limits = httpx.Limits(max_connections=max(args.concurrency, 64))
    headers = {"Authorization": f"Bearer {args.token}", "Content-Type": "application/json"}
    async with httpx.AsyncClient(
        base_url=args.url, headers=headers, limits=limits, timeout=30
    ) as http:
        started = time.perf_counter()
        deadline = started + args.duration
        if args.rate:
            await _paced(http, bodies, args.rate, deadline, tally)
        else:
            await _flat_out(http, bodies, args.concurrency, deadline, tally)
        elapsed = time.perf_counter() - started
    print(orjson.dumps({**tally, "elapsed_s": round(elapsed, 3)}).decode())


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", required=True)
    parser.add_argument("--rate", type=float, default=0.0)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--duration", type=float, default=10.0)
    parser.add_argument("--seed", type=int, default=1)
    parsed = parser.parse_args()
    parsed.token = os.environ[BEARER_VAR]
    asyncio.run(main(parsed))
