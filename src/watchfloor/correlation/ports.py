"""What the engine needs from the rest of Watchfloor, as narrow protocols (so rules, engine and
executor test without the real alert desk, unit roster or cameras)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime
from typing import Protocol

from sqlalchemy.orm import Session

from watchfloor.core.context import RequestContext
from watchfloor.domain.incidents.local import LocalIncident
from watchfloor.domain.lpr.nearby import PlateActivity
from watchfloor.domain.units.schemas import NearbyUnit
from watchfloor.events.alerts import AlertChanged


class AlertActions(Protocol):
    """The alert desk's system actions and its warm-start query (AlertDesk has them)."""

    async def attach(
        self, alert_id: str, incident_id: str, rule: str, priority: tuple[int, str] | None = None
    ) -> None: ...

    async def merge(self, into_id: str, duplicate_id: str, rule: str) -> None: ...

    async def escalate(self, alert_id: str, to: list[str], reason: str) -> None: ...

    async def set_priority(self, alert_id: str, priority: int, rule: str) -> None: ...

    async def open_alerts(self, since: datetime) -> list[AlertChanged]: ...


class Sighting(Protocol):
    """A camera's relation to a point (CameraSight's SightingOut)."""

    @property
    def code(self) -> str: ...

    @property
    def coverage(self) -> str: ...

    @property
    def distance_m(self) -> float: ...

    @property
    def bearing_to_point_deg(self) -> float: ...


class Sight(Protocol):
    """Which cameras can see a point (CameraSight)."""

    async def can_see(
        self, lat: float, lon: float, *, near_m: float = 150.0, limit: int = 50
    ) -> Sequence[Sighting]: ...


class Steering(Protocol):
    """PTZ commands (CameraControl)."""

    async def prepare(self, code: str) -> None: ...

    async def goto_preset(self, code: str, token: str) -> None: ...

    async def ptz_absolute(self, code: str, pan: float, tilt: float, zoom: float) -> None: ...


class Units(Protocol):
    """The nearest units (UnitRoster)."""

    async def nearest(
        self, lat: float, lon: float, *, limit: int = 5, available_only: bool = False
    ) -> list[NearbyUnit]: ...


ReadsNear = Callable[[Session, float, float, float, datetime, datetime], PlateActivity]
"""Plate reads and hits near a point in a window (domain/lpr/nearby.plate_activity)."""

OpenLocal = Callable[[LocalIncident, RequestContext], Awaitable[str]]
"""Opens a local incident; its id (domain/incidents/local.open_local bound to the service)."""
