"""The in-memory hotlist index every read is checked against (contract; helper fills in)."""

from __future__ import annotations

from collections.abc import Iterable
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

    def replace_list(
        self, hotlist_id: int, entries: Iterable[tuple[int, str, str | None]]
    ) -> None:
        """Swap in a list's whole set of (entry id, normalised plate, state) entries."""
        raise NotImplementedError

    def add(self, hotlist_id: int, entry_id: int, plate: str, state: str | None) -> None:
        """Add one entry (a manual entry)."""
        raise NotImplementedError

    def remove(self, entry_id: int) -> None:
        """Take one entry out (removed or expired)."""
        raise NotImplementedError

    def __len__(self) -> int:
        """Entries indexed."""
        raise NotImplementedError

    def match(self, plate: str, region: str | None) -> list[Hit]:
        """Hits for a normalised plate, best first (fewest substitutions, then state match)."""
        raise NotImplementedError
