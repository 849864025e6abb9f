"""A seeded CAD for the demo city: calls at real Helsinki addresses, typed and timed by the profile.

Two ways to drive it (use one per simulator):
- `due(now)`: the demo's clock. Calls arrive at the hour-of-week rhythm of the derived profile,
  scaled to `calls_per_minute` on average, and each goes Received -> Dispatched -> Enroute ->
  OnScene -> Cleared -> Closed at the modelled durations divided by `time_factor`.
- `next_document(now)`: as fast as asked (benchmarks): a new call or the next step of an open
  one, keeping about `open_calls` incidents open.
Both are deterministic for a given seed and sequence of clock readings. Documents go to
Watchfloor only through the EIDO intake, like any CAD's.
"""

from __future__ import annotations

import heapq
import itertools
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from watchfloor.demo.city import Address, load_addresses
from watchfloor.demo.eido import AGENCY, Caller, Incident, render
from watchfloor.demo.profile import PHASES, CallProfile, city_zone, load_call_profile

__all__ = ["AGENCY", "PHASES", "CadSimulator"]

DEFAULT_CALLS_PER_MINUTE = 3.5  # one new call every ~17 s on average: a lively demo floor
DEFAULT_TIME_FACTOR = 8.0  # modelled minutes pass 8x faster: 10-40 incidents open at once
UNIT_TRIES = 100


@dataclass
class SimulatedCall:
    """One call for service the simulated CAD is working, and how far it has got."""

    incident: Incident
    step: int = -1

    @property
    def closed(self) -> bool:
        """Whether the call has reached its last phase."""
        return self.step >= len(PHASES) - 1


class CadSimulator:
    """Produces EIDO documents for the demo city's calls and their progress through dispatch."""

    def __init__(
        self,
        seed: int = 7,
        open_calls: int = 40,
        *,
        calls_per_minute: float = DEFAULT_CALLS_PER_MINUTE,
        time_factor: float = DEFAULT_TIME_FACTOR,
        profile: CallProfile | None = None,
        addresses: Sequence[Address] | None = None,
        zone: ZoneInfo | None = None,
    ) -> None:
        self._rng = random.Random(seed)  # noqa: S311 - reproducible simulation, not security
        self._profile = profile or load_call_profile()
        self._addresses = [a for a in addresses or load_addresses() if a.street]
        self._zone = zone if zone is not None else city_zone()
        self._target_open = open_calls
        self._rate_per_s = calls_per_minute / 60
        self._time_factor = time_factor
        self._open: dict[str, SimulatedCall] = {}
        self._busy_units: set[str] = set()
        self._number = 0
        self._events: list[tuple[datetime, int, str]] = []
        self._sequence = itertools.count()  # ties in time go in scheduling order
        self._next_arrival: datetime | None = None

    @property
    def open_incidents(self) -> int:
        """How many incidents are not yet closed."""
        return len(self._open)

    def next_document(self, now: datetime) -> dict[str, Any]:
        """The next EIDO update, without waiting for modelled time: a new call or progress."""
        want_new = len(self._open) < self._target_open and self._rng.random() < 0.35
        if not self._open or want_new:
            call = self._open_call(now)
        else:
            call = self._rng.choice(list(self._open.values()))
            self._advance(call, now)
        return render(call.incident)

    def start(self, now: datetime, warm_up: timedelta = timedelta(0)) -> list[dict[str, Any]]:
        """Begin the timed feed at now, as if the city had been running for warm_up already;
        returns the documents of the incidents open at now (none without a warm-up)."""
        self._next_arrival = self._draw_arrival(now - warm_up)
        self.due(now)  # what happened before now is not sent, only where it left the city
        return [render(call.incident) for call in self._open.values()]

    def due(self, now: datetime) -> list[dict[str, Any]]:
        """Every update the CAD makes up to now, in time order, each stamped with its moment."""
        if self._next_arrival is None:
            self._next_arrival = self._draw_arrival(now)
        documents: list[dict[str, Any]] = []
        while True:
            step_at = self._events[0][0] if self._events else None
            arrival = self._next_arrival
            if arrival <= now and (step_at is None or arrival <= step_at):
                call = self._open_call(arrival)
                self._schedule(call, arrival)
                self._next_arrival = self._draw_arrival(arrival)
            elif step_at is not None and step_at <= now:
                _at, _seq, key = heapq.heappop(self._events)
                call = self._open[key]
                self._advance(call, step_at)
            else:
                return documents
            documents.append(render(call.incident))

    def warm_up(self) -> timedelta:
        """How long to run before the demo opens so its queue is at steady state: two lifetimes."""
        return 2 * self._profile.mean_lifetime() / self._time_factor

    def mean_open(self) -> float:
        """Little's law: incidents open on average at the profile's mean rhythm and durations."""
        lifetime = self._profile.mean_lifetime() / self._time_factor
        return self._rate_per_s * lifetime.total_seconds()

    def _draw_arrival(self, after: datetime) -> datetime:
        """The next arrival of a Poisson process whose rate follows the hour of week (thinning)."""
        peak = max(self._profile.hour_of_week)
        when = after
        while True:
            when += timedelta(seconds=self._rng.expovariate(self._rate_per_s * peak))
            if self._rng.random() * peak <= self._profile.weight_at(when, self._zone):
                return when

    def _open_call(self, now: datetime) -> SimulatedCall:
        rng = self._rng
        call_type = self._profile.draw_type(rng)
        address = rng.choice(self._addresses)
        self._number += 1
        key = f"{self._number:06d}"
        incident = Incident(
            key=key,
            cad_number=f"{now.year % 100:02d}-{self._number:06d}",
            code=call_type.code,
            text=call_type.text,
            priority=call_type.priority,
            address=address,
            started_at=now,
            updated_at=now,
            callers=[Caller("1", now, rng.random() < call_type.share_911)],
        )
        call = SimulatedCall(incident)
        self._open[key] = call
        return call

    def _schedule(self, call: SimulatedCall, received: datetime) -> None:
        priority = call.incident.priority
        when = received
        for phase in self._profile.draw_phases(priority, self._rng, self._time_factor):
            when += phase
            heapq.heappush(self._events, (when, next(self._sequence), call.incident.key))

    def _advance(self, call: SimulatedCall, when: datetime) -> None:
        call.step += 1
        status = PHASES[call.step]
        incident = call.incident
        incident.status, incident.updated_at = status, when
        if status == "Dispatched":
            count = self._profile.draw_unit_count(incident.priority, self._rng)
            for _ in range(count):
                incident.set_unit(self._free_unit(), status, when)
        elif status != "Closed":
            for unit in incident.units:
                incident.set_unit(unit.name, status, when)
        if status == "Cleared":
            self._busy_units.difference_update(u.name for u in incident.units)
        if call.closed:
            del self._open[incident.key]

    def _free_unit(self) -> str:
        """A patrol unit designator ("2A31": district, shift letter, car) not on another call."""
        name = ""
        for _ in range(UNIT_TRIES):
            name = f"{self._rng.randint(1, 6)}{self._rng.choice('ABC')}{self._rng.randint(10, 99)}"
            if name not in self._busy_units:
                break
        self._busy_units.add(name)
        return name
