"""Units' position trails: appended with each applied position, read back, purged by age."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from watchfloor.core.clock import Clock
from watchfloor.db.engine import Database
from watchfloor.domain.units.models import UnitPositionPoint
from watchfloor.domain.units.schemas import TrailPoint
from watchfloor.settings_field import UnitSettings

log = logging.getLogger(__name__)


def append_point(
    session: AsyncSession,
    unit: str,
    at: datetime,
    position: tuple[float, float, float | None, float | None],
    source: str,
) -> None:
    """Add one trail point (lat, lon, heading, speed) in the caller's transaction."""
    lat, lon, heading, speed_mps = position
    session.add(
        UnitPositionPoint(
            unit=unit, at=at, lat=lat, lon=lon, heading=heading, speed_mps=speed_mps, source=source
        )
    )


async def read_trail(
    session: AsyncSession, unit: str, since: datetime, limit: int
) -> list[TrailPoint]:
    """The unit's trail from `since`, oldest first; the newest `limit` points at most."""
    query = (
        select(UnitPositionPoint)
        .where(UnitPositionPoint.unit == unit, UnitPositionPoint.at >= since)
        .order_by(UnitPositionPoint.at.desc(), UnitPositionPoint.id.desc())
        .limit(limit)
    )
    rows = (await session.execute(query)).scalars().all()
    return [TrailPoint.model_validate(row) for row in reversed(rows)]


class TrailKeeper:
    """Keeps the trail bounded: deletes points older than the retention."""

    def __init__(self, db: Database, clock: Clock, settings: UnitSettings) -> None:
        self._db = db
        self._clock = clock
        self._settings = settings

    async def purge(self) -> int:
        """Delete trail points past the retention; returns how many went."""
        before = self._clock.now() - timedelta(hours=self._settings.trail_retention_h)
        async with self._db.session() as session:
            result = await session.execute(
                delete(UnitPositionPoint).where(UnitPositionPoint.at < before)
            )
        gone = int(getattr(result, "rowcount", 0) or 0)
        if gone:
            log.info("units: purged %d trail points older than %s", gone, before.isoformat())
        return gone

    @property
    def every_s(self) -> float:
        """How often the purge runs."""
        return self._settings.trail_purge_every_s
