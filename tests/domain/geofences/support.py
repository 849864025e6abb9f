"""Helpers for geofence tests: zones around a spot, positions in the monitoring wire format."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from httpx import AsyncClient

from tests.support.auth import feed_token
from watchfloor.app import Watchfloor
from watchfloor.core.context import Actor, RequestContext
from watchfloor.domain.geofences.schemas import GeofenceIn, GeofenceOut

SUPERVISOR = RequestContext(actor=Actor.system("test"))
SPOT = (60.1699, 24.9384)
"""The LPR tests' reader stands here; zones are drawn around it."""
OUTSIDE = (60.1760, 24.9384)
"""About 680 m north of the spot: outside every zone of these tests."""


def square(
    center: tuple[float, float] = SPOT, half_lat: float = 0.001, half_lon: float = 0.002
) -> list[list[float]]:
    """A closed square ring ([lat, lon]) about 220 m across around center."""
    lat, lon = center
    return [
        [lat - half_lat, lon - half_lon],
        [lat - half_lat, lon + half_lon],
        [lat + half_lat, lon + half_lon],
        [lat + half_lat, lon - half_lon],
        [lat - half_lat, lon - half_lon],
    ]


def body(
    name: str = "Lincoln Elementary",
    kind: str = "school_zone",
    rules: list[dict[str, Any]] | None = None,
    polygon: list[list[Any]] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """A geofence document as the console posts it."""
    document: dict[str, Any] = {
        "name": name,
        "kind": kind,
        "polygon": polygon if polygon is not None else square(),
        "rules": rules if rules is not None else [{"rule": "hotlisted_read_inside"}],
    }
    document.update(extra)
    return document


async def geofence(wf: Watchfloor, **fields: Any) -> GeofenceOut:
    """Store a geofence as the system (the index is rebuilt)."""
    return await wf.geofences.create(GeofenceIn.model_validate(body(**fields)), SUPERVISOR)


def position(
    person_ref: str,
    at: datetime,
    where: tuple[float, float],
    accuracy_m: float | None = 8.0,
    program: str | None = "pretrial",
) -> dict[str, Any]:
    """A monitored person's position in the feed's JSON format."""
    document: dict[str, Any] = {
        "person_ref": person_ref,
        "program": program,
        "at": at.isoformat().replace("+00:00", "Z"),
        "latitude": where[0],
        "longitude": where[1],
        "accuracy_m": accuracy_m,
    }
    return {k: v for k, v in document.items() if v is not None}


async def post_positions(
    wf: Watchfloor, client: AsyncClient, document: object, token: str | None = None
) -> dict[str, Any]:
    """POST positions as a feed; asserts 200 and returns the answer."""
    token = token or await feed_token(wf, client)
    response = await client.post(
        "/api/monitoring/positions", json=document, headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 200, response.text
    answer: dict[str, Any] = response.json()
    return answer
