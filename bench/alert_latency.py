"""Gunshot webhook → incident with its context packet on a console's WebSocket, and the covering
PTZ cameras commanded, end to end.

A served Watchfloor on SQLite with 2,000 cameras around the city (one in ten PTZ; the PTZ cameras
near the shots answer ONVIF from a real ipycam device, in its own process as a camera is its own
device, and are calibrated for slew-to-cue), units on patrol, and a logged-on operator's live
socket. Each shot is posted to `POST /api/alerts/gunshots` as a vendor would. The vendor and the
console run in a process of their own (bench/alert_client.py), as they are other machines in life.
A shot is done when both have happened: the socket delivered the context packet of the incident
the correlation engine opened or attached it to (with its cameras and units), and every PTZ
command sent for it was answered by the camera (the time its `camera.ptz.cued` audit record gives
for the camera's answer). The cameras' PTZ sessions are opened before the first shot, as
Watchfloor does at start for slew-to-cue cameras, and the shots start once start has settled (its
heap frozen, see watchfloor/core/heap.py). Baseline in the same run: the same post to the alert's
own `alert` message on the same socket (intake, store and broadcast, no correlation).
"""

from __future__ import annotations

import random
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pyotp
from pydantic import SecretStr
from sqlalchemy import select
from tests.support.server import serving

from bench.alert_client import CENTER, Console, Shot, run_client
from bench.eido_ingest import Figure, _percentile
from bench.host import HostLoad, host_mark, host_since
from bench.onvif_peer import OnvifPeer
from watchfloor.app import Watchfloor, build
from watchfloor.audit.models import AuditRecord
from watchfloor.core.context import Actor, RequestContext, Role
from watchfloor.correlation.schemas import CalibrationIn, CueIn
from watchfloor.domain.cameras.schemas import CameraIn
from watchfloor.settings import load_settings

CAMERAS = 2_000
PTZ_EVERY = 10
PTZ_WITH_ONVIF = CAMERAS // PTZ_EVERY  # all of them: every shot has some within PTZ range
UNITS = 40
PASSWORD = "floor " + secrets.token_urlsafe(18)
SYSTEM = RequestContext(actor=Actor.system("bench"))


def _near(rng: random.Random, spread: float) -> tuple[float, float]:
    return CENTER[0] + rng.uniform(-spread, spread), CENTER[1] + rng.uniform(-spread, spread)


async def _cameras(wf: Watchfloor, device_url: str, rng: random.Random) -> None:
    for n in range(CAMERAS):
        ptz = n % PTZ_EVERY == 0
        answers = ptz and n < PTZ_WITH_ONVIF * PTZ_EVERY
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
            onvif_url=SecretStr(device_url) if answers else None,
            access_level="live",
        )
        await wf.cameras.create(body, SYSTEM)
        if answers:  # calibrated: a cue is an AbsoluteMove aimed at the shot
            calibration = CalibrationIn(pan_zero_bearing_deg=rng.uniform(0, 360))
            await wf.cue_store.put(body.code, CueIn(calibration=calibration), SYSTEM)


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


@dataclass(frozen=True, slots=True)
class Cued:
    """The PTZ commands sent for one alert: how many, how many the camera answered, the last."""

    commands: int
    answered: int
    last_at: datetime


async def _cued(wf: Watchfloor) -> dict[str, Cued]:
    """Every alert's PTZ commands, from the audit records written as each camera answered."""
    await wf.correlation.executor.join()
    async with wf.db.read_session() as session:
        rows = (
            await session.execute(
                select(AuditRecord.reason, AuditRecord.outcome, AuditRecord.details).where(
                    AuditRecord.action == "camera.ptz.cued"
                )
            )
        ).all()
    found: dict[str, Cued] = {}
    for reason, outcome, details in rows:
        alert_id = str(reason).removeprefix("alert ")
        at = datetime.fromisoformat(details["answered_at"])
        was = found.get(alert_id, Cued(0, 0, at))
        answered = was.answered + (outcome == "success")
        found[alert_id] = Cued(was.commands + 1, answered, max(was.last_at, at))
    return found


