"""The in-memory hotlist index every read is checked against: exact and OCR-misread tolerant.

Plate readers confuse characters that look alike. Each character is replaced by the
representative of its confusion class to make a plate's *skeleton*; a read and an entry with
the same skeleton differ only by look-alike characters, and each differing position counts as
one substitution. The classes are disjoint (a character is in at most one):

    O 0 D Q  |  I 1 L  |  B 8  |  S 5  |  Z 2  |  G 6  |  A 4  |  T 7

So a misread costs the same single dict lookup as an exact match; only hits need more work.
Misreads that change the plate's length (a dropped or doubled character) are not matched.

Memory: one index per list; per entry one dict slot (skeleton -> slot number), the skeleton
string, and fixed-width arrays (entry id 8 bytes, plate 16 bytes, state code 2 bytes): about
160 MB for 1M entries. Entries with an expiry also sit in a small per-list dict.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from watchfloor.core.clock import Clock, SystemClock

CONFUSION_CLASSES: tuple[str, ...] = ("O0DQ", "I1L", "B8", "S5", "Z2", "G6", "A4", "T7")
"""Characters a plate reader mistakes for one another (the first is the class's skeleton)."""

_SKELETON = str.maketrans({char: group[0] for group in CONFUSION_CLASSES for char in group})
PLATE_WIDTH = 16  # the longest normalised plate (hotlist_entry.plate is 16 characters)
_DEAD = 0  # entry id of a removed slot (database ids start at 1)


def skeleton(plate: str) -> str:
    """A normalised plate with each character replaced by its confusion class's representative."""
    return plate.translate(_SKELETON)


def region_code(region: str | None) -> str | None:
    """A plate state as compared: upper case, ISO 3166-2 prefix dropped ("us-ca" -> "CA")."""
    if not region or not region.strip():
        return None
    return region.strip().upper().rsplit("-", 1)[-1]


@dataclass(frozen=True)
class Hit:
    """A read's plate matched a hotlist entry: which one, and how closely."""

    entry_id: int
    hotlist_id: int
    plate_entry: str
    substitutions: int  # 0 = exact; n = n OCR-confusable characters differ
    state_match: str  # "match" | "read_missing" | "entry_missing"


def state_match(entry_state: str | None, read_region: str | None) -> str | None:
    """How a read's region relates to an entry's state; None when they differ (no hit)."""
    if read_region is None:
        return "read_missing"
    if entry_state is None:
        return "entry_missing"
    return "match" if entry_state == read_region else None


class ListIndex:
    """The entries of one hotlist, keyed by skeleton. Built off to the side, then installed."""

    __slots__ = (
        "entry_ids",
        "expiring",
        "hotlist_id",
        "keys",
        "live",
        "plates",
        "state_codes",
        "state_names",
        "states",
    )

    def __init__(self, hotlist_id: int) -> None:
        self.hotlist_id = hotlist_id
        self.keys: dict[str, int | list[int]] = {}  # skeleton -> slot, or slots on collision
        self.entry_ids = array("q")
        self.plates = bytearray()  # PLATE_WIDTH bytes per slot, NUL-padded
        self.states = array("H")  # index into state_names; 0 = no state
        self.state_names: list[str | None] = [None]
        self.state_codes: dict[str, int] = {}
        self.expiring: dict[int, tuple[float, int]] = {}  # entry id -> (expiry epoch s, slot)
        self.live = 0

    def add(
        self, entry_id: int, plate: str, state: str | None, expires_at: datetime | None = None
    ) -> bool:
        """Index one entry; False (not indexed) when the plate is empty, too long or not ASCII."""
        if not plate or len(plate) > PLATE_WIDTH or not plate.isascii():
            return False
        slot = len(self.entry_ids)
        self.entry_ids.append(entry_id)
        self.plates += plate.encode("ascii").ljust(PLATE_WIDTH, b"\0")
        self.states.append(self._state_code(region_code(state)))
        key = plate.translate(_SKELETON)
        found = self.keys.get(key)
        if found is None:
            self.keys[key] = slot
        elif isinstance(found, int):
            self.keys[key] = [found, slot]
        else:
            found.append(slot)
        if expires_at is not None:
            self.expiring[entry_id] = (expires_at.timestamp(), slot)
        self.live += 1
        return True

    def remove(self, entry_id: int) -> bool:
        """Take an entry out; False when it is not in this list."""
        # Entries with an expiry know their slot; others are found by a scan of the id array
        # (~30 ms per million entries), which only manual removals pay.
        known = self.expiring.pop(entry_id, None)
        if known is not None:
            slot = known[1]
        else:
            try:
                slot = self.entry_ids.index(entry_id)
            except ValueError:
                return False
        key = self.plate_at(slot).translate(_SKELETON)
        found = self.keys[key]
        if isinstance(found, int):
            del self.keys[key]
        else:
            found.remove(slot)
            if len(found) == 1:
                self.keys[key] = found[0]
        self.entry_ids[slot] = _DEAD
        self.live -= 1
        return True

    def plate_at(self, slot: int, length: int = PLATE_WIDTH) -> str:
        """The normalised plate in a slot."""
        start = slot * PLATE_WIDTH
        return self.plates[start : start + length].rstrip(b"\0").decode("ascii")

    def collect(
        self,
        found: int | list[int],
        plate: str,
        region: str | None,
        limit: int,
        hits: list[Hit],
    ) -> None:
        """Append the hits among the slots that share the read's skeleton (the rare path)."""
        for slot in (found,) if isinstance(found, int) else found:
            entry_plate = self.plate_at(slot, len(plate))
            substitutions = sum(a != b for a, b in zip(plate, entry_plate, strict=True))
            if substitutions > limit:
                continue
            how = state_match(self.state_names[self.states[slot]], region_code(region))
            if how is not None:
                entry_id = self.entry_ids[slot]
                hits.append(Hit(entry_id, self.hotlist_id, entry_plate, substitutions, how))

    def _state_code(self, state: str | None) -> int:
        if state is None:
            return 0
        code = self.state_codes.get(state)
        if code is None:
            code = len(self.state_names)
            self.state_names.append(state)
            self.state_codes[state] = code
        return code


class HotlistMatcher:
    """Normalised plate -> entries, exact and OCR-misread tolerant; rebuilt or patched when lists
    change. Hot path: `match` is called once per read."""

    def __init__(self, max_substitutions: int = 2, clock: Clock | None = None) -> None:
        self.max_substitutions = max_substitutions
        self._clock: Clock = clock or SystemClock()
        self._lists: dict[int, ListIndex] = {}
        self._indexes: tuple[ListIndex, ...] = ()  # what match iterates (swapped, never mutated)

    def bind_clock(self, clock: Clock) -> None:
        """Judge entry expiry by this clock (the hotlist service's)."""
        self._clock = clock

    def new_list(self, hotlist_id: int) -> ListIndex:
        """An empty index for a list, to fill with `add` and then `install`."""
        return ListIndex(hotlist_id)

    def install(self, index: ListIndex) -> None:
        """Swap in a list's freshly built index (replacing the list's old one)."""
        self._lists[index.hotlist_id] = index
        self._indexes = tuple(self._lists.values())

    def drop_list(self, hotlist_id: int) -> None:
        """Forget a whole list (deactivated)."""
        if self._lists.pop(hotlist_id, None) is not None:
            self._indexes = tuple(self._lists.values())

    def replace_list(self, hotlist_id: int, entries: Iterable[tuple[int, str, str | None]]) -> None:
        """Swap in a list's whole set of (entry id, normalised plate, state) entries."""
        index = self.new_list(hotlist_id)
        for entry_id, plate, state in entries:
            index.add(entry_id, plate, state)
        self.install(index)

    def add(
        self,
        hotlist_id: int,
        entry_id: int,
        plate: str,
        state: str | None,
        expires_at: datetime | None = None,
    ) -> None:
        """Add one entry (a manual entry); it stops matching at expires_at."""
        index = self._lists.get(hotlist_id)
        if index is None:
            index = self.new_list(hotlist_id)
            index.add(entry_id, plate, state, expires_at)
            self.install(index)
        else:
            index.add(entry_id, plate, state, expires_at)

    def remove(self, entry_id: int) -> None:
        """Take one entry out (removed or expired)."""
        owner = next((i for i in self._indexes if entry_id in i.expiring), None)
        for index in (owner,) if owner is not None else self._indexes:
            if index.remove(entry_id):
                return

    def sweep_expired(self) -> list[int]:
        """Take out every entry whose expiry has passed; returns their ids."""
        now = self._clock.now().timestamp()
        swept: list[int] = []
        for index in self._indexes:
            expired = [eid for eid, (until, _) in index.expiring.items() if until <= now]
            for entry_id in expired:
                index.remove(entry_id)
            swept.extend(expired)
        return swept

    def __len__(self) -> int:
        """Entries indexed."""
        return sum(index.live for index in self._indexes)

    def match(self, plate: str, region: str | None) -> list[Hit]:
        """Hits for a normalised plate, best first (fewest substitutions, then state match)."""
        key = plate.translate(_SKELETON)
        hits: list[Hit] | None = None
        for index in self._indexes:
            found = index.keys.get(key)
            if found is not None:
                if hits is None:
                    hits = []
                index.collect(found, plate, region, self.max_substitutions, hits)
                if index.expiring:
                    hits = self._unexpired(index, hits)
        if not hits:
            return []
        hits.sort(key=_rank)
        return hits

    def _unexpired(self, index: ListIndex, hits: list[Hit]) -> list[Hit]:
        now = self._clock.now().timestamp()
        expiring = index.expiring
        return [h for h in hits if h.entry_id not in expiring or expiring[h.entry_id][0] > now]


def _rank(hit: Hit) -> tuple[int, bool, int]:
    return (hit.substitutions, hit.state_match != "match", hit.entry_id)
