"""What a live relay tells its viewers and the watch floor: its state, why, and its counters."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Literal

from watchfloor.core.errors import Conflict, Unavailable

RelayState = Literal["connecting", "live", "no_signal", "failed"]


@dataclass(frozen=True)
class RelayStatus:
    """A relay's state since `at`; reason is a StreamFailure value or words, never an address."""

    state: RelayState
    reason: str | None
    codec: str | None
    playable: bool | None
    at: datetime


@dataclass(frozen=True)
class RelayStats:
    """One running relay's counters (viewers include recordings) since it started."""

    code: str
    state: RelayState
    viewers: int
    fragments: int
    bytes: int
    reconnects: int
    since: datetime


@dataclass(frozen=True)
class RecordedClip:
    """A finished MP4 file of a camera's video, ready for the evidence store."""

    path: Path
    started_at: datetime
    ended_at: datetime
    size_bytes: int
    codec: str


class RelayLimitReached(Unavailable):
    """Every relay slot (settings.video.relay_max) is taken."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"all {limit} live video relays are in use", "relay_limit")


class NothingRecorded(Conflict):
    """No video came for the clip asked for (no signal, nothing buffered yet)."""

    def __init__(self, message: str) -> None:
        super().__init__(message, "nothing_recorded")
