"""A CAD's or feed's own word for a unit's kind, read as one of the roster's kinds."""

from __future__ import annotations

import re

from watchfloor.domain.units.schemas import KINDS, UnitKind

# Checked in order: the first kind with a matching word wins ("EMS supervisor" is a supervisor).
_WORDS: tuple[tuple[UnitKind, tuple[str, ...]], ...] = (
    (UnitKind.RTCC, ("rtcc", "realtime", "crimecenter")),
    (UnitKind.DRONE, ("drone", "uas", "uav", "dfr")),
    (UnitKind.SUPERVISOR, ("supervisor", "sergeant", "sgt", "lieutenant", "lt", "commander")),
    (UnitKind.DETECTIVE, ("detective", "investigator", "investigation", "cid", "det")),
    (UnitKind.EMS, ("ems", "ambulance", "medic", "als", "bls", "paramedic", "medical")),
    (
        UnitKind.FIRE,
        ("fire", "engine", "ladder", "truck", "rescue", "brush", "tanker", "hazmat", "quint"),
    ),
    (UnitKind.PATROL, ("patrol", "police", "car", "cruiser", "pd", "sheriff", "k9", "officer")),
)
_SPLIT = re.compile(r"[^a-z0-9]+")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")


def normalize_kind(text: str | None) -> str:
    """The roster kind for a free-text kind ("PatrolCar" -> patrol); `unknown` when unsure."""
    if not text:
        return UnitKind.UNKNOWN.value
    if text.lower() in KINDS:
        return text.lower()
    words = set(_SPLIT.split(_CAMEL.sub(" ", text).lower())) - {""}
    for kind, names in _WORDS:
        if words & set(names):
            return kind.value
    return UnitKind.UNKNOWN.value
