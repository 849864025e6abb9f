"""Seeded alert sources for the demo city, in the wire formats of Watchfloor's intake routes:
gunshot detections (each followed by the vendor's reviewed update, which merges into it), panic
button presses, CAP 1.2 weather alerts, IoT sensor alerts (and their all-clear), patrol units'
positions, and a person on electronic monitoring who walks now and then into the exclusion zone
around a school. `demo_geofences` places that zone, and a school zone for hotlisted reads, on
real addresses of the city.

Alerts come as a Poisson process at `per_minute` (a few a minute), never more than
`MAX_PER_MINUTE`; positions come at a steady pace. `due` hands out at most `MAX_DUE` postings
and drops what is more than `STALE_AFTER` late, so a stalled demo never floods the floor.
Deterministic for a seed and a sequence of clock readings, like the other simulators.
"""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import itertools
import logging
import math
import os
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from xml.sax.saxutils import escape

import httpx
import orjson

from watchfloor.app import Watchfloor
from watchfloor.core.context import RequestContext
from watchfloor.demo.city import Address, load_addresses
from watchfloor.demo.streets import Patrol, Point, StreetNetwork, distance_m
from watchfloor.domain.geofences.schemas import GeofenceIn
from watchfloor.domain.lpr.schemas import ReaderIn

log = logging.getLogger(__name__)

DEFAULT_PER_MINUTE = 2.0
TICK_S = 0.5
MAX_PER_MINUTE = 6.0
MAX_DUE = 20
STALE_AFTER = timedelta(minutes=2)
FIRST_ALERT_AFTER = timedelta(seconds=8)
UNITS_EVERY = timedelta(seconds=15)
MONITORING_EVERY = timedelta(seconds=30)
UNIT_CODES = ("1A11", "1A12", "2B21", "3B24", "4C31")
MIX = {"gunshot": 0.35, "panic": 0.15, "sensor": 0.35, "cap": 0.15}
SCHOOL = "Helsingin eurooppalainen koulu"  # Bulevardi 18
EXCLUSION_SCHOOL = "Kruununhaan yläasteen koulu"  # Snellmaninkatu 18
MONITORED_PERSON = "EM-4471"
WALK_FROM_M = 700.0  # the walk starts and ends this far from the school
WALK_STEP_M = 40.0  # a position every 30 s at a slow walk
FIRST_WALK_STEP = 8  # the first entry into the zone comes a few minutes after start
M_PER_DEG_LAT = 111_320.0
OWNERS = ("Aino Virtanen", "Mikko Korhonen", "Leena Mäkinen", "Juha Nieminen", "Sari Laine")
SENSORS = (  # kind, unit, (low, high), severity, message
    ("flood", "m", (0.3, 1.2), "severe", "water over the road"),
    ("smoke", "ppm", (180.0, 900.0), "extreme", "smoke detected in a stairwell"),
    ("door", None, None, "moderate", "door forced open"),
    ("air_quality", "µg/m³", (60.0, 180.0), "moderate", "PM2.5 above the limit"),
)
CAP_NS = "urn:oasis:names:tc:emergency:cap:1.2"


@dataclass(frozen=True)
class Posting:
    """One request the simulator makes: where, what, and the body as sent."""

    path: str
    body: bytes
    content_type: str
    what: str


@dataclass(order=True)
class _Planned:
    at: datetime
    seq: int
    posting: Posting = field(compare=False)


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds").replace("+00:00", "Z")


def _json(path: str, what: str, document: Any) -> Posting:
    return Posting(path, orjson.dumps(document), "application/json", what)


def _offset(point: Point, north_m: float, east_m: float) -> Point:
    lat = point[0] + north_m / M_PER_DEG_LAT
    lon = point[1] + east_m / (M_PER_DEG_LAT * math.cos(math.radians(point[0])))
    return round(lat, 6), round(lon, 6)


def _box(center: Point, half_m: float) -> list[list[float]]:
    south, west = _offset(center, -half_m, -half_m)
    north, east = _offset(center, half_m, half_m)
    return [[south, west], [south, east], [north, east], [north, west], [south, west]]


def named_place(name: str) -> Address:
    """The demo city's address point of that name (a school); KeyError when there is none."""
    for address in load_addresses():
        if address.name == name:
            return address
    raise KeyError(f"no place named {name!r} in the demo city")


