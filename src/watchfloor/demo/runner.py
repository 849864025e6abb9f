"""`watchfloor demo`: a fresh SQLite Watchfloor, demo accounts, and a simulated CAD (the city's
calls, a scripted scenario, or both) feeding it over the real EIDO intake endpoint; in the city,
plate readers and hotlists, with simulated plate reads posted over the real read intake."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import shutil
import socket
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

import httpx
import orjson
import pyotp
import uvicorn

from watchfloor.app import Watchfloor, build, create_app
from watchfloor.auth.schemas import UserOut
from watchfloor.core.context import Role
from watchfloor.demo.alert_simulator import DEFAULT_PER_MINUTE, feed_alerts, set_up_geofences
from watchfloor.demo.cad_simulator import (
    DEFAULT_CALLS_PER_MINUTE,
    DEFAULT_TIME_FACTOR,
    CadSimulator,
)
from watchfloor.demo.city import ATTRIBUTION, load_cameras
from watchfloor.demo.community import seed_community
from watchfloor.demo.credentials import (
    CREDENTIALS_FILE,
    DemoAccount,
    demo_data_dir,
    write_credentials,
)
from watchfloor.demo.lpr_setup import (
    SYSTEM,
    DemoClock,
    LprDemo,
    set_up_lpr,
    stock_ncic,
    supervisor_context,
)
from watchfloor.demo.lpr_simulator import DEFAULT_READS_PER_SECOND, LprSimulator
from watchfloor.demo.lpr_vehicles import plate_png
from watchfloor.demo.scenarios import load_scenario
from watchfloor.demo.scenarios.player import ScenarioPlayer
from watchfloor.demo.video import DemoCameras, attach_streams
from watchfloor.settings import load_settings

log = logging.getLogger(__name__)

# Demo-only credentials: printed at start-up, never valid outside this throwaway data directory.
# A password may not contain its username, so none names its role.
DEMO_ACCOUNTS = (
    ("admin", Role.ADMIN, None, "watchfloor demo keys to the building"),
    ("supervisor", Role.SUPERVISOR, "RT700", "watchfloor demo shift lead passphrase"),
    ("operator", Role.OPERATOR, "RT3", "watchfloor demo console passphrase"),
)
TICK_S = 0.5
READ_BATCH_S = 1.0  # plate reads go in one batch a second, as a reader vendor's gateway sends
MAX_READS_PER_POST = 1000


@dataclass(frozen=True)
class DemoOptions:
    """What `watchfloor demo` runs."""

    port: int = 8000
    calls_per_minute: float = DEFAULT_CALLS_PER_MINUTE
    time_factor: float = DEFAULT_TIME_FACTOR
    scenario: str | None = None
    speed: float = 1.0
    city: bool = True
    lpr_rate: float = DEFAULT_READS_PER_SECOND  # plate reads a second; 0: no plate readers
    alert_rate: float = DEFAULT_PER_MINUTE  # simulated alerts a minute; 0: no alert sources
    tak_port: int | None = 8087  # the TAK server's plain CoT port on 127.0.0.1; None: off

    @property
    def plate_readers(self) -> bool:
        """Whether the demo runs plate readers: they stand in the city, so not without it."""
        return self.city and self.lpr_rate > 0


class Source(Protocol):
    """Something that has EIDO documents due by a moment: the city or a scenario."""

    def due(self, now: datetime) -> list[dict[str, Any]]:
        """Documents due by now, not sent before."""
        ...


async def _accounts(wf: Watchfloor) -> tuple[list[DemoAccount], dict[str, UserOut]]:
    accounts, users = [], {}
    for username, role, designator, password in DEMO_ACCOUNTS:
        user, uri = await wf.auth.create_user(username, role, designator, password)
        secret = str(pyotp.parse_uri(uri).secret)
        accounts.append(DemoAccount(username, role.value, designator, password, secret))
        users[username] = user
    return accounts, users


def banner(
    base_url: str,
    accounts: list[DemoAccount],
    options: DemoOptions,
    data_dir: Path,
    lpr: LprDemo | None = None,
) -> str:
    """What the demo prints at start-up: the console first, then how to log on."""
    lines = [
        "",
        f"Watchfloor demo console: {base_url}/",
        f"  video wall: {base_url}/wall",
        f"  API: {base_url}/openapi.json   health: {base_url}/healthz",
        "Demo logons (this data directory only; reset on every `make demo`):",
        *(
            f"  {a.role:<10} {a.username:<11} password: {a.password!r}"
            f"  TOTP secret: {a.totp_secret}"
            for a in accounts
        ),
        "Current 6-digit TOTP code: `watchfloor demo code <username>` "
        f"(reads {data_dir / CREDENTIALS_FILE})",
    ]
    if options.city:
        lines.append(
            f"City feed: central Helsinki, about {options.calls_per_minute:g} new calls a minute "
            f"at the hour-of-week rhythm, call times compressed x{options.time_factor:g}."
        )
    if lpr is not None:
        lines += lpr.describe(options.lpr_rate)
    elif options.city:
        lines.append("Plate readers: off (--lpr-rate 0).")
    if options.tak_port:
        lines.append(
            f"TAK server: CoT over TCP at 127.0.0.1:{options.tak_port} (ATAK, WinTAK, pytak): "
            "incidents, gunshots and verified plate alerts go out; positions of callsigns "
            "named like a unit move it."
        )
    if options.scenario:
        lines.append(f"Scenario: {options.scenario} at x{options.speed:g} speed.")
    lines += [f"Map data {ATTRIBUTION}. Ctrl-C stops.", ""]
    return "\n".join(lines)


def sources(options: DemoOptions, now: datetime) -> tuple[list[Source], list[dict[str, Any]]]:
    """The feeds to run from now, and the documents to send at once (the city already busy)."""
    feeds: list[Source] = []
    first: list[dict[str, Any]] = []
    if options.city:
        city = CadSimulator(
            seed=int.from_bytes(os.urandom(2), "big"),
            calls_per_minute=options.calls_per_minute,
            time_factor=options.time_factor,
        )
        first = city.start(now, warm_up=city.warm_up())
        feeds.append(city)
    if options.scenario:
        feeds.append(ScenarioPlayer(load_scenario(options.scenario), now, options.speed))
    return feeds, first


async def _post(http: httpx.AsyncClient, document: dict[str, Any]) -> None:
    try:
        response = await http.post("/api/intake/eido", content=orjson.dumps(document))
        if response.status_code >= 300:
            log.warning("simulated CAD update refused: %s", response.text[:300])
    except httpx.HTTPError as exc:
        log.warning("simulated CAD could not reach Watchfloor: %s", exc)


async def _feed(
    base_url: str, token: str, options: DemoOptions, started: asyncio.Event, stop: asyncio.Event
) -> None:
    await started.wait()
    if stop.is_set():
        return
    feeds, first = sources(options, datetime.now(UTC))
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    async with httpx.AsyncClient(base_url=base_url, headers=headers, timeout=10) as http:
        for document in first:
            await _post(http, document)
        while not stop.is_set():
            now = datetime.now(UTC)
            for feed in feeds:
                for document in feed.due(now):
                    await _post(http, document)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=TICK_S)


async def _upload_plate_image(http: httpx.AsyncClient) -> str | None:
    """Upload the hits' plate picture once; reads then refer to it by its SHA-256."""
    try:
        response = await http.post(
            "/api/lpr/images", content=plate_png(), headers={"Content-Type": "image/png"}
        )
    except httpx.HTTPError as exc:
        log.warning("simulated plate readers could not upload their image: %s", exc)
        return None
    if response.status_code != 201:
        log.warning("simulated plate image refused: %s", response.text[:300])
        return None
    return str(response.json()["sha256"])


