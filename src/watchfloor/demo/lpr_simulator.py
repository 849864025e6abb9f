"""Seeded plate reads for the demo city, in the JSON wire format of `POST /api/lpr/reads`.

Reads arrive as a Poisson process at `reads_per_second` across all readers; each is a hotlist
hit with the probability that makes one hit every `hit_every_s` on average (and the first read
after `first_hit_after_s` is one, so the floor sees an alert soon after start). A hit is a plate of
the demo hotlists (a BOLO entry, a wanted person's car, a stolen vehicle, or another NCIC
entry), sometimes misread by look-alike characters ("8OB-123" for "BOB-123"), reported with the
car that really carries the plate (so a stolen plate's car does not corroborate) and with the
plate picture uploaded at start. Other reads are of passing cars whose plates no hotlist plate
can be mistaken for, so every hit is one the simulation meant.

Fixed readers report their own heading, direction, lane and the vehicle's speed; the patrol
cars' readers report where the car is and which way it drives. Deterministic for a seed and a
sequence of clock readings, like the CAD simulator.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from watchfloor.demo.lpr_vehicles import (
    REGION,
    ListedVehicle,
    misread,
    random_plate,
    random_vehicle,
)
from watchfloor.demo.streets import Patrol, StreetNetwork
from watchfloor.domain.hotlists.matcher import skeleton
from watchfloor.domain.lpr.schemas import ReaderIn
from watchfloor.events.lpr import normalize_plate

DEFAULT_READS_PER_SECOND = 20.0
DEFAULT_HIT_EVERY_S = 45.0
FIRST_HIT_AFTER_S = 10.0  # the floor sees an alert at once, not after a chance wait
HIT_MIX: dict[str, float] = {
    "manual": 0.25,  # the supervisor's BOLO list
    "wanted_person": 0.15,  # high severity: the console sounds
    "stolen_vehicle": 0.35,
    "other": 0.25,  # stolen plates, felony vehicles, protection orders ...
}
MISREAD_SHARE = 0.25
DOUBLE_MISREAD_SHARE = 0.2  # of misreads: two look-alike characters wrong
NO_REGION_SHARE = 0.05  # the reader could not tell the plate's country
NO_VEHICLE_SHARE = 0.08  # the reader's analytics said nothing about the car
LOW_CONFIDENCE_SHARE = 0.1
PATROL_SPEED_MPS = 8.0  # ~30 km/h in the centre
_FIXED_SPEED_KMH = (12.0, 55.0)


class LprSimulator:
    """Produces the demo readers' plate reads, hits among them, in time order."""

    def __init__(
        self,
        seed: int,
        readers: Sequence[ReaderIn],
        listed: Sequence[ListedVehicle],
        reads_per_second: float = DEFAULT_READS_PER_SECOND,
        *,
        hit_every_s: float = DEFAULT_HIT_EVERY_S,
        first_hit_after_s: float | None = FIRST_HIT_AFTER_S,
        plate_image: str | None = None,
        network: StreetNetwork | None = None,
    ) -> None:
        if reads_per_second <= 0 or hit_every_s <= 0:
            raise ValueError("reads_per_second and hit_every_s must be positive")
        if not readers:
            raise ValueError("no readers to simulate")
        self._rng = random.Random(seed)  # noqa: S311 - reproducible simulation, not security
        self._readers = list(readers)
        self._rate = reads_per_second
        self.hit_share = min(1.0, 1.0 / (hit_every_s * reads_per_second)) if listed else 0.0
        self._groups = _groups(listed)
        self._taken = {skeleton(v.normalised) for v in listed}
        self._plate_image = plate_image
        self._patrols: dict[str, Patrol] = {}
        mobile = [r.code for r in self._readers if r.kind == "mobile"]
        if mobile:
            streets = network or StreetNetwork.of_city()
            for code in mobile:
                patrol_rng = random.Random(self._rng.getrandbits(32))  # noqa: S311
                self._patrols[code] = Patrol(streets, patrol_rng, PATROL_SPEED_MPS)
        self._first_hit_after = timedelta(seconds=first_hit_after_s or 0)
        self._first_hit: datetime | None = None  # a hit is due on the first read after this
        self._want_first_hit = first_hit_after_s is not None and bool(self._groups)
        self._clock: datetime | None = None  # the last moment simulated
        self._next_read: datetime | None = None
        self.reads = 0
        self.hits = 0

    def start(self, now: datetime) -> None:
        """Begin the feed at now (nothing is sent for the time before)."""
        self._clock = now
        self._next_read = self._after(now)
        self._first_hit = now + self._first_hit_after if self._want_first_hit else None

    def due(self, now: datetime) -> list[dict[str, Any]]:
        """Every read captured after the last call up to now, oldest first."""
        if self._clock is None or self._next_read is None:
            self.start(now)
            return []
        reads: list[dict[str, Any]] = []
        while self._next_read <= now:
            at = self._next_read
            self._drive(at)
            reads.append(self._read(at))
            self._next_read = self._after(at)
        self._drive(now)
        return reads

    def _after(self, moment: datetime) -> datetime:
        return moment + timedelta(seconds=self._rng.expovariate(self._rate))

    def _drive(self, until: datetime) -> None:
        if self._clock is not None and until > self._clock:
            seconds = (until - self._clock).total_seconds()
            for patrol in self._patrols.values():
                patrol.drive(seconds)
            self._clock = until

    def _read(self, at: datetime) -> dict[str, Any]:
        rng = self._rng
        reader = rng.choice(self._readers)
        self.reads += 1
        read: dict[str, Any] = {
            "reader": reader.code,
            "captured_at": at.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "vendor_id": f"{reader.code}-{self.reads:09d}",
        }
        if rng.random() < self.hit_share or self._first_hit_due(at):
            self.hits += 1
            self._first_hit = None
            read |= self._hit()
        else:
            read |= self._passing_car()
        if rng.random() < NO_REGION_SHARE:
            read.pop("region")
        if rng.random() < NO_VEHICLE_SHARE:
            read.pop("vehicle")
        read |= self._where(reader)
        return read

    def _first_hit_due(self, at: datetime) -> bool:
        return self._first_hit is not None and at >= self._first_hit

    def _passing_car(self) -> dict[str, Any]:
        rng = self._rng
        while True:
            plate = random_plate(rng)
            if skeleton(normalize_plate(plate)) not in self._taken:
                break
        low = rng.random() < LOW_CONFIDENCE_SHARE
        confidence = rng.uniform(0.55, 0.8) if low else rng.uniform(0.8, 0.99)
        return {
            "plate": plate,
            "region": REGION,
            "confidence": round(confidence, 2),
            "vehicle": random_vehicle(rng).as_read(),
        }

    def _hit(self) -> dict[str, Any]:
        rng = self._rng
        names = list(self._groups)
        group = rng.choices(names, [HIT_MIX[name] for name in names])[0]
        vehicle = rng.choice(self._groups[group])
        plate, confidence = vehicle.plate, rng.uniform(0.82, 0.99)
        if rng.random() < MISREAD_SHARE:
            wrong = 2 if rng.random() < DOUBLE_MISREAD_SHARE else 1
            plate = misread(vehicle.plate, rng, wrong) or plate
            confidence = rng.uniform(0.6, 0.85)
        hit: dict[str, Any] = {
            "plate": plate,
            "region": vehicle.state or REGION,
            "confidence": round(confidence, 2),
            "vehicle": vehicle.actual.as_read(),
        }
        if self._plate_image is not None:
            hit["plate_image"] = {"sha256": self._plate_image}
        return hit

    def _where(self, reader: ReaderIn) -> dict[str, Any]:
        patrol = self._patrols.get(reader.code)
        if patrol is not None:
            lat, lon = patrol.position
            return {"lat": lat, "lon": lon, "heading": patrol.heading}
        where: dict[str, Any] = {"speed_kmh": round(self._rng.uniform(*_FIXED_SPEED_KMH), 1)}
        if reader.heading is not None:
            where["heading"] = reader.heading
        if reader.direction is not None:
            where["direction"] = reader.direction
        if reader.lanes:
            where["lane"] = self._rng.randint(1, reader.lanes)
        return where


def _groups(listed: Sequence[ListedVehicle]) -> dict[str, list[ListedVehicle]]:
    """The listed cars by hit kind (kinds without a car are left out)."""
    groups: dict[str, list[ListedVehicle]] = {name: [] for name in HIT_MIX}
    for vehicle in listed:
        if vehicle.manual:
            groups["manual"].append(vehicle)
        elif vehicle.reason_code in groups:
            groups[vehicle.reason_code].append(vehicle)
        else:
            groups["other"].append(vehicle)
    return {name: cars for name, cars in groups.items() if cars}
