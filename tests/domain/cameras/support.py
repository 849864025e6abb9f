"""Shared bits of the camera registry tests: a secret stream address and a camera body."""

from __future__ import annotations

from typing import Any

from sqlalchemy import text

from watchfloor.app import Watchfloor

SECRET = "s3cretPassw0rd"
STREAM = f"rtsp://admin:{SECRET}@10.20.30.40:554/stream1"
BODY: dict[str, Any] = {
    "code": "CAM-ESPA-1",
    "name": "Esplanadi east",
    "kind": "city",
    "owner": "City of Helsinki",
    "agreement": "MOU-2026-4",
    "lat": 60.1675,
    "lon": 24.95,
    "mount_height_m": 6,
    "bearing": 90,
    "fov_angle": 70,
    "fov_range_m": 80,
    "stream_urls": [STREAM],
    "recording_source": "VMS-1",
    "access_level": "live",
    "labels": ["downtown"],
    "maintenance_contact": "+358 9 123 4567",
}


async def audit_rows(wf: Watchfloor) -> list[tuple[str, str | None, str]]:
    """(action, object id, details as text) of every camera audit record, oldest first."""
    query = text(
        "SELECT action, object_id, details FROM audit_record "
        "WHERE object_type = 'camera' ORDER BY seq"
    )
    async with wf.db.read_session() as session:
        rows = (await session.execute(query)).all()
    return [(row[0], row[1], str(row[2])) for row in rows]
