"""Which cameras can see a point: the coverage index kept in step with the registry.

The index is rebuilt from the store whenever the registry's revision moved since the last build
(a few thousand cameras rebuild in milliseconds), so an edit shows in the next question."""

from __future__ import annotations

import asyncio

from pydantic import BaseModel, ConfigDict
from sqlalchemy import select

from watchfloor.core.clock import Clock
from watchfloor.db.engine import Database
from watchfloor.domain.cameras.coverage import CameraView, CoverageIndex, wedge
from watchfloor.domain.cameras.models import Camera
from watchfloor.domain.cameras.service import CameraRegistry

DEFAULT_FOV_DEG = 360.0  # a camera whose view was never surveyed is assumed to look all round
DEFAULT_RANGE_M = 50.0


class SightingOut(BaseModel):
    """A camera that can see the point (or could turn to it, or merely stands near it)."""

    model_config = ConfigDict(frozen=True)

    code: str
    name: str
    kind: str
    access_level: str
    status: str
    coverage: str
    distance_m: float
    bearing_to_point_deg: float
    score: float
    explanation: str
    wedge: list[tuple[float, float]]


class CameraSight:
    """Answers "which cameras can see this point, now?" from an in-memory coverage index."""

    def __init__(self, db: Database, clock: Clock, registry: CameraRegistry) -> None:
        self._db = db
        self._clock = clock
        self._registry = registry
        self._index = CoverageIndex()
        self._names: dict[str, tuple[str, str]] = {}
        self._views: dict[str, CameraView] = {}
        self._wedges: dict[str, list[tuple[float, float]]] = {}
        self._built_at_revision: int | None = None
        self._lock = asyncio.Lock()

    async def can_see(
        self, lat: float, lon: float, *, near_m: float = 150.0, limit: int = 50
    ) -> list[SightingOut]:
        """Cameras covering the point first, then PTZ cameras that can turn to it, then fixed
        cameras merely near it; mobile cameras at their latest fresh position."""
        await self._current()
        sightings = self._index.can_see(lat, lon, at=self._clock.now(), near_m=near_m, limit=limit)
        return [
            SightingOut(
                code=s.code,
                name=self._names[s.code][0],
                kind=s.kind,
                access_level=s.access_level,
                status=self._names[s.code][1],
                coverage=s.coverage,
                distance_m=s.distance_m,
                bearing_to_point_deg=s.bearing_to_point_deg,
                score=s.score,
                explanation=s.explanation,
                wedge=self._wedge_of(s.code),
            )
            for s in sightings
        ]

    def _wedge_of(self, code: str) -> list[tuple[float, float]]:
        """The camera's view wedge, worked out once per build: it moves only with its row."""
        ring = self._wedges.get(code)
        if ring is None:
            ring = self._wedges[code] = wedge(self._views[code])
        return ring

    async def _current(self) -> None:
        async with self._lock:
            revision = self._registry.revision
            if self._built_at_revision == revision:
                return
            async with self._db.read_session() as session:
                query = select(Camera).where(Camera.status != "retired")
                rows = (await session.execute(query)).scalars().all()
            views = [view for row in rows if (view := view_of(row)) is not None]
            self._index.replace_all(views)
            self._views = {view.code: view for view in views}
            self._wedges = {}
            self._names = {row.code: (row.name, row.status) for row in rows}
            self._built_at_revision = revision


def view_of(row: Camera) -> CameraView | None:
    """The camera as the coverage index sees it; None when it has no usable position."""
    lat, lon, at = row.lat, row.lon, None
    if row.mobile:
        lat, lon, at = row.last_lat, row.last_lon, row.last_position_at
    if lat is None or lon is None:
        return None
    return CameraView(
        code=row.code,
        lat=lat,
        lon=lon,
        bearing_deg=row.bearing,
        fov_deg=row.fov_angle or DEFAULT_FOV_DEG,
        range_m=row.fov_range_m or DEFAULT_RANGE_M,
        kind=row.kind,
        access_level=row.access_level,
        ptz=row.ptz,
        ptz_reach_m=row.ptz_range_m,
        mobile=row.mobile,
        position_at=at,
    )