async def _post_reads(http: httpx.AsyncClient, reads: list[dict[str, Any]]) -> None:
    for start in range(0, len(reads), MAX_READS_PER_POST):
        batch = reads[start : start + MAX_READS_PER_POST]
        try:
            response = await http.post("/api/lpr/reads", content=orjson.dumps(batch))
            if response.status_code != 200:
                log.warning("simulated plate reads refused: %s", response.text[:300])
        except httpx.HTTPError as exc:
            log.warning("simulated plate readers could not reach Watchfloor: %s", exc)


async def _feed_reads(
    base_url: str,
    token: str,
    lpr: LprDemo,
    options: DemoOptions,
    started: asyncio.Event,
    stop: asyncio.Event,
) -> None:
    await started.wait()
    if stop.is_set():
        return
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    async with httpx.AsyncClient(base_url=base_url, headers=headers, timeout=10) as http:
        image = await _upload_plate_image(http)
        seed = int.from_bytes(os.urandom(2), "big")
        readers = LprSimulator(seed, lpr.readers, lpr.listed, options.lpr_rate, plate_image=image)
        readers.start(datetime.now(UTC))
        while not stop.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=READ_BATCH_S)
            reads = readers.due(datetime.now(UTC))
            if reads and not stop.is_set():
                await _post_reads(http, reads)


