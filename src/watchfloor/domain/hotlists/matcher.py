"""The in-memory hotlist index every read is checked against (contract; helper fills in)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Hit:
    """A read's plate matched a hotlist entry: which one, and how closely."""

    entry_id: int
    hotlist_id: int
    plate_entry: str
    substitutions: int  # 0 = exact; n = n OCR-confusable characters differ
    state_match: str  # "match" | "read_missing" | "entry_missing"


class HotlistMatcher:
    """Normalised plate -> entries, exact and OCR-misread tolerant; rebuilt or patched when lists
    change. Hot path: `match` is called once per read."""

    def match(self, plate: str, region: str | None) -> list[Hit]:
        """Hits for a normalised plate, best first (fewest substitutions, then state match)."""
        raise NotImplementedError