def _done_ms(shot: Shot, cued: Cued | None) -> float:
    """When both the packet was on the socket and every PTZ command answered, ms after the post."""
    if cued is None:
        return shot.packet_ms
    return max(shot.packet_ms, (cued.last_at - shot.posted_at).total_seconds() * 1000)


async def run(data_dir: Path, quick: bool) -> list[Figure]:
    """Post gunshots one by one and time each to its incident's context packet on a socket."""
    shots = 30 if quick else 200
    settings = load_settings(data_dir=data_dir / "alerts", database_url=None)
    # Plain http on loopback: the session cookie must travel without TLS here.
    security = settings.security.model_copy(update={"cookie_secure": False})
    wf = build(settings.model_copy(update={"security": security}))
    camera = OnvifPeer()
    device_url = camera.start()
    rng = random.Random(5)
    try:
        await _cameras(wf, device_url, rng)
        _feed, token = await wf.auth.create_feed("bench-gunshots")
        async with serving(wf) as base, httpx.AsyncClient(base_url=base, timeout=30) as http:
            cookie = await _logon(wf, http)
            await wf.correlation.executor.cameras_ready()
            await wf.heap.settled()  # start's warm-up over: measure the server as it then runs
            await _units(http, token, rng)
            mark = host_mark()
            baseline, packets = await run_client(Console(base, token, cookie), shots)
            host = host_since(mark)
            cued = await _cued(wf)
    finally:
        camera.stop()
    return [_figure(packets, [s.packet_ms for s in baseline], cued, host)]


def _figure(
    shots: list[Shot], baseline: list[float], cued: dict[str, Cued], host: HostLoad
) -> Figure:
    done = [_done_ms(shot, cued.get(shot.alert_id)) for shot in shots]
    packets = [shot.packet_ms for shot in shots]
    ptz = [
        (cued[s.alert_id].last_at - s.posted_at).total_seconds() * 1000
        for s in shots
        if s.alert_id in cued
    ]
    commands = [cued[s.alert_id] for s in shots if s.alert_id in cued]
    p99 = _percentile(done, 0.99)
    return Figure(
        "gunshot_to_context_on_socket_p99",
        round(p99, 1),
        "ms",
        "sqlite",
        {
            "shots": len(shots),
            "lost": sum(1 for s in packets if s == float("inf")),
            "p50_ms": round(_percentile(done, 0.5), 1),
            "p95_ms": round(_percentile(done, 0.95), 1),
            "p99_ms": round(p99, 1),
            "packet_on_socket_p50_ms": round(_percentile(packets, 0.5), 1),
            "packet_on_socket_p99_ms": round(_percentile(packets, 0.99), 1),
            "shots_with_ptz_cued": len(commands),
            "ptz_commands": sum(c.commands for c in commands),
            "ptz_commands_answered": sum(c.answered for c in commands),
            "ptz_answered_p50_ms": round(_percentile(ptz, 0.5), 1) if ptz else None,
            "ptz_answered_p99_ms": round(_percentile(ptz, 0.99), 1) if ptz else None,
            "baseline_alert_message_p50_ms": round(_percentile(baseline, 0.5), 1),
            "baseline_alert_message_p99_ms": round(_percentile(baseline, 0.99), 1),
            "cameras": CAMERAS,
            "ptz_cameras": CAMERAS // PTZ_EVERY,
            "ptz_cameras_answering_onvif": PTZ_WITH_ONVIF,
            "units": UNITS,
            "host_steal_pct": host.steal_pct,
            "host_disk_read_mib": host.disk_read_mib,
            "goal": "p99 <= 100 ms: packet on the socket and every PTZ command answered",
            "goal_met": p99 <= 100,
        },
    )