class _Server(uvicorn.Server):
    """uvicorn's server, telling the feeds once it listens (so no first document is lost) and
    when it begins to shut down (so they stop posting to a closing server)."""

    def __init__(
        self, config: uvicorn.Config, listening: asyncio.Event, stopping: asyncio.Event
    ) -> None:
        super().__init__(config)
        self.listening = listening
        self.stopping = stopping

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        """Start as uvicorn does, then set the event."""
        await super().startup(sockets)
        if self.started:
            self.listening.set()

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        """Tell the feeds, then shut down as uvicorn does."""
        self.stopping.set()
        await super().shutdown(sockets)


async def _run(options: DemoOptions) -> int:
    logging.getLogger("httpx").setLevel(
        logging.WARNING
    )  # one INFO line per document drowns the banner
    data_dir = demo_data_dir()
    shutil.rmtree(data_dir, ignore_errors=True)
    settings = load_settings(
        data_dir=data_dir,
        demo_mode=True,
        port=options.port,
        database_url=None,
        tak={"host": "127.0.0.1", "tcp_port": options.tak_port},
    )
    clock = DemoClock()
    wf = build(settings, clock=clock)
    seed = int.from_bytes(os.urandom(2), "big")
    # The NCIC extract arrived "yesterday": first, so the audit log stays in time order.
    ncic = await stock_ncic(wf, seed, clock) if options.plate_readers else None
    accounts, users = await _accounts(wf)
    test_cards = DemoCameras()
    if options.city:  # the city's real OpenStreetMap camera nodes, as unverified assets
        await wf.cameras.import_osm(load_cameras(), SYSTEM)
        rtsp_base = test_cards.start()  # a few of them show GStreamer test cards live
        if rtsp_base is not None:
            await attach_streams(wf.cameras, rtsp_base, SYSTEM)
    community = await seed_community(wf)  # before start: the registry's index loads them
    lpr = None
    if ncic is not None:
        lpr = await set_up_lpr(wf, supervisor_context(users["supervisor"]), ncic, seed)
    _feed_account, token = await wf.auth.create_feed("simulated-cad")
    _readers_account, reads_token = await wf.auth.create_feed("simulated-plate-readers")
    alert_sources = options.city and options.alert_rate > 0
    if alert_sources:  # a school zone and a monitored person's exclusion zone in the city
        supervisor = supervisor_context(users["supervisor"])
        await set_up_geofences(wf, supervisor, lpr.readers if lpr is not None else [])
    _alerts_account, alerts_token = await wf.auth.create_feed("simulated-alert-sources")
    base_url = f"http://127.0.0.1:{options.port}"
    write_credentials(data_dir, accounts, f"{base_url}/")
    started, stop = asyncio.Event(), asyncio.Event()
    config = uvicorn.Config(
        create_app(wf),
        host="127.0.0.1",
        port=options.port,
        log_level="warning",
        server_header=False,
        ws="websockets-sansio",
    )
    server = _Server(config, started, stop)
    print(banner(base_url, accounts, options, data_dir, lpr))
    print("\n".join([*community.describe(base_url), ""]))
    feeders = [asyncio.create_task(_feed(base_url, token, options, started, stop))]
    if lpr is not None:
        feeders.append(
            asyncio.create_task(_feed_reads(base_url, reads_token, lpr, options, started, stop))
        )
    if alert_sources:
        alerts = feed_alerts(base_url, alerts_token, options.alert_rate, started, stop)
        feeders.append(asyncio.create_task(alerts))
    try:
        await server.serve()
    finally:
        stop.set()
        started.set()  # a server that never listened: let the feeders see stop and return
        await asyncio.gather(*feeders)
        test_cards.stop()
    return 0


def run_demo(options: DemoOptions | None = None) -> int:
    """Run the demo until interrupted; returns the exit code."""
    try:
        return asyncio.run(_run(options or DemoOptions()))
    except KeyboardInterrupt:
        return 0
