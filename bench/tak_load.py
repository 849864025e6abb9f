"""CoT fan-out load generator: N plain-XML TCP clients against one TAK server on loopback.

Every client announces itself (an SA event with its uid, callsign and group), then sends SA
position updates at 1 Hz (`rate`) or the clients share bursts of events (`burst`, e.g. 10 rounds
of 1,000 events, each sent at once when the previous one has arrived or stalled). Each event
carries `<remarks>wfb RUN SENDER SEQ SENT_NS</remarks>`, so every receiver counts exact
deliveries (expected = events x (N - 1)) and latency from the send clock of this same process.
Runs in its own process:
`python -m bench.tak_load --port P --clients N --mode burst` prints one JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import random
import re
import resource
import time
from array import array
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import partial

# Found anywhere in the event: FreeTAKServer moves <remarks> text into a detail attribute.
MARK = re.compile(rb"wfb (\d+) (\d+) (\d+) (\d+)")
END = b"</event>"
MAX_BUFFER = 1 << 20
CENTRE_LAT, CENTRE_LON = 60.19, 24.94


class EventSplitter:
    """Splits a CoT XML stream at `</event>` and reads the bench marks of the complete events."""

    def __init__(self, run: int, max_buffer: int = MAX_BUFFER) -> None:
        self._run = str(run).encode()
        self._buffer = b""
        self._max = max_buffer
        self.events = 0
        self.overflows = 0

    def feed(self, data: bytes) -> list[tuple[int, int, int]]:
        """(sender, seq, sent_ns) of each event of this run completed by data, in stream order."""
        buffer = self._buffer + data if self._buffer else data
        cut = buffer.rfind(END)
        if cut < 0:
            if len(buffer) > self._max:
                self.overflows += 1
                buffer = b""
            self._buffer = buffer
            return []
        cut += len(END)
        complete, self._buffer = buffer[:cut], buffer[cut:]
        self.events += complete.count(END)
        run = self._run
        return [(int(s), int(q), int(t)) for r, s, q, t in MARK.findall(complete) if r == run]


def percentile(sorted_values: list[int] | array[int], q: float) -> float:
    """The q-th percentile (0..100) of already sorted values, nearest rank; 0.0 when empty."""
    if not sorted_values:
        return 0.0
    rank = max(1, min(len(sorted_values), math.ceil(q / 100 * len(sorted_values))))
    return float(sorted_values[rank - 1])


def expected_deliveries(events_sent: int, clients: int) -> int:
    """Broadcast: each event reaches every other client."""
    return events_sent * max(0, clients - 1)


def delivery_ratio(delivered: int, expected: int) -> float:
    """Delivered over expected (1.0 when nothing was expected)."""
    return 1.0 if expected == 0 else delivered / expected


@dataclass
class Tally:
    """Deliveries seen by all receivers: counts, duplicates, latencies (µs)."""

    clients: int
    delivered: int = 0
    duplicates: int = 0
    announced: int = 0
    sent: int = 0
    first_tx_ns: int = 0
    last_rx_ns: int = 0
    latency_us: array[int] = field(default_factory=lambda: array("q"))
    last_seq: list[list[int]] = field(default_factory=list)
    awaited: int = 0  # deliveries a waiter wants; `arrived` is set once they are in
    arrived: asyncio.Event = field(default_factory=asyncio.Event)

    def __post_init__(self) -> None:
        self.last_seq = [[-1] * self.clients for _ in range(self.clients)]

    def receive(self, receiver: int, marks: list[tuple[int, int, int]], now_ns: int) -> None:
        """Count the marks one receiver just read at now_ns (seq 0 is the announcement)."""
        last = self.last_seq[receiver]
        for sender, seq, sent_ns in marks:
            if sender >= self.clients or sender == receiver:
                continue
            if seq <= last[sender]:
                self.duplicates += 1
                continue
            last[sender] = seq
            if seq == 0:
                self.announced += 1
                continue
            self.delivered += 1
            self.latency_us.append((now_ns - sent_ns) // 1000)
            self.last_rx_ns = now_ns
        if self.awaited and self.delivered >= self.awaited:
            self.arrived.set()

    async def wait_for_deliveries(self, want: int, timeout_s: float, idle_s: float) -> None:
        """Until `want` deliveries are in, timeout_s passes, or nothing arrives for idle_s —
        woken by the delivery itself, so a burst's round starts without polling slack."""
        loop = asyncio.get_running_loop()
        end = loop.time() + timeout_s
        self.awaited = want
        try:
            while self.delivered < want and loop.time() < end:
                self.arrived.clear()
                seen = self.delivered
                wait = min(idle_s, max(0.0, end - loop.time()))
                try:
                    await asyncio.wait_for(self.arrived.wait(), wait)
                except TimeoutError:
                    if self.delivered == seen:
                        return  # idle: the rest is not coming
        finally:
            self.awaited = 0

    def latency_ms(self) -> dict[str, float]:
        """p50/p95/p99/max latency in milliseconds."""
        ordered = sorted(self.latency_us)
        return {f"p{q}": round(percentile(ordered, q) / 1000, 2) for q in (50, 95, 99)} | {
            "max": round((ordered[-1] if ordered else 0) / 1000, 2)
        }


