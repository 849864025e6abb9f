"""The last minutes of one relay's fragments, whole GOPs, for 'save the last N seconds'."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from datetime import datetime

from watchfloor.connectors.rtsp.fmp4 import Fragment, InitSegment


@dataclass(frozen=True)
class Kept:
    """A fragment with when it arrived (monotonic seconds and wall clock)."""

    fragment: Fragment
    mono: float
    at: datetime


class FragmentRing:
    """GOP-aligned fragments of the current connection, no older than keep_s (plus one GOP)."""

    def __init__(self, keep_s: float) -> None:
        self.keep_s = keep_s
        self.init: InitSegment | None = None
        self._gops: deque[list[Kept]] = deque()

    def reset(self, init: InitSegment) -> None:
        """A new connection: its init segment, and nothing kept from the old one."""
        self.init = init
        self._gops.clear()

    def add(self, fragment: Fragment, mono: float, at: datetime) -> None:
        """Keep a fragment; drop whole GOPs that fell out of the window."""
        kept = Kept(fragment, mono, at)
        if fragment.keyframe:
            self._gops.append([kept])
        elif self._gops:
            self._gops[-1].append(kept)
        while len(self._gops) > 1 and self._gops[1][0].mono <= mono - self.keep_s:
            self._gops.popleft()

    def current_gop(self) -> list[Fragment]:
        """The fragments since the latest keyframe (a new viewer starts with these)."""
        return [kept.fragment for kept in self._gops[-1]] if self._gops else []

    def last(self, seconds: float, now_mono: float) -> list[Kept]:
        """At least the last `seconds` where kept, from the keyframe at or before that point."""
        since = now_mono - seconds
        chosen: list[list[Kept]] = []
        for gop in reversed(self._gops):
            chosen.append(gop)
            if gop[0].mono <= since:
                break
        return [kept for gop in reversed(chosen) for kept in gop]