def demo_geofences(readers: Sequence[ReaderIn] = ()) -> list[GeofenceIn]:
    """A school zone (hotlisted reads inside it alert; it reaches the nearest fixed reader
    within 500 m so hits happen there) and an exclusion zone for the monitored person."""
    school = named_place(SCHOOL)
    ring = _box((school.lat, school.lon), 150.0)
    fixed = [(r.lat, r.lon) for r in readers if r.lat is not None and r.lon is not None]
    near = [p for p in fixed if distance_m((school.lat, school.lon), p) <= 500.0]
    if near:
        reader = min(near, key=lambda p: distance_m((school.lat, school.lon), p))
        corners = [*ring, *_box(reader, 40.0)]
        south, north = min(c[0] for c in corners), max(c[0] for c in corners)
        west, east = min(c[1] for c in corners), max(c[1] for c in corners)
        ring = [[south, west], [south, east], [north, east], [north, west], [south, west]]
    banned = named_place(EXCLUSION_SCHOOL)
    return [
        GeofenceIn.model_validate(
            {
                "name": school.name,
                "kind": "school_zone",
                "polygon": ring,
                "rules": [{"rule": "hotlisted_read_inside"}],
            }
        ),
        GeofenceIn.model_validate(
            {
                "name": banned.name,
                "kind": "exclusion_zone",
                "polygon": _box((banned.lat, banned.lon), 120.0),
                "rules": [{"rule": "monitored_person_enters", "subjects": [MONITORED_PERSON]}],
            }
        ),
    ]


def monitored_walk() -> list[Point]:
    """The monitored person's round: from the north-east into the school's exclusion zone,
    across it, and away to the south-west (then back the same way)."""
    school = named_place(EXCLUSION_SCHOOL)
    steps = int(2 * WALK_FROM_M / WALK_STEP_M)
    reach = WALK_FROM_M / math.sqrt(2)
    start = _offset((school.lat, school.lon), reach, reach)
    out = [_offset(start, -i * WALK_STEP_M / math.sqrt(2), -i * WALK_STEP_M / math.sqrt(2))
           for i in range(steps + 1)]  # fmt: skip
    return out + out[-2:0:-1]


