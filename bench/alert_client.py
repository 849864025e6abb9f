"""The gunshot vendor and the operator's console of the gunshot bench, in a process of their own
as they are in life (a vendor's cloud, a browser): each shot is posted to the webhook and timed
to its message on the console's socket. Their HTTP and WebSocket work must not share the measured
server's interpreter lock."""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing
import random
import secrets
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from multiprocessing.connection import Connection
from typing import Any

import httpx
import orjson
from websockets.asyncio.client import ClientConnection, connect

CENTER = (39.7392, -104.9903)
SETTLE_S = 0.2
"""Pause after each shot: shots are minutes apart in life; this measures latency, not a queue."""


@dataclass(frozen=True, slots=True)
class Shot:
    """One posted shot: its alert, when it was posted, and when its message reached the socket."""

    alert_id: str
    posted_at: datetime
    packet_ms: float


@dataclass(frozen=True, slots=True)
class Console:
    """Where the server is and the two logins: the vendor's feed token, the operator's cookie."""

    base_url: str
    token: str
    cookie: str


def shot(n: int, rng: random.Random) -> dict[str, Any]:
    """A vendor's gunshot detection near the centre of the city."""
    lat = CENTER[0] + rng.uniform(-0.01, 0.01)
    lon = CENTER[1] + rng.uniform(-0.01, 0.01)
    return {
        "id": f"BENCH-{n}-{secrets.token_hex(3)}",
        "time": datetime.now(UTC).isoformat(),
        "latitude": lat,
        "longitude": lon,
        "rounds": rng.choice((1, 3, 5, 8)),
        "type": rng.choice(("single", "multiple", "automatic")),
        "confidence": 0.9,
        "review_status": "machine",
    }


async def _until(ws: ClientConnection, matches: Any, timeout_s: float = 5.0) -> float:
    deadline = time.perf_counter() + timeout_s
    while True:
        message = orjson.loads(await asyncio.wait_for(ws.recv(), deadline - time.perf_counter()))
        if matches(message):
            return time.perf_counter()


def packet_of(alert_id: str) -> Any:
    """Matches the incident's context packet with the alert attached, its cameras and units."""

    def matches(message: dict[str, Any]) -> bool:
        if message.get("type") != "context" or message["subject"]["type"] != "incident":
            return False
        packet = message["packet"]
        attached = any(a["alert_id"] == alert_id for a in packet.get("alerts", []))
        return attached and bool(packet.get("cameras")) and bool(packet.get("units"))

    return matches


def alert_of(alert_id: str) -> Any:
    """Matches the alert's own message."""

    def matches(message: dict[str, Any]) -> bool:
        return message.get("type") == "alert" and message["alert"]["alert_id"] == alert_id

    return matches


async def measure(
    ws: ClientConnection, http: httpx.AsyncClient, token: str, shots: int, baseline: bool
) -> list[Shot]:
    """Post shots one by one; each timed to its packet (or, for the baseline, its alert)."""
    rng = random.Random(11 if baseline else 13)
    measured: list[Shot] = []
    for n in range(shots):
        posted_at, started = datetime.now(UTC), time.perf_counter()
        response = await http.post(
            "/api/alerts/gunshots",
            json=shot(n, rng),
            headers={"Authorization": f"Bearer {token}"},
        )
        response.raise_for_status()
        alert_id = response.json()["alerts"][0]["alert_id"]
        matcher = alert_of(alert_id) if baseline else packet_of(alert_id)
        try:
            packet_ms = (await _until(ws, matcher) - started) * 1000
        except TimeoutError:
            packet_ms = float("inf")
        measured.append(Shot(alert_id, posted_at, packet_ms))
        await asyncio.sleep(SETTLE_S)
    return measured


async def _both(console: Console, shots: int) -> tuple[list[Shot], list[Shot]]:
    socket_url = console.base_url.replace("http://", "ws://") + "/api/live"
    async with (
        httpx.AsyncClient(base_url=console.base_url, timeout=30) as http,
        connect(socket_url, additional_headers={"Cookie": console.cookie}) as ws,
    ):
        baseline = await measure(ws, http, console.token, shots // 2, baseline=True)
        packets = await measure(ws, http, console.token, shots, baseline=False)
    return baseline, packets


def _drive(pipe: Connection, console: Console, shots: int) -> None:
    try:
        pipe.send(asyncio.run(_both(console, shots)))
    except BaseException as error:
        pipe.send(RuntimeError(f"the bench client failed: {error!r}"))
        raise
    finally:
        pipe.close()


async def run_client(
    console: Console, shots: int, timeout_s: float = 600.0
) -> tuple[list[Shot], list[Shot]]:
    """Run the vendor and the console in their own process while this one serves; the baseline
    (shots // 2, each to its alert's message) and then the shots, each to its packet."""
    context = multiprocessing.get_context("spawn")
    ours, theirs = context.Pipe(duplex=False)
    process = context.Process(target=_drive, args=(theirs, console, shots), daemon=True)
    process.start()
    theirs.close()
    try:
        if not await asyncio.to_thread(ours.poll, timeout_s):
            raise RuntimeError("the bench client did not finish in time")
        answer = ours.recv()
        if isinstance(answer, BaseException):
            raise answer
        baseline, packets = answer
        return list(baseline), list(packets)
    except EOFError:
        raise RuntimeError("the bench client ended without an answer") from None
    finally:
        ours.close()
        await asyncio.to_thread(process.join, 10)
        if process.is_alive():
            process.kill()
            with contextlib.suppress(Exception):
                process.join(5)
