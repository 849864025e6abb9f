"""Retention of reads: state presets, legal holds, purge with receipts (contract; helper fills
in)."""

from __future__ import annotations

from watchfloor.audit.service import AuditLog
from watchfloor.core.clock import Clock
from watchfloor.db.engine import Database
from watchfloor.domain.lpr.images import ImageStore
from watchfloor.settings import LprSettings


class RetentionService:
    """Deletes what has expired under the agency's policy and leaves a receipt in the audit log."""

    def __init__(
        self,
        db: Database,
        clock: Clock,
        audit: AuditLog,
        settings: LprSettings,
        images: ImageStore,
    ) -> None:
        self._db = db
        self._clock = clock
        self._audit = audit
        self._settings = settings
        self._images = images

    async def purge(self) -> object:
        """Scheduled job: delete expired reads and orphaned images; one receipt per class."""
        raise NotImplementedError
