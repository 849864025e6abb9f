"""What the packet reads from other domains, as protocols (the alert desk, community cameras)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from watchfloor.domain.alerts.schemas import AlertNearby, AlertOut
from watchfloor.domain.context.schemas import CommunityCamera
from watchfloor.events.alerts import AlertKind


class AlertLookup(Protocol):
    """The alert desk's queries the packet uses (AlertDesk implements it)."""

    async def get(self, alert_id: str) -> AlertOut: ...

    async def near(
        self,
        lat: float,
        lon: float,
        radius_m: float,
        since: datetime,
        kind: AlertKind | None = None,
        limit: int = 50,
    ) -> Sequence[AlertNearby]: ...

    async def for_incident(self, incident_id: str) -> Sequence[AlertOut]: ...


class CommunityCameras(Protocol):
    """Registered community cameras near a point (the registry arrives with issue 8)."""

    async def near(
        self, lat: float, lon: float, radius_m: float, limit: int
    ) -> list[CommunityCamera]: ...


class NoCommunityCameras:
    """The default source until community cameras can be registered: none."""

    async def near(
        self, lat: float, lon: float, radius_m: float, limit: int
    ) -> list[CommunityCamera]:
        """No registry yet: nothing near anywhere."""
        del lat, lon, radius_m, limit
        return []
