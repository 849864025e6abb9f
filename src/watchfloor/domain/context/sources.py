"""What the packet reads from other domains, as protocols (community cameras)."""

from __future__ import annotations

from typing import Protocol

from watchfloor.domain.context.schemas import CommunityCamera


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
