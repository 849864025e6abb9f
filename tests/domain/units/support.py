"""Builders for the units tests: positions as the feed route takes them, a feed's headers."""

from __future__ import annotations

from datetime import datetime

from httpx import AsyncClient

from tests.support.auth import feed_token
from watchfloor.app import Watchfloor
from watchfloor.core.context import Actor, RequestContext
from watchfloor.domain.units.schemas import UnitPosition

FEED = RequestContext(actor=Actor.system("test-avl"))


def position(
    code: str,
    lat: float,
    lon: float,
    at: datetime,
    *,
    heading: float | None = None,
    status: str | None = None,
    kind: str | None = None,
) -> UnitPosition:
    """One position report of a unit."""
    return UnitPosition(
        unit=code,
        latitude=lat,
        longitude=lon,
        heading=heading,
        speed_mps=None,
        at=at,
        status=status,
        name=None,
        kind=kind,
        agency=None,
    )


async def feed_headers(wf: Watchfloor, client: AsyncClient) -> dict[str, str]:
    """The bearer header of a fresh feed account."""
    return {"Authorization": f"Bearer {await feed_token(wf, client)}"}
