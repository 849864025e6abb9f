"""`watchfloor demo`: a fresh SQLite Watchfloor, demo accounts, and a simulated CAD feeding it
over the real EIDO intake endpoint."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import shutil
from datetime import UTC, datetime
from pathlib import Path

import httpx
import orjson
import pyotp
import uvicorn

from watchfloor.app import Watchfloor, build, create_app
from watchfloor.core.context import Role
from watchfloor.demo.cad_simulator import CadSimulator
from watchfloor.settings import load_settings

log = logging.getLogger(__name__)

# Demo-only credentials: printed at start-up, never valid outside this throwaway data directory.
DEMO_ACCOUNTS = (
    ("admin", Role.ADMIN, None, "watchfloor demo admin passphrase"),
    ("supervisor", Role.SUPERVISOR, "RT700", "watchfloor demo supervisor passphrase"),
    ("operator", Role.OPERATOR, "RT3", "watchfloor demo operator passphrase"),
)


def demo_data_dir() -> Path:
    """Where the demo keeps its throwaway store (WATCHFLOOR_DATA_DIR or ./watchfloor-data/demo)."""
    return Path(os.environ.get("WATCHFLOOR_DATA_DIR", "watchfloor-data/demo")).resolve()


async def _accounts(wf: Watchfloor) -> list[str]:
    lines = []
    for username, role, designator, password in DEMO_ACCOUNTS:
        _user, uri = await wf.auth.create_user(username, role, designator, password)
        secret = pyotp.parse_uri(uri).secret
        lines.append(
            f"  {role.value:<10} {username:<11} password: {password!r}  TOTP secret: {secret}"
        )
    return lines


async def _feed(base_url: str, token: str, rate: float, stop: asyncio.Event) -> None:
    simulator = CadSimulator(seed=int.from_bytes(os.urandom(2), "big"))
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    async with httpx.AsyncClient(base_url=base_url, headers=headers, timeout=10) as http:
        while not stop.is_set():
            document = simulator.next_document(datetime.now(UTC))
            try:
                response = await http.post("/api/intake/eido", content=orjson.dumps(document))
                if response.status_code >= 300:
                    log.warning("simulated CAD update refused: %s", response.text[:300])
            except httpx.HTTPError as exc:
                log.warning("simulated CAD could not reach Watchfloor: %s", exc)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=1.0 / rate)


async def _run(port: int, rate: float) -> int:
    data_dir = demo_data_dir()
    shutil.rmtree(data_dir, ignore_errors=True)
    settings = load_settings(data_dir=data_dir, demo_mode=True, port=port, database_url=None)
    wf = build(settings)
    accounts = await _accounts(wf)
    _feed_account, token = await wf.auth.create_feed("simulated-cad")
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(wf), host="127.0.0.1", port=port, log_level="warning", server_header=False
        )
    )
    base_url = f"http://127.0.0.1:{port}"
    print(f"\nWatchfloor demo on {base_url}")
    print(f"  API: {base_url}/openapi.json   health: {base_url}/healthz")
    print("Demo logons (this data directory only; reset on every `make demo`):")
    print("\n".join(accounts))
    print(f"Simulated CAD: {rate} EIDO updates/s into {base_url}/api/intake/eido. Ctrl-C stops.\n")
    stop = asyncio.Event()
    feeder = asyncio.create_task(_feed(base_url, token, rate, stop))
    try:
        await server.serve()
    finally:
        stop.set()
        await feeder
    return 0


def run_demo(port: int = 8000, rate: float = 0.5) -> int:
    """Run the demo until interrupted; returns the exit code."""
    try:
        return asyncio.run(_run(port, rate))
    except KeyboardInterrupt:
        return 0
