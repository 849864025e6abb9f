"""The demo city's call profile: types, priorities, hour-of-week rhythm, modelled durations.

Types and rhythm are derived from real police data (see city/call_profile.json, `derived_from`);
priorities, units and durations are Watchfloor's assumptions, labelled as such in that file.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from watchfloor.demo.city import read_json

PHASES = ("Dispatched", "Enroute", "OnScene", "Cleared", "Closed")
GAMMA_SHAPE = 2.0  # phase times are skewed: most short, a few long


@dataclass(frozen=True)
class CallType:
    """One Minneapolis CAD call type, as Watchfloor codes and ranks it."""

    problem: str
    code: str
    text: str
    priority: int
    weight: float
    share_911: float


@dataclass(frozen=True)
class CallProfile:
    """What the simulated CAD draws calls from."""

    call_types: tuple[CallType, ...]
    hour_of_week: tuple[float, ...]
    minutes: dict[int, tuple[float, ...]]
    units: dict[int, tuple[int, int]]

    def weight_at(self, when: datetime, zone: ZoneInfo | None) -> float:
        """The arrival weight (mean 1.0) of the local hour of week when falls in."""
        local = when.astimezone(zone) if zone else when
        return self.hour_of_week[local.weekday() * 24 + local.hour]

    def draw_type(self, rng: random.Random) -> CallType:
        """A call type, in proportion to its weight."""
        return rng.choices(self.call_types, weights=[t.weight for t in self.call_types])[0]

    def draw_phases(self, priority: int, rng: random.Random, factor: float) -> list[timedelta]:
        """Durations of the five phases after receipt, divided by the demo's time factor."""
        return [
            timedelta(minutes=rng.gammavariate(GAMMA_SHAPE, mean / GAMMA_SHAPE) / factor)
            for mean in self.minutes[priority]
        ]

    def draw_unit_count(self, priority: int, rng: random.Random) -> int:
        """How many units go to a call of this priority."""
        fewest, most = self.units[priority]
        return rng.randint(fewest, most)

    def mean_lifetime(self) -> timedelta:
        """Mean modelled time from receipt to closure, over the call-type mix."""
        minutes = sum(t.weight * sum(self.minutes[t.priority]) for t in self.call_types)
        return timedelta(minutes=minutes / sum(t.weight for t in self.call_types))


@cache
def load_call_profile() -> CallProfile:
    """The vendored call profile (city/call_profile.json)."""
    raw = read_json("call_profile.json")
    types = tuple(
        CallType(
            problem=t["problem"],
            code=t["code"],
            text=t["text"],
            priority=int(t["priority"]),
            weight=float(t["weight"]),
            share_911=float(t["share_911"]),
        )
        for t in raw["call_types"]
    )
    durations = raw["durations"]
    return CallProfile(
        call_types=types,
        hour_of_week=tuple(float(w) for w in raw["arrivals"]["hour_of_week"]),
        minutes={int(p): tuple(m) for p, m in durations["minutes_by_priority"].items()},
        units={int(p): (int(u[0]), int(u[1])) for p, u in durations["units_by_priority"].items()},
    )


def city_zone() -> ZoneInfo | None:
    """Helsinki local time, or None (UTC) where the platform has no time-zone database."""
    try:
        return ZoneInfo("Europe/Helsinki")
    except ZoneInfoNotFoundError:
        return None