class AlertSimulator:
    """Produces the demo's alert-source postings in time order."""

    def __init__(
        self,
        seed: int,
        per_minute: float = DEFAULT_PER_MINUTE,
        addresses: Sequence[Address] | None = None,
        network: StreetNetwork | None = None,
    ) -> None:
        self._rng = random.Random(seed)  # noqa: S311 - reproducible simulation, not security
        self.per_minute = min(max(per_minute, 0.0), MAX_PER_MINUTE)
        pool = addresses if addresses is not None else load_addresses()
        self._addresses = [a for a in pool if a.street]
        streets = network or StreetNetwork.of_city()
        self._units = {code: Patrol(streets, self._rng) for code in UNIT_CODES}
        self._walk = monitored_walk()
        self._step = FIRST_WALK_STEP
        self._queue: list[_Planned] = []
        self._seq = itertools.count()
        self._numbers = itertools.count(1)
        self._last_units: datetime | None = None
        self.dropped = 0

    def start(self, now: datetime) -> None:
        """Plan the first alert soon after now, and the steady position feeds from now."""
        if self.per_minute > 0:
            self._plan(now + FIRST_ALERT_AFTER, None)
        self._plan(now, None, "units")
        self._plan(now, None, "monitoring")

    def due(self, now: datetime) -> list[Posting]:
        """Postings due by now, at most MAX_DUE; those more than STALE_AFTER late are dropped."""
        postings: list[Posting] = []
        while self._queue and self._queue[0].at <= now and len(postings) < MAX_DUE:
            planned = heapq.heappop(self._queue)
            posting = self._realise(planned)
            if posting is None:
                continue
            if now - planned.at > STALE_AFTER:
                self.dropped += 1
                continue
            postings.append(posting)
        return postings

    # --- planning

    def _plan(self, at: datetime, posting: Posting | None, what: str = "alert") -> None:
        marker = posting or Posting("", b"", "", what)
        heapq.heappush(self._queue, _Planned(at, next(self._seq), marker))

    def _next_alert(self, after: datetime) -> None:
        if self.per_minute <= 0:
            return
        gap = self._rng.expovariate(self.per_minute / 60.0)
        self._plan(after + timedelta(seconds=max(gap, 60.0 / MAX_PER_MINUTE)), None)

    def _realise(self, planned: _Planned) -> Posting | None:
        """A marker becomes its posting (planning the next of its kind); a posting is itself."""
        marker, at = planned.posting, planned.at
        if marker.path:
            return marker
        if marker.what == "units":
            self._plan(at + UNITS_EVERY, None, "units")
            return self._unit_positions(at)
        if marker.what == "monitoring":
            self._plan(at + MONITORING_EVERY, None, "monitoring")
            return self._monitored_position(at)
        self._next_alert(at)
        kind = self._rng.choices(list(MIX), weights=list(MIX.values()))[0]
        return {"gunshot": self._gunshot, "panic": self._panic, "sensor": self._sensor,
                "cap": self._cap}[kind](at)  # fmt: skip

    # --- the sources

    def _gunshot(self, at: datetime) -> Posting:
        place = self._rng.choice(self._addresses)
        rounds = self._rng.choice((1, 1, 2, 3, 4, 6, 9))
        kind = "single" if rounds == 1 else ("automatic" if rounds > 6 else "multiple")
        detection: dict[str, Any] = {
            "id": f"GS-DEMO-{next(self._numbers):05d}",
            "time": _iso(at - timedelta(seconds=self._rng.uniform(2, 6))),
            "latitude": place.lat,
            "longitude": place.lon,
            "location_error_m": round(self._rng.uniform(8, 30), 1),
            "rounds": rounds,
            "type": kind,
            "confidence": round(self._rng.uniform(0.6, 0.85), 2),
            "address": place.line,
            "district": place.district,
            "review_status": "machine",
            "multiple_shooters": False,
        }
        reviewed = {**detection, "review_status": "reviewed", "confidence": 0.97}
        reviewed["rounds"] = rounds + self._rng.choice((0, 0, 1))
        later = at + timedelta(seconds=self._rng.uniform(20, 45))
        self._plan(later, _json("/api/alerts/gunshots", "gunshot update", reviewed))
        return _json("/api/alerts/gunshots", "gunshot", detection)

    def _panic(self, at: datetime) -> Posting:
        place = self._rng.choice(self._addresses)
        press = {
            "device_id": f"PB-{self._rng.randrange(1, 60):04d}",
            "owner": self._rng.choice(OWNERS),
            "pressed_at": _iso(at),
            "latitude": place.lat,
            "longitude": place.lon,
            "accuracy_m": round(self._rng.uniform(5, 25), 1),
            "address": place.line,
            "note": "silent alarm",
        }
        return _json("/api/alerts/panic", "panic button", press)

    def _sensor(self, at: datetime) -> Posting:
        place = self._rng.choice(self._addresses)
        kind, unit, span, severity, message = self._rng.choice(SENSORS)
        reading: dict[str, Any] = {
            "sensor_id": f"{kind.upper().replace('_', '-')}-{self._rng.randrange(1, 99):04d}",
            "kind": kind,
            "at": _iso(at),
            "latitude": place.lat,
            "longitude": place.lon,
            "value": round(self._rng.uniform(*span), 2) if span else "open",
            "severity": severity,
            "message": f"{message} at {place.line}",
            "state": "active",
        }
        if unit:
            reading["unit"] = unit
        cleared = {**reading, "at": _iso(at + timedelta(minutes=4)), "state": "cleared"}
        self._plan(at + timedelta(minutes=4), _json("/api/alerts/sensors", "all clear", cleared))
        return _json("/api/alerts/sensors", "sensor", reading)

    def _cap(self, at: datetime) -> Posting:
        number = next(self._numbers)
        lats = [a.lat for a in self._addresses]
        lons = [a.lon for a in self._addresses]
        south, north, west, east = min(lats), max(lats), min(lons), max(lons)
        ring = [(south, west), (south, east), (north, east), (north, west), (south, west)]
        return Posting(
            "/api/alerts/cap", cap_alert(number, at, ring), "application/xml", "CAP alert"
        )

    def _unit_positions(self, at: datetime) -> Posting:
        seconds = (at - self._last_units).total_seconds() if self._last_units else 0.0
        self._last_units = at
        positions = []
        for code, patrol in self._units.items():
            patrol.drive(seconds)
            lat, lon = patrol.position
            positions.append({
                "unit": code, "latitude": lat, "longitude": lon,
                "heading": round(patrol.heading, 1) % 360, "speed_mps": 8.0, "at": _iso(at),
                "kind": "patrol car", "agency": "Helsinki Police",
            })  # fmt: skip
        return _json("/api/units/positions", "unit positions", positions)

    def _monitored_position(self, at: datetime) -> Posting:
        lat, lon = self._walk[self._step % len(self._walk)]
        self._step += 1
        position = {
            "person_ref": MONITORED_PERSON,
            "program": "pretrial supervision",
            "at": _iso(at),
            "latitude": lat,
            "longitude": lon,
            "accuracy_m": round(self._rng.uniform(4, 15), 1),
        }
        return _json("/api/monitoring/positions", "monitored person", position)


