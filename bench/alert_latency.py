"""Gunshot webhook → incident with its context packet on a console's WebSocket, end to end.

A served Watchfloor on SQLite with 2,000 cameras around the city (one in ten PTZ, the PTZ cameras
near the shots answering ONVIF from a real ipycam device), units on patrol, and a logged-on
operator's live socket. Each shot is posted to `POST /api/alerts/gunshots` as a vendor would; the
clock stops when the socket delivers the context packet of the incident the correlation engine
opened for it (cameras, units, PTZ cue dispatched). Baseline in the same run: the same post to
the alert's own `alert` message on the same socket (intake, store and broadcast, no correlation).
"""

from __future__ import annotations

import asyncio
import random
import secrets
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import orjson
import pyotp
from pydantic import SecretStr
from tests.support.onvif_camera import OnvifCamera
from tests.support.server import serving
from websockets.asyncio.client import ClientConnection, connect

from bench.eido_ingest import Figure, _percentile
from watchfloor.app import Watchfloor, build
from watchfloor.core.context import Actor, RequestContext, Role
from watchfloor.domain.cameras.schemas import CameraIn
from watchfloor.settings import load_settings

CENTER = (39.7392, -104.9903)
CAMERAS = 2_000
PTZ_EVERY = 10
PTZ_WITH_ONVIF = 20
UNITS = 40
PASSWORD = "floor " + secrets.token_urlsafe(18)
SYSTEM = RequestContext(actor=Actor.system("bench"))


def _near(rng: random.Random, spread: float) -> tuple[float, float]:
    return CENTER[0] + rng.uniform(-spread, spread), CENTER[1] + rng.uniform(-spread, spread)


async def _cameras(wf: Watchfloor, device_url: str, rng: random.Random) -> None:
    for n in range(CAMERAS):
        ptz = n % PTZ_EVERY == 0
        # The PTZ cameras answer ONVIF (one ipycam device behind them all) and stand where the
        # shots fall, so every shot cues some; fixed cameras fill the whole city.
        lat, lon = _near(rng, 0.012 if ptz else 0.04)
        body = CameraIn(
            code=f"B-{n:05d}",
            name=f"Bench camera {n}",
            kind="traffic" if ptz else "city",
            owner="Bench City",
            lat=lat,
            lon=lon,
            bearing=rng.uniform(0, 360),
            fov_angle=70,
            fov_range_m=120,
            ptz=ptz,
            ptz_range_m=250 if ptz else None,
            onvif_url=SecretStr(device_url) if ptz and n < PTZ_WITH_ONVIF * PTZ_EVERY else None,
            access_level="live",
        )
        await wf.cameras.create(body, SYSTEM)


async def _units(http: httpx.AsyncClient, token: str, rng: random.Random) -> None:
    now = datetime.now(UTC).isoformat()
    positions = []
    for n in range(UNITS):
        lat, lon = _near(rng, 0.04)
        positions.append(
            {"unit": f"P{n:03d}", "latitude": lat, "longitude": lon, "at": now, "kind": "patrol"}
        )
    response = await http.post(
        "/api/units/positions", json=positions, headers={"Authorization": f"Bearer {token}"}
    )
    response.raise_for_status()


async def _logon(wf: Watchfloor, http: httpx.AsyncClient) -> str:
    _user, uri = await wf.auth.create_user("bench-rtcc", Role.OPERATOR, "RT8", PASSWORD)
    response = await http.post(
        "/api/auth/logon",
        json={
            "username": "bench-rtcc",
            "password": PASSWORD,
            "totp": pyotp.TOTP(str(pyotp.parse_uri(uri).secret)).now(),
            "banner_acknowledged": True,
        },
    )
    response.raise_for_status()
    return f"wf_session={http.cookies['wf_session']}"


def _shot(n: int, rng: random.Random) -> dict[str, Any]:
    lat, lon = _near(rng, 0.01)
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


def _packet_of(alert_id: str) -> Any:
    def matches(message: dict[str, Any]) -> bool:
        if message.get("type") != "context" or message["subject"]["type"] != "incident":
            return False
        packet = message["packet"]
        attached = any(a["alert_id"] == alert_id for a in packet.get("alerts", []))
        return attached and bool(packet.get("cameras")) and bool(packet.get("units"))

    return matches


def _alert_of(alert_id: str) -> Any:
    def matches(message: dict[str, Any]) -> bool:
        return message.get("type") == "alert" and message["alert"]["alert_id"] == alert_id

    return matches


async def _measure(
    ws: ClientConnection, http: httpx.AsyncClient, token: str, shots: int, baseline: bool
) -> list[float]:
    rng = random.Random(11 if baseline else 13)
    samples: list[float] = []
    for n in range(shots):
        started = time.perf_counter()
        response = await http.post(
            "/api/alerts/gunshots",
            json=_shot(n, rng),
            headers={"Authorization": f"Bearer {token}"},
        )
        response.raise_for_status()
        alert_id = response.json()["alerts"][0]["alert_id"]
        matcher = _alert_of(alert_id) if baseline else _packet_of(alert_id)
        try:
            samples.append((await _until(ws, matcher) - started) * 1000)
        except TimeoutError:
            samples.append(float("inf"))
        await asyncio.sleep(0.2)  # shots minutes apart in life: measure latency, not a queue
    return samples


async def run(data_dir: Path, quick: bool) -> list[Figure]:
    """Post gunshots one by one and time each to its incident's context packet on a socket."""
    shots = 30 if quick else 200
    settings = load_settings(data_dir=data_dir / "alerts", database_url=None)
    # Plain http on loopback: the session cookie must travel without TLS here.
    security = settings.security.model_copy(update={"cookie_secure": False})
    wf = build(settings.model_copy(update={"security": security}))
    camera = OnvifCamera()
    camera.start()
    rng = random.Random(5)
    try:
        await _cameras(wf, camera.url(), rng)
        _feed, token = await wf.auth.create_feed("bench-gunshots")
        async with serving(wf) as base, httpx.AsyncClient(base_url=base, timeout=30) as http:
            cookie = await _logon(wf, http)
            await _units(http, token, rng)
            socket_url = base.replace("http://", "ws://") + "/api/live"
            async with connect(socket_url, additional_headers={"Cookie": cookie}) as ws:
                baseline = await _measure(ws, http, token, shots // 2, baseline=True)
                packets = await _measure(ws, http, token, shots, baseline=False)
    finally:
        camera.stop()
    return [_figure(packets, baseline)]


def _figure(packets: list[float], baseline: list[float]) -> Figure:
    p99 = _percentile(packets, 0.99)
    return Figure(
        "gunshot_to_context_on_socket_p99",
        round(p99, 1),
        "ms",
        "sqlite",
        {
            "shots": len(packets),
            "lost": sum(1 for s in packets if s == float("inf")),
            "p50_ms": round(_percentile(packets, 0.5), 1),
            "p95_ms": round(_percentile(packets, 0.95), 1),
            "p99_ms": round(p99, 1),
            "baseline_alert_message_p50_ms": round(_percentile(baseline, 0.5), 1),
            "baseline_alert_message_p99_ms": round(_percentile(baseline, 0.99), 1),
            "cameras": CAMERAS,
            "ptz_cameras": CAMERAS // PTZ_EVERY,
            "ptz_cameras_answering_onvif": PTZ_WITH_ONVIF,
            "units": UNITS,
            "goal": "p99 <= 100 ms including the camera query and PTZ command dispatch",
            "goal_met": p99 <= 100,
        },
    )
