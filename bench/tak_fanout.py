"""CoT position fan-out side by side: Watchfloor's TAK server, taky 0.10 and FreeTAKServer 2.2.1.

Each server runs alone in its own process (a fresh one per case) on a loopback port; the same load
generator (bench/tak_load.py, its own process) drives N = 10, 50, 200 plain-XML clients at 1 Hz
and in bursts (10 rounds of 1,000 events, each once the previous one has arrived). Per case:
deliveries/s, delivery ratio, p50/p95/p99 latency, peak server RSS. Goal: Watchfloor loses
nothing and delivers >= 10x taky's deliveries/s at 50 clients. A peer that cannot be installed
or started is recorded and skipped.

`python -m bench.tak_fanout [--quick] [--servers taky,watchfloor] [--clients 10,50]` prints JSON.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import socket
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench import tak_peers
from bench.eido_ingest import Figure

ROOT = Path(__file__).parent.parent
SERVERS = ("watchfloor", "taky", "freetakserver")
GOAL = "zero loss and >= 10x taky's deliveries/s at 50 clients (bursts)"


@dataclass(frozen=True)
class Shape:
    """The load of one run: client counts, modes and their bounds."""

    clients: tuple[int, ...]
    modes: tuple[str, ...] = ("rate", "burst")
    duration_s: float = 20.0
    rounds: int = 10
    burst: int = 1000
    deadline_s: float = 90.0
    start_timeout_s: float = 90.0

    @classmethod
    def for_run(cls, quick: bool) -> Shape:
        """Full: N = 10, 50, 200, 20 s at 1 Hz, 10 x 1,000; quick: N = 10, 50, 6 s, 3 x 1,000."""
        if quick:
            return cls((10, 50), duration_s=6.0, rounds=3, deadline_s=40.0)
        return cls((10, 50, 200))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _load_command(
    server: tak_peers.RunningServer, shape: Shape, clients: int, mode: str
) -> list[str]:
    return [
        *server.enter(), sys.executable, "-m", "bench.tak_load", "--port", str(server.port),
        "--clients", str(clients), "--mode", mode, "--duration", str(shape.duration_s),
        "--rounds", str(shape.rounds), "--burst", str(shape.burst),
        "--deadline", str(shape.deadline_s),
    ]  # fmt: skip


async def _drive(
    server: tak_peers.RunningServer, command: list[str]
) -> tuple[dict[str, Any], float]:
    """Run the load generator to its end, sampling the server's RSS; (figures, peak MiB)."""
    process = await asyncio.create_subprocess_exec(
        *command, cwd=ROOT, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
    )
    peak = server.rss_mib()
    waiting = asyncio.ensure_future(process.communicate())
    while not waiting.done():
        peak = max(peak, server.rss_mib())
        await asyncio.wait({waiting}, timeout=0.25)
    out, err = waiting.result()
    if process.returncode != 0:
        return {"error": err.decode(errors="replace")[-600:]}, peak
    return dict(json.loads(out)), peak


async def _case(
    spec: tak_peers.ServerSpec, python: Path, shape: Shape, clients: int, mode: str, tmp: Path,
    sandbox: bool,
) -> dict[str, Any]:  # fmt: skip
    """One server x N x mode on a fresh server process."""
    workdir = tmp / f"{spec.name}-{clients}-{mode}"
    port = _free_port()
    server = await tak_peers.start_server(
        spec, python, port, workdir, sandbox, shape.start_timeout_s
    )
    try:
        idle_mib = server.rss_mib()
        measured, peak = await _drive(server, _load_command(server, shape, clients, mode))
    finally:
        await tak_peers.stop_server(server)
    return {
        "server": spec.name,
        "version": spec.version,
        **measured,
        "clients": clients,
        "mode": mode,
        "server_rss_mib_idle": idle_mib,
        "server_rss_mib_peak": peak,
    }


