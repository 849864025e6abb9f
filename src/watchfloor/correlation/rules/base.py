"""What every rule reads: the engine's memory, the settings prepared for fast lookups, and now."""

from __future__ import annotations

from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from watchfloor.correlation.state import Memory
from watchfloor.settings import CorrelationSettings

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _minutes(text: str) -> int:
    hours, _, minutes = text.partition(":")
    return int(hours) * 60 + int(minutes)


def parse_hours(hours: dict[str, str]) -> dict[int, tuple[int, int]]:
    """Staffed spans per weekday (0 = Monday) in minutes after midnight."""
    spans: dict[int, tuple[int, int]] = {}
    for day, span in hours.items():
        start, _, end = span.partition("-")
        spans[WEEKDAYS.index(day)] = (_minutes(start), _minutes(end))
    return spans


def kind_pairs(pairs: list[str]) -> frozenset[frozenset[str]]:
    """'gunshot+panic' entries as unordered pairs of kinds."""
    return frozenset(frozenset(pair.split("+", 1)) for pair in pairs)


@dataclass(frozen=True)
class Tuning:
    """The settings, prepared once: kind sets, kind pairs, parsed hours."""

    settings: CorrelationSettings
    duplicate_pairs: frozenset[frozenset[str]]
    cue_kinds: frozenset[str]
    sweep_kinds: frozenset[str]
    units_kinds: frozenset[str]
    callout_kinds: frozenset[str]
    zone: ZoneInfo
    hours: dict[int, tuple[int, int]] = field(default_factory=dict)

    @classmethod
    def of(cls, settings: CorrelationSettings) -> Tuning:
        """Prepare settings for the rules."""
        return cls(
            settings=settings,
            duplicate_pairs=kind_pairs(settings.duplicate_kinds),
            cue_kinds=frozenset(settings.cue_kinds) if settings.cue_enabled else frozenset(),
            sweep_kinds=frozenset(settings.sweep_kinds),
            units_kinds=frozenset(settings.units_kinds),
            callout_kinds=frozenset(settings.callout_kinds),
            zone=ZoneInfo(settings.timezone),
            hours=parse_hours(settings.hours),
        )


@dataclass
class RuleContext:
    """One decision's view: memory, tuning and the time (POSIX seconds)."""

    memory: Memory
    tuning: Tuning
    now: float