def cap_alert(number: int, sent: datetime, ring: Sequence[Point]) -> bytes:
    """A CAP 1.2 severe-weather alert for the area inside the ring (lat, lon; closed)."""
    polygon = " ".join(f"{lat:.5f},{lon:.5f}" for lat, lon in ring)
    stamp = sent.strftime("%Y-%m-%dT%H:%M:%S+00:00")
    expires = (sent + timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M:%S+00:00")
    fields = {
        "identifier": f"urn:oid:2.49.0.1.246.0.demo.{number}",
        "sender": "demo-weather@watchfloor.invalid",
        "sent": stamp,
    }
    head = "".join(f"<{k}>{escape(v)}</{k}>" for k, v in fields.items())
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><alert xmlns="{CAP_NS}">{head}'
        "<status>Actual</status><msgType>Alert</msgType><scope>Public</scope>"
        "<info><language>en-GB</language><category>Met</category>"
        "<event>Severe wind</event><urgency>Expected</urgency><severity>Severe</severity>"
        f"<certainty>Likely</certainty><expires>{expires}</expires>"
        "<senderName>Demo weather service</senderName>"
        "<headline>Severe wind warning for central Helsinki</headline>"
        "<description>Gusts of 25 m/s expected; loose objects and falling trees.</description>"
        f"<area><areaDesc>Central Helsinki</areaDesc><polygon>{polygon}</polygon></area>"
        "</info></alert>"
    ).encode()


async def set_up_geofences(
    wf: Watchfloor, context: RequestContext, readers: Sequence[ReaderIn] = ()
) -> list[str]:
    """Draw the demo geofences through the geofence book (audited, as the supervisor)."""
    return [(await wf.geofences.create(zone, context)).id for zone in demo_geofences(readers)]


async def post(http: httpx.AsyncClient, posting: Posting) -> int:
    """Send one posting; returns the HTTP status (0 when Watchfloor could not be reached). A
    route not there yet (404) is tolerated quietly."""
    headers = {"Content-Type": posting.content_type}
    try:
        response = await http.post(posting.path, content=posting.body, headers=headers)
    except httpx.HTTPError as exc:
        log.warning("simulated %s could not reach Watchfloor: %s", posting.what, exc)
        return 0
    if response.status_code == 404:
        log.debug("simulated %s: %s is not served", posting.what, posting.path)
    elif response.status_code >= 300:
        log.warning("simulated %s refused: %s", posting.what, response.text[:300])
    return response.status_code


async def feed_alerts(
    base_url: str,
    token: str,
    per_minute: float,
    started: asyncio.Event,
    stop: asyncio.Event,
) -> None:
    """The demo's task: once the server listens, post what the simulator has due until stop."""
    await started.wait()
    if stop.is_set():
        return
    simulator = AlertSimulator(int.from_bytes(os.urandom(2), "big"), per_minute)
    simulator.start(datetime.now(UTC))
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(base_url=base_url, headers=headers, timeout=10) as http:
        while not stop.is_set():
            for posting in simulator.due(datetime.now(UTC)):
                if stop.is_set():
                    break
                await post(http, posting)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=TICK_S)