def _stamp(at: datetime) -> str:
    return at.strftime("%Y-%m-%dT%H:%M:%S.") + f"{at.microsecond // 1000:03d}Z"


def sa_event(run: int, sender: int, seq: int, sent_ns: int, now: datetime) -> bytes:
    """One SA position event of client `sender`, marked with seq and send time."""
    uid, t, stale = f"WFB-{sender:04d}", _stamp(now), _stamp(now + timedelta(seconds=90))
    lat = CENTRE_LAT + (sender % 50) * 0.001 + seq * 1e-6
    lon = CENTRE_LON + (sender // 50) * 0.001
    return (
        f'<event version="2.0" uid="{uid}" type="a-f-G-U-C" how="m-g" time="{t}" start="{t}"'
        f' stale="{stale}"><point lat="{lat:.6f}" lon="{lon:.6f}" hae="10.0" ce="9.9" le="9.9"/>'
        f'<detail><contact callsign="B{sender:04d}" endpoint="*:-1:stcp"/>'
        f'<__group name="Cyan" role="Team Member"/>'
        f'<takv os="bench" device="bench" version="1" platform="wf-bench"/>'
        f'<track course="90.0" speed="1.0"/><remarks>wfb {run} {sender} {seq} {sent_ns}</remarks>'
        f"</detail></event>"
    ).encode()


class BenchClient(asyncio.Protocol):
    """One TAK client: writes its events, feeds what it reads to the shared tally."""

    def __init__(self, run: int, index: int, tally: Tally, lost: list[str]) -> None:
        self.run, self.index, self.tally, self.lost = run, index, tally, lost
        self.splitter = EventSplitter(run)
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        marks = self.splitter.feed(data)
        if marks:
            self.tally.receive(self.index, marks, time.monotonic_ns())

    def connection_lost(self, exc: Exception | None) -> None:
        self.lost.append(f"client {self.index}: {exc or 'closed by server'}")
        self.transport = None

    def send(self, seq: int) -> bool:
        """Write one marked event; False when the connection is gone."""
        if self.transport is None or self.transport.is_closing():
            return False
        now_ns = time.monotonic_ns()
        if seq > 0:
            self.tally.sent += 1
            self.tally.first_tx_ns = self.tally.first_tx_ns or now_ns
        self.transport.write(sa_event(self.run, self.index, seq, now_ns, datetime.now(UTC)))
        return True


@dataclass(frozen=True)
class LoadPlan:
    """What to send: clients, mode, and the bounds on count and time."""

    host: str
    port: int
    clients: int
    mode: str = "rate"  # "rate" (1 Hz each) | "burst"
    duration_s: float = 20.0
    rounds: int = 10
    burst: int = 1000
    ready_timeout_s: float = 15.0
    drain_idle_s: float = 3.0
    deadline_s: float = 120.0
    run: int = field(default_factory=lambda: random.randrange(1, 2**31))


async def _connect(plan: LoadPlan, tally: Tally, lost: list[str]) -> list[BenchClient]:
    loop = asyncio.get_running_loop()
    clients: list[BenchClient] = []
    for index in range(plan.clients):
        try:
            _, client = await loop.create_connection(
                partial(BenchClient, plan.run, index, tally, lost), plan.host, plan.port
            )
        except OSError as exc:
            lost.append(f"client {index}: connect failed: {exc}")
            continue
        clients.append(client)
    return clients


async def _wait_until(
    done: Callable[[], bool], timeout_s: float, idle_s: float, progress: Callable[[], int]
) -> None:
    """Poll done() until true, timeout, or progress() stops changing for idle_s."""
    loop = asyncio.get_running_loop()
    end, seen, idle_since = loop.time() + timeout_s, progress(), loop.time()
    while not done() and loop.time() < end and loop.time() - idle_since < idle_s:
        await asyncio.sleep(0.05)
        now_seen = progress()
        if now_seen != seen:
            seen, idle_since = now_seen, loop.time()


async def _send_rate(plan: LoadPlan, clients: list[BenchClient], tally: Tally) -> int:
    """Each client one event a second, phases spread over the second."""

    async def one(position: int, client: BenchClient) -> int:
        loop, sent = asyncio.get_running_loop(), 0
        start = loop.time() + position / len(clients)
        for seq in range(1, int(plan.duration_s) + 1):
            await asyncio.sleep(max(0.0, start + seq - 1 - loop.time()))
            sent += client.send(seq)
        return sent

    counts = await asyncio.gather(*(one(i, c) for i, c in enumerate(clients)))
    return sum(counts)


async def _send_bursts(plan: LoadPlan, clients: list[BenchClient], tally: Tally) -> int:
    """`rounds` bursts of `burst` events, senders in turn; each burst once the last has arrived."""
    sent, seqs = 0, [0] * len(clients)
    for round_no in range(plan.rounds):
        for k in range(plan.burst):
            position = (round_no * plan.burst + k) % len(clients)
            seqs[position] += 1
            sent += clients[position].send(seqs[position])
        expected = expected_deliveries(sent, len(clients))
        await tally.wait_for_deliveries(expected, plan.deadline_s, plan.drain_idle_s)
    return sent


async def run_load(plan: LoadPlan) -> dict[str, object]:
    """Connect, announce, wait for the picture, send, drain; the measured figures."""
    tally, lost = Tally(plan.clients), list[str]()
    started = time.monotonic()
    clients = await _connect(plan, tally, lost)
    for client in clients:
        client.send(0)
    wanted = len(clients) * (len(clients) - 1)
    await _wait_until(
        lambda: tally.announced >= wanted, plan.ready_timeout_s, 5.0, lambda: tally.announced
    )
    sender = _send_rate if plan.mode == "rate" else _send_bursts
    try:
        sent = await asyncio.wait_for(sender(plan, clients, tally), plan.deadline_s)
    except TimeoutError:
        lost.append("deadline reached while sending")
        sent = tally.sent
    expected = expected_deliveries(sent, len(clients))
    left = max(1.0, plan.deadline_s - (time.monotonic() - started))
    await tally.wait_for_deliveries(expected, left, plan.drain_idle_s)
    return _figures(plan, tally, clients, lost, sent, wanted)


def _figures(
    plan: LoadPlan,
    tally: Tally,
    clients: list[BenchClient],
    lost: list[str],
    sent: int,
    wanted: int,
) -> dict[str, object]:
    expected = expected_deliveries(sent, len(clients))
    span_s = max(1e-9, (tally.last_rx_ns - tally.first_tx_ns) / 1e9) if tally.delivered else 0.0
    usage = resource.getrusage(resource.RUSAGE_SELF)
    for client in clients:
        if client.transport is not None:
            client.transport.close()
    return {
        "clients": plan.clients,
        "connected": len(clients),
        "mode": plan.mode,
        "announced": f"{tally.announced}/{wanted}",
        "events_sent": sent,
        "expected": expected,
        "delivered": tally.delivered,
        "duplicates": tally.duplicates,
        "delivery_ratio": round(delivery_ratio(tally.delivered, expected), 4),
        "deliveries_per_s": round(tally.delivered / span_s, 1) if span_s else 0.0,
        "span_s": round(span_s, 2),
        "latency_ms": tally.latency_ms(),
        "disconnects": lost[:5],
        "disconnect_count": len(lost),
        "generator_cpu_s": round(usage.ru_utime + usage.ru_stime, 2),
    }


def main() -> None:
    """Parse the plan, run it, print the figures as JSON."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--clients", type=int, default=10)
    parser.add_argument("--mode", choices=("rate", "burst"), default="rate")
    parser.add_argument("--duration", type=float, default=20.0, help="rate mode: seconds")
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--burst", type=int, default=1000)
    parser.add_argument("--deadline", type=float, default=120.0)
    args = parser.parse_args()
    plan = LoadPlan(
        args.host, args.port, args.clients, args.mode, args.duration, args.rounds, args.burst,
        deadline_s=args.deadline,
    )  # fmt: skip
    print(json.dumps(asyncio.run(run_load(plan))))


if __name__ == "__main__":
    main()
