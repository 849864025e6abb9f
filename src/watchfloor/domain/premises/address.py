"""Normalised civic addresses, so "100 Main Street" and "100  MAIN ST." compare equal."""

from __future__ import annotations

import re

_WORDS = re.compile(r"[A-Z0-9]+")
_ABBREVIATIONS = {
    "STREET": "ST",
    "AVENUE": "AVE",
    "AV": "AVE",
    "ROAD": "RD",
    "BOULEVARD": "BLVD",
    "DRIVE": "DR",
    "LANE": "LN",
    "PLACE": "PL",
    "COURT": "CT",
    "TERRACE": "TER",
    "HIGHWAY": "HWY",
    "PARKWAY": "PKWY",
    "SQUARE": "SQ",
    "NORTH": "N",
    "SOUTH": "S",
    "EAST": "E",
    "WEST": "W",
    "APARTMENT": "APT",
    "SUITE": "STE",
}


def address_key(address: str | None) -> str | None:
    """Upper case, punctuation dropped, spaces collapsed, common street words abbreviated."""
    if not address:
        return None
    words = [_ABBREVIATIONS.get(w, w) for w in _WORDS.findall(address.upper())]
    return " ".join(words) or None