async def _server_cases(
    name: str, shape: Shape, tmp: Path, sandbox: bool
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """(peer record, cases) for one server; a peer that fails is recorded and skipped."""
    spec = tak_peers.SPECS[name]
    peer: dict[str, Any] = {"version": spec.version, "pins": list(spec.pins), "sandboxed": sandbox}
    try:
        python = await asyncio.to_thread(tak_peers.ensure_venv, spec)
        cases = []
        for clients in shape.clients:
            for mode in shape.modes:
                cases.append(await _case(spec, python, shape, clients, mode, tmp, sandbox))
    except tak_peers.PeerUnavailable as exc:
        return {**peer, "status": "skipped", "reason": str(exc)}, []
    return {**peer, "status": "measured"}, cases


def _find(
    cases: list[dict[str, Any]], server: str, clients: int, mode: str
) -> dict[str, Any] | None:
    for case in cases:
        if (case["server"], case["clients"], case["mode"]) == (server, clients, mode):
            return case
    return None


def versus_taky(cases: list[dict[str, Any]], clients: int = 50) -> dict[str, Any]:
    """Watchfloor's deliveries/s over taky's in bursts at `clients`, and whether the goal holds."""
    ours, theirs = (_find(cases, s, clients, "burst") for s in ("watchfloor", "taky"))
    if not ours or not theirs or not theirs.get("deliveries_per_s"):
        return {"ratio": None, "goal": GOAL, "goal_met": False, "why": "a side was not measured"}
    ratio = float(ours.get("deliveries_per_s", 0.0)) / float(theirs["deliveries_per_s"])
    lossless = all(c.get("delivery_ratio") == 1.0 for c in cases if c["server"] == "watchfloor")
    return {
        "ratio": round(ratio, 2),
        "watchfloor_deliveries_per_s": ours.get("deliveries_per_s"),
        "taky_deliveries_per_s": theirs["deliveries_per_s"],
        "watchfloor_lossless": lossless,
        "goal": GOAL,
        "goal_met": lossless and ratio >= 10.0,
    }


async def run(
    workdir: Path, quick: bool, servers: tuple[str, ...] = SERVERS, shape: Shape | None = None
) -> dict[str, Any]:
    """Every server x N x mode; peers, cases, and the comparison at 50 clients."""
    shape = shape or Shape.for_run(quick)
    sandbox = await asyncio.to_thread(tak_peers.sandbox_available)
    peers: dict[str, Any] = {}
    cases: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="tak-fanout-", dir=workdir) as tmp:
        for name in servers:
            peers[name], measured = await _server_cases(name, shape, Path(tmp), sandbox)
            cases += measured
    return {"peers": peers, "cases": cases, "versus_taky_50": versus_taky(cases)}


def figures(measured: dict[str, Any]) -> list[Figure]:
    """One figure per server x mode x N (deliveries/s) and the Watchfloor/taky ratio."""
    out = [
        Figure(
            f"tak_fanout_{c['mode']}_{c['clients']}",
            float(c.get("deliveries_per_s", 0.0)),
            "deliveries/s",
            c["server"],
            c,
        )
        for c in measured["cases"]
    ]
    versus = measured["versus_taky_50"]
    detail = {**versus, "peers": measured["peers"]}
    out.append(
        Figure("tak_fanout_vs_taky_50", float(versus["ratio"] or 0.0), "x", "loopback", detail)
    )
    return out


def main() -> None:
    """Run the comparison and print it as JSON."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--servers", default=",".join(SERVERS))
    parser.add_argument("--clients", help="comma-separated client counts")
    parser.add_argument("--modes", default="rate,burst")
    args = parser.parse_args()
    base = Shape.for_run(args.quick)
    clients = tuple(int(n) for n in args.clients.split(",")) if args.clients else base.clients
    shape = Shape(clients, tuple(args.modes.split(",")), base.duration_s, base.rounds,
                  base.burst, base.deadline_s)  # fmt: skip
    servers = tuple(s for s in args.servers.split(",") if s in tak_peers.SPECS)
    with tempfile.TemporaryDirectory(prefix="watchfloor-bench-") as tmp:
        measured = asyncio.run(run(Path(tmp), args.quick, servers, shape))
    print(json.dumps(measured, indent=2))


if __name__ == "__main__":
    main()
