"""Console: cold load to first usable queue with 500 open incidents and 5,000 basemap features,
and WebSocket update to rendered row, in headless Chromium against a real server on SQLite.

Baselines in the same run: the same browser fetching and parsing the same queue and basemap JSON
with no rendering (cold load), and a bare WebSocket in the same page receiving the same messages
(live update), so each figure reads as a ratio of what the transport alone costs today.
"""

from __future__ import annotations

import asyncio
import random
import secrets
import statistics
import time
from pathlib import Path
from typing import Any

import httpx
import orjson
import pyotp
import uvicorn
from playwright.async_api import Browser, BrowserContext, async_playwright

from bench.eido_ingest import Figure, _free_port, _percentile
from watchfloor.app import Watchfloor, build, create_app
from watchfloor.core.context import Role
from watchfloor.settings import load_settings

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--enable-unsafe-swiftshader",
]
OPEN_INCIDENTS = 500
MAP_FEATURES = 5_000
PASSWORD = "floor " + secrets.token_urlsafe(18)  # a fresh account per run
TYPES = (("SHOTS", 1), ("ROBBERY", 1), ("ASSAULT", 2), ("BURG", 2), ("THEFT", 4), ("NOISE", 5))


def padded_basemap(source: Path, target: Path, features: int) -> dict[str, Any]:
    """The bundled city, padded with shifted copies of its buildings to `features` features
    (the padding is synthetic and says so in each copy's properties)."""
    city: dict[str, Any] = orjson.loads(source.read_bytes())
    real = city["features"][:features]
    buildings = [f for f in city["features"] if f["properties"].get("layer") == "building"]
    padding: list[dict[str, Any]] = []
    shift = 0
    while len(real) + len(padding) < features:
        shift += 1
        for feature in buildings[: features - len(real) - len(padding)]:
            padding.append(_shifted(feature, shift * 0.0003))
    city["features"] = real + padding
    target.write_bytes(orjson.dumps(city))
    return {"real_features": len(real), "synthetic_padding": len(padding)}


def _shifted(feature: dict[str, Any], dy: float) -> dict[str, Any]:
    def move(coords: Any) -> Any:
        if coords and isinstance(coords[0], int | float):
            return [coords[0], coords[1] + dy]
        return [move(c) for c in coords]

    geometry = {**feature["geometry"], "coordinates": move(feature["geometry"]["coordinates"])}
    return {
        **feature,
        "geometry": geometry,
        "properties": {**feature["properties"], "synthetic": 1},
    }


def _call(n: int, rng: random.Random, center: list[float]) -> dict[str, Any]:
    code, priority = rng.choice(TYPES)
    at = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() - rng.randint(60, 7200)))
    eid = f"urn:emergency:uid:incidentid:bench{n}:cad.bench"
    prologue = {"lastUpdateTimeStamp": at, "updatedByAgencyReference": {"$ref": "police.bench"}}
    return {
        "$id": eid,
        **prologue,
        "eidoVersion": "1.0",
        "issuingElementIdentification": "cad.bench",
        "agencyComponent": [{"$id": "police.bench", **prologue}],
        "incidentComponent": {
            "$id": f"inc-{n}",
            **prologue,
            "incidentTypeCommonRegistryText": code,
            "incidentCommonPriorityNumber": priority,
            "incidentStatusCommonRegistryText": ["Dispatched"],
            "locationReference": [{"$ref": f"loc-{n}"}],
        },
        "locationComponent": [
            {
                "$id": f"loc-{n}",
                **prologue,
                "locationTypeDescriptionRegistryText": "Incident",
                "latitude": center[1] + rng.uniform(-0.006, 0.006),
                "longitude": center[0] + rng.uniform(-0.012, 0.012),
            }
        ],
    }


async def _seed(url: str, token: str, center: list[float], count: int, first: int = 0) -> None:
    rng = random.Random(first + 7)
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(base_url=url, headers=headers, timeout=30) as http:
        for n in range(first, first + count):
            response = await http.post(
                "/api/intake/eido", content=orjson.dumps(_call(n, rng, center))
            )
            response.raise_for_status()


async def _logged_on_state(browser: Browser, url: str, username: str, secret: str) -> Any:
    context = await browser.new_context(viewport={"width": 1920, "height": 1080})
    page = await context.new_page()
    await page.goto(url)
    await page.get_by_test_id("banner-accept").click()
    await page.fill("#username", username)
    await page.fill("#password", PASSWORD)
    await page.fill("#totp", pyotp.TOTP(secret).now())
    await page.get_by_test_id("logon-submit").click()
    await page.get_by_test_id("queue-row").first.wait_for()
    state = await context.storage_state()
    await context.close()
    return state


async def _cold_load(browser: Browser, url: str, state: Any) -> dict[str, float]:
    context = await browser.new_context(
        viewport={"width": 1920, "height": 1080}, storage_state=state
    )
    page = await context.new_page()
    await page.goto(url)
    ready = "() => performance.getEntriesByName('watchfloor:%s').length > 0"
    await page.wait_for_function(ready % "queue-ready", timeout=60_000)
    await page.wait_for_function(ready % "map-ready", timeout=60_000)
    marks: dict[str, float] = await page.evaluate(
        "() => Object.fromEntries(['queue-ready', 'map-ready'].map(n => "
        "[n, performance.getEntriesByName('watchfloor:' + n)[0].startTime]))"
    )
    await context.close()
    return marks


