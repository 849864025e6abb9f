"""NMEA positions per second ingested end to end: UDP datagrams from N simulated in-vehicle
routers (each one RMC and one GGA with the router's device id) → listener → AVL intake → unit
positions stored through the roster, on a served Watchfloor's own store.

A separate process sends, so the sender does not share the server's interpreter. Two loads:
`fleet` — N routers at 1 Hz (what a city sends), delivery ratio and the lag from the last
datagram to the last position stored; `burst` — every router's reports sent unpaced, as fast
as the sender can, timed from the first datagram until all are stored: positions stored per
second, and what was dropped (counted) or lost in the kernel if the intake fell behind.
Baseline in the same run: the parser alone on the same sentences, and pynmea2 on them.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import sys
import time
from datetime import UTC, datetime, timedelta
from functools import reduce
from operator import xor
from pathlib import Path

import pynmea2  # type: ignore[import-untyped]

from bench.eido_ingest import Figure
from watchfloor.app import build
from watchfloor.connectors.nmea.parser import NmeaReader
from watchfloor.domain.units.avl import AvlIntake
from watchfloor.settings import load_settings
from watchfloor.settings_field import AvlSettings

ORIGIN = (40.4406, -79.9959)


def _sentence(body: str) -> bytes:
    return f"${body}*{reduce(xor, body.encode(), 0):02X}".encode()


def _degrees(value: float, width: int) -> str:
    whole = int(abs(value))
    return f"{whole:0{width}d}{(abs(value) - whole) * 60:07.4f}"


def datagram(router: int, at: datetime) -> bytes:
    """One router's report: RMC and GGA of one second, each prefixed with its device id."""
    lat = ORIGIN[0] + (router % 100) * 0.001 + at.second * 1e-5
    lon = ORIGIN[1] + (router // 100) * 0.001
    clock, day = at.strftime("%H%M%S.00"), at.strftime("%d%m%y")
    where = f"{_degrees(lat, 2)},N,{_degrees(lon, 3)},W"
    rmc = _sentence(f"GPRMC,{clock},A,{where},21.5,{router % 360}.0,{day},,,A")
    gga = _sentence(f"GPGGA,{clock},{where},1,09,0.9,250.0,M,-33.0,M,,")
    prefix = f"R{router:05d},".encode()
    return prefix + rmc + b"\r\n" + prefix + gga + b"\r\n"


def send(port: int, routers: int, rounds: int, rate: float) -> None:
    """The sender process: `rounds` reports of every router, paced at `rate` datagrams/s."""
    start = datetime.now(UTC).replace(microsecond=0) - timedelta(seconds=rounds + 5)
    plan = [
        datagram(r, start + timedelta(seconds=n)) for n in range(rounds) for r in range(routers)
    ]
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        began = time.perf_counter()
        for i, payload in enumerate(plan):
            sock.sendto(payload, ("127.0.0.1", port))
            if i % 50 == 49:
                ahead = began + (i + 1) / rate - time.perf_counter()
                if ahead > 0:
                    time.sleep(ahead)


def parser_baseline(lines: int) -> dict[str, object]:
    """Sentences per second through NmeaReader and through pynmea2, on the same stream."""
    at = datetime.now(UTC).replace(microsecond=0)
    stream = b"".join(
        datagram(i % 1000, at + timedelta(seconds=i // 1000)) for i in range(lines // 2)
    )
    began = time.perf_counter()
    fixes = NmeaReader().feed(stream)
    ours = time.perf_counter() - began
    text = [line.split(b",", 1)[1].decode() for line in stream.splitlines()]
    began = time.perf_counter()
    for line in text:  # the same fields converted as NmeaFix carries
        message = pynmea2.parse(line, check=True)
        _ = (message.latitude, message.longitude, message.timestamp)
        if message.sentence_type == "RMC":
            _ = (message.datestamp, message.spd_over_grnd, message.true_course, message.status)
        else:
            _ = (message.gps_qual, message.num_sats, message.horizontal_dil, message.altitude)
    theirs = time.perf_counter() - began
    return {
        "sentences": len(text),
        "fixes": len(fixes),
        "watchfloor_sentences_per_s": round(len(text) / ours),
        "pynmea2_sentences_per_s": round(len(text) / theirs),
    }


async def _load(
    avl: AvlIntake, port: int, routers: int, rounds: int, rate: float
) -> dict[str, object]:
    """Run the sender process; time from its first datagram until every one is stored or
    counted as dropped (2 sentences, 1 unit position per datagram)."""
    listener = avl.listener
    assert listener is not None
    seen, lost, stored_before = (
        listener.stats.udp_datagrams,
        listener.stats.udp_dropped,
        avl.stats.stored,
    )
    command = [sys.executable, "-m", "bench.nmea_ingest", "--send", str(port)]
    sender = await asyncio.create_subprocess_exec(*command, str(routers), str(rounds), str(rate))
    finished = asyncio.create_task(sender.wait())
    while listener.stats.udp_datagrams == seen and not finished.done():  # noqa: ASYNC110 - a counter
        await asyncio.sleep(0.002)
    began = time.perf_counter()
    await finished
    sent_s = time.perf_counter() - began
    expected = routers * rounds
    while True:
        received = listener.stats.udp_datagrams - seen
        dropped = listener.stats.udp_dropped - lost
        stored = (avl.stats.stored - stored_before) // 2
        late = time.perf_counter() - began > sent_s + 2
        if received - dropped == stored and (received == expected or late):
            break
        await asyncio.sleep(0.005)
    elapsed = time.perf_counter() - began
    return {
        "routers": routers,
        "rounds": rounds,
        "offered_datagrams_per_s": rate,
        "sent": expected,
        "received": received,
        "dropped_counted": dropped,
        "lost_in_kernel": expected - received,
        "stored_positions": stored,
        "delivery_ratio": round(stored / expected, 4),
        "send_s": round(sent_s, 3),
        "elapsed_s": round(elapsed, 3),
        "lag_after_last_send_s": round(elapsed - sent_s, 3),
        "positions_per_s": round(stored / elapsed, 1),
        "sentences_per_s": round(2 * stored / elapsed, 1),
    }


async def run(data_dir: Path, quick: bool, database_url: str | None = None) -> list[Figure]:
    """The end-to-end figures (fleet at 1 Hz, burst) on one store, and the parser baseline."""
    store = "postgresql" if database_url else "sqlite"
    url = database_url or f"sqlite:///{data_dir / 'nmea.db'}"
    settings = load_settings(data_dir=data_dir / f"nmea-{store}", database_url=url)
    settings = settings.model_copy(update={"avl": AvlSettings(udp_port=0)})
    wf = build(settings)
    await wf.start()
    try:
        avl = wf.fieldlink.avl
        assert avl.listener is not None
        assert avl.listener.udp_port
        port = avl.listener.udp_port
        routers = 200 if quick else 1000
        fleet = await _load(avl, port, routers, 5 if quick else 20, float(routers))
        burst_rounds = 10_000 // routers  # all of it fits the intake's datagram queue
        burst = await _load(avl, port, routers, burst_rounds, 1e9)
    finally:
        await wf.stop()
    machine = {"cpus": os.cpu_count(), "loadavg": [round(x, 2) for x in os.getloadavg()]}
    per_s = float(str(burst["positions_per_s"]))
    ratio = float(str(fleet["delivery_ratio"]))
    figures = [
        Figure("nmea_ingest_positions_per_s", per_s, "positions/s", store, {**burst, **machine}),
        Figure("nmea_fleet_delivery_ratio", ratio, "ratio", store, fleet),
    ]
    if database_url is None:  # the parser baseline needs no store: once per run
        baseline = parser_baseline(20_000 if quick else 200_000)
        parsed = float(str(baseline["watchfloor_sentences_per_s"]))
        figures.append(
            Figure("nmea_parse_sentences_per_s", parsed, "sentences/s", "memory", baseline)
        )
    return figures


def main() -> None:
    """`--send PORT ROUTERS ROUNDS RATE` is the sender process; otherwise a quick run alone."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--send", nargs=4, metavar=("PORT", "ROUTERS", "ROUNDS", "RATE"))
    args = parser.parse_args()
    if args.send:
        port, routers, rounds, rate = args.send
        send(int(port), int(routers), int(rounds), float(rate))
        return
    import tempfile

    with tempfile.TemporaryDirectory(prefix="watchfloor-nmea-") as tmp:
        for figure in asyncio.run(run(Path(tmp), quick=True)):
            print(figure)


if __name__ == "__main__":
    main()
