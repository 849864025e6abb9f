"""Hotlists: import, scheduled refresh, manual entries, staleness (contract; helper fills in)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from watchfloor.audit.service import AuditLog
from watchfloor.core.bus import EventBus
from watchfloor.core.clock import Clock
from watchfloor.db.engine import Database
from watchfloor.domain.hotlists.matcher import HotlistMatcher
from watchfloor.settings import LprSettings


@dataclass(frozen=True)
class EntryFacts:
    """What an alert copies from a hotlist entry at the moment of the hit."""

    entry_id: int
    hotlist_id: int
    hotlist_name: str
    stale: bool
    reason_code: str
    plate: str
    state: str | None = None
    plate_type: str | None = None
    list_code: str | None = None
    make: str | None = None
    model: str | None = None
    colour: str | None = None
    vehicle_year: int | None = None
    description: str | None = None
    nic: str | None = None
    ori: str | None = None
    oca: str | None = None
    entered_at: datetime | None = None
    expires_at: datetime | None = None
    entered_by: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


class HotlistService:
    """Owns the hotlist tables and keeps the matcher in step with them."""

    def __init__(
        self,
        db: Database,
        clock: Clock,
        audit: AuditLog,
        bus: EventBus,
        settings: LprSettings,
        matcher: HotlistMatcher,
    ) -> None:
        self._db = db
        self._clock = clock
        self._audit = audit
        self._bus = bus
        self._settings = settings
        self.matcher = matcher

    async def load(self) -> None:
        """Build the matcher from the stored, active, unexpired entries (at start)."""
        raise NotImplementedError

    async def refresh_due(self) -> None:
        """Scheduled job: refresh every list whose refresh interval has passed; sweep expired
        manual entries out of the matcher."""
        raise NotImplementedError

    async def entries(self, entry_ids: list[int]) -> dict[int, EntryFacts]:
        """The facts of these entries (with their list's name and staleness now)."""
        raise NotImplementedError