async def _raw_fetch(browser: Browser, url: str, state: Any) -> float:
    context = await browser.new_context(storage_state=state)
    page = await context.new_page()
    await page.goto(url + "/healthz")
    elapsed: float = await page.evaluate(
        """async () => { const t0 = performance.now();
        const q = await (await fetch('/api/incidents/queue')).json();
        const m = await (await fetch('/api/map/basemap')).json();
        if (!q.length || !m.features.length) throw new Error('empty');
        return performance.now() - t0; }"""
    )
    await context.close()
    return elapsed


RAW_SOCKET = """() => { window.__raw = {};
    const ws = new WebSocket(location.origin.replace('http', 'ws') + '/api/live');
    ws.onmessage = (e) => { const m = JSON.parse(e.data);
      if (m.type === 'incident') window.__raw[m.seq] = Date.now(); }; }"""


async def _live_latency(
    browser: Browser, url: str, state: Any, token: str, center: list[float], updates: int
) -> dict[str, list[float]]:
    context: BrowserContext = await browser.new_context(
        viewport={"width": 1920, "height": 1080}, storage_state=state
    )
    console, blank = await context.new_page(), await context.new_page()
    await console.goto(url)
    await console.wait_for_function(
        "() => performance.getEntriesByName('watchfloor:map-ready').length > 0", timeout=60_000
    )
    await blank.goto(url + "/healthz")
    for page in (console, blank):
        await page.evaluate(RAW_SOCKET)
    await asyncio.sleep(1.0)
    for n in range(updates):
        await _seed(url, token, center, 1, first=100_000 + n)
        await asyncio.sleep(0.05)
    await asyncio.sleep(1.5)
    live: list[dict[str, float]] = await console.evaluate("() => window.watchfloorMetrics.live")
    in_console: dict[str, float] = await console.evaluate("() => window.__raw")
    alone: dict[str, float] = await blank.evaluate("() => window.__raw")
    await context.close()

    def received(raw: dict[str, float]) -> list[float]:
        keys = [(str(int(m["seq"])), m["sent_at_ms"]) for m in live]
        return [raw[k] - sent for k, sent in keys if k in raw]

    return {
        "rendered": [m["rendered_at_ms"] - m["sent_at_ms"] for m in live],
        "received_in_console": [m["received_at_ms"] - m["sent_at_ms"] for m in live],
        "bare_socket_same_page": received(in_console),
        "bare_socket_blank_page": received(alone),
    }


async def _serve(wf: Watchfloor) -> tuple[uvicorn.Server, asyncio.Task[None], str]:
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(wf),
            host="127.0.0.1",
            port=port,
            log_level="warning",
            ws="websockets-sansio",
        )
    )
    task = asyncio.create_task(server.serve())
    while not server.started:  # noqa: ASYNC110 - uvicorn exposes only a flag
        await asyncio.sleep(0.05)
    return server, task, f"http://127.0.0.1:{port}"


async def run(data_dir: Path, bundled_basemap: Path, quick: bool) -> list[Figure]:
    """Run the console benchmarks on SQLite."""
    basemap = data_dir / "bench-basemap.json"
    padding = padded_basemap(bundled_basemap, basemap, MAP_FEATURES)
    center = orjson.loads(basemap.read_bytes())["center"]
    settings = load_settings(data_dir=data_dir / "console", database_url=None, basemap_path=basemap)
    wf = build(settings)
    _user, uri = await wf.auth.create_user("bench-operator", Role.OPERATOR, "RT3", PASSWORD)
    _feed, token = await wf.auth.create_feed("bench-cad")
    server, task, url = await _serve(wf)
    runs = 3 if quick else 7
    try:
        await _seed(url, token, center, OPEN_INCIDENTS)
        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(
                executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
            )
            state = await _logged_on_state(
                browser, url, "bench-operator", str(pyotp.parse_uri(uri).secret)
            )
            loads = [await _cold_load(browser, url, state) for _ in range(runs)]
            raw = [await _raw_fetch(browser, url, state) for _ in range(runs)]
            latency = await _live_latency(browser, url, state, token, center, 30 if quick else 100)
            await browser.close()
    finally:
        server.should_exit = True
        await task
        await wf.stop()
    queue_ms = statistics.median(m["queue-ready"] for m in loads)
    map_ms = statistics.median(m["map-ready"] for m in loads)
    raw_ms = statistics.median(raw)
    setup = {"open_incidents": OPEN_INCIDENTS, "map_features": MAP_FEATURES, **padding}
    return [
        Figure(
            "console_cold_load_to_queue_median",
            round(queue_ms, 1),
            "ms",
            "sqlite",
            {
                **setup,
                "runs": runs,
                "all_ms": [round(m["queue-ready"], 1) for m in loads],
                "map_ready_median_ms": round(map_ms, 1),
                "baseline_raw_fetch_parse_median_ms": round(raw_ms, 1),
                "ratio_to_baseline": round(queue_ms / raw_ms, 2),
            },
        ),
        Figure(
            "console_live_update_to_rendered_row_p50",
            round(_percentile(latency["rendered"], 0.5), 1),
            "ms",
            "sqlite",
            {
                "samples": len(latency["rendered"]),
                **{
                    f"{name}_{label}_ms": round(_percentile(values, q), 1)
                    for name, values in latency.items()
                    for label, q in (("p50", 0.5), ("p95", 0.95))
                },
            },
        ),
    ]
