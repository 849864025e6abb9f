"""Does the vehicle a reader saw look like the vehicle on the hotlist entry? Make and colour.

Hotlist entries carry NCIC codes (VMA "TOYT", VCO "BLK"); readers report words ("Toyota",
"black"). Both are brought to one name through the tables below, which are deliberately
partial: the common makes and the NCIC colour codes. A value the tables do not know is compared
as written (letters and digits only), so it matches itself and nothing else. Corroboration only
ranks an alert: a mismatch never drops a hit (the read or the entry may simply be wrong).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from watchfloor.domain.hotlists.service import EntryFacts
from watchfloor.events.lpr import VehicleSeen

MAKES: dict[str, str] = {
    "ACUR": "ACURA", "AUDI": "AUDI", "BMW": "BMW", "BUIC": "BUICK", "CADI": "CADILLAC",
    "CHEV": "CHEVROLET", "CHEVY": "CHEVROLET", "CHRY": "CHRYSLER", "DODG": "DODGE",
    "FORD": "FORD", "GMC": "GMC", "HOND": "HONDA", "HYUN": "HYUNDAI", "INFI": "INFINITI",
    "JEEP": "JEEP", "KIA": "KIA", "LEXS": "LEXUS", "LINC": "LINCOLN", "MAZD": "MAZDA",
    "MERZ": "MERCEDES-BENZ", "MERCEDES": "MERCEDES-BENZ", "MERCEDESBENZ": "MERCEDES-BENZ",
    "MITS": "MITSUBISHI", "NISS": "NISSAN", "RAM": "RAM", "SUBA": "SUBARU", "TESL": "TESLA",
    "TOYT": "TOYOTA", "VOLK": "VOLKSWAGEN", "VW": "VOLKSWAGEN", "VOLV": "VOLVO",
    "YAMA": "YAMAHA", "HD": "HARLEY-DAVIDSON", "HARL": "HARLEY-DAVIDSON",
}  # fmt: skip
"""NCIC make codes and common spellings -> one name (partial: the makes most often listed)."""

COLOURS: dict[str, str] = {
    "BLK": "BLACK", "WHI": "WHITE", "SIL": "SILVER", "RED": "RED", "BLU": "BLUE",
    "GRY": "GRAY", "GREY": "GRAY", "GRN": "GREEN", "YEL": "YELLOW", "BRO": "BROWN",
    "BRN": "BROWN", "TAN": "TAN", "MAR": "MAROON", "BGE": "BEIGE", "GLD": "GOLD",
    "ONG": "ORANGE", "PLE": "PURPLE", "PNK": "PINK", "TEA": "TEAL", "CRM": "CREAM",
    "DBL": "BLUE", "LBL": "BLUE", "DGR": "GREEN", "LGR": "GREEN", "BRZ": "BRONZE",
    "CPR": "COPPER", "TRQ": "TURQUOISE", "LAV": "LAVENDER", "MUL": "MULTICOLOURED",
}  # fmt: skip
"""NCIC colour codes (VCO) and spellings -> one name (partial: the common codes)."""

CLOSE_COLOURS = frozenset(
    {
        frozenset({"SILVER", "GRAY"}),
        frozenset({"RED", "MAROON"}),
        frozenset({"BEIGE", "TAN"}),
        frozenset({"TAN", "BROWN"}),
        frozenset({"GOLD", "BEIGE"}),
        frozenset({"SILVER", "WHITE"}),
    }
)
"""Colour pairs cameras confuse under light and dirt: half credit, not a mismatch."""

_WORD = re.compile(r"[A-Z0-9]+")
_QUALIFIERS = frozenset({"DARK", "LIGHT", "METALLIC", "DK", "LT"})


@dataclass(frozen=True)
class Corroboration:
    """How far the seen vehicle agrees with the entry: score 0..1 over the fields compared
    (None when nothing could be compared), and a word per field."""

    score: float | None
    detail: dict[str, str] = field(default_factory=dict)


def corroborate(entry: EntryFacts, vehicle: VehicleSeen | None) -> Corroboration:
    """Compare the read's make and colour with the entry's."""
    if vehicle is None:
        return Corroboration(None, {"vehicle": "not reported by the reader"})
    scores: list[float] = []
    detail: dict[str, str] = {}
    for name, seen, listed, table in (
        ("make", vehicle.make, entry.make, MAKES),
        ("colour", vehicle.colour, entry.colour, COLOURS),
    ):
        score, word = _compare(seen, listed, table)
        detail[name] = word
        if score is not None:
            scores.append(score)
    if not scores:
        return Corroboration(None, detail)
    return Corroboration(round(sum(scores) / len(scores), 2), detail)


def _compare(
    seen: str | None, listed: str | None, table: dict[str, str]
) -> tuple[float | None, str]:
    if not seen or not listed:
        missing = "neither has one" if not (seen or listed) else "read has none"
        return None, f"not compared ({'entry has none' if seen else missing})"
    read_names = _names(seen, table)
    entry_names = _names(listed, table)
    if read_names & entry_names:
        return 1.0, "match"
    if any(frozenset({a, b}) in CLOSE_COLOURS for a in read_names for b in entry_names):
        return 0.5, f"close (read {seen.upper()}, entry {listed.upper()})"
    return 0.0, f"mismatch (read {seen.upper()}, entry {listed.upper()})"


def _names(value: str, table: dict[str, str]) -> set[str]:
    # NCIC two-tone colours are written "BLK/WHI"; either part may be what the camera saw.
    names = set()
    for part in value.upper().split("/"):
        key = "".join(w for w in _WORD.findall(part) if w not in _QUALIFIERS)
        if key:
            names.add(table.get(key, key))
    return names
