"""Helpers for plate-reader tests: readers, hotlist entries and read documents."""

from __future__ import annotations

import base64
from datetime import datetime, timedelta
from typing import Any

from watchfloor.app import Watchfloor
from watchfloor.core.context import Actor, RequestContext
from watchfloor.domain.hotlists.models import Hotlist, HotlistEntry
from watchfloor.domain.lpr.schemas import ReaderIn, ReaderOut

ADMIN = RequestContext(actor=Actor.system("test"))
HELSINKI = (60.1699, 24.9384)
# A 1x1 JPEG (SOI, APP0 ... EOI): the bytes are a real image header, enough for type sniffing.
JPEG = bytes.fromhex("ffd8ffe000104a46494600010100000100010000ffd9")


async def reader(
    wf: Watchfloor,
    code: str = "ALPR-1",
    *,
    kind: str = "fixed",
    lat: float | None = HELSINKI[0],
    lon: float | None = HELSINKI[1],
    heading: float | None = 90.0,
    active: bool = True,
) -> ReaderOut:
    """Register a reader as the system."""
    body = ReaderIn(
        code=code,
        name=f"Reader {code}",
        kind=kind,
        lat=lat,
        lon=lon,
        heading=heading,
        active=active,
    )
    return await wf.lpr_readers.register(body, ADMIN)


async def hotlist_entry(
    wf: Watchfloor,
    plate: str,
    *,
    state: str | None = "CA",
    reason: str = "stolen_vehicle",
    make: str | None = None,
    colour: str | None = None,
    list_name: str = "NCIC",
    refreshed_at: datetime | None = None,
    max_age_minutes: int = 720,
    case_number: str | None = None,
) -> int:
    """Store one entry on a list (created on first use) and reload the matcher."""
    from sqlalchemy import select

    now = wf.clock.now()
    async with wf.db.session() as session:
        hotlist = (
            await session.execute(select(Hotlist).where(Hotlist.name == list_name))
        ).scalar_one_or_none()
        if hotlist is None:
            hotlist = Hotlist(
                name=list_name,
                kind="ncic",
                source_format="ncic_fixed",
                max_age_minutes=max_age_minutes,
                active=True,
                last_refreshed_at=refreshed_at or now,
                entry_count=0,
                created_at=now,
                created_by="test",
            )
            session.add(hotlist)
            await session.flush()
        entry = HotlistEntry(
            hotlist_id=hotlist.id,
            plate=plate,
            plate_raw=plate,
            state=state,
            reason_code=reason,
            make=make,
            colour=colour,
            case_number=case_number,
            entered_at=now - timedelta(days=3),
        )
        session.add(entry)
        await session.flush()
        entry_id = int(entry.id)
    await wf.hotlists.load()
    return entry_id


def read(
    plate: str,
    when: datetime,
    *,
    reader_code: str = "ALPR-1",
    region: str | None = "CA",
    **extra: Any,
) -> dict[str, Any]:
    """A read document in the JSON wire format."""
    document: dict[str, Any] = {
        "reader": reader_code,
        "captured_at": when.isoformat().replace("+00:00", "Z"),
        "plate": plate,
        "region": region,
        "confidence": 0.92,
    }
    document.update(extra)
    return {k: v for k, v in document.items() if v is not None}


def inline_image(data: bytes = JPEG) -> dict[str, str]:
    """An image sent with the read."""
    return {"data": base64.b64encode(data).decode(), "media_type": "image/jpeg"}
