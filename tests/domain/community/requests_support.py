"""Builders for the footage request tests: a registered site made directly with the models, an
incident, a request, the upload link read out of the e-mail, and small media files."""

from __future__ import annotations

import io
import os
import re
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import cast

import av
import numpy as np
from av.video.stream import VideoStream
from sqlalchemy import text

from tests.conftest import START
from tests.domain.incidents.support import report, store
from watchfloor.app import Watchfloor
from watchfloor.core.context import Actor, RequestContext, Role
from watchfloor.domain.community.models import CommunityCamera, CommunitySite
from watchfloor.domain.community.request_schemas import FootageRequestIn
from watchfloor.domain.community.vocabulary import RequestKind, SiteKind, SiteStatus
from watchfloor.settings import Settings, load_settings

OWNER_EMAIL = "owner@example.org"
OPERATOR = RequestContext(actor=Actor(username="op-1", role=Role.OPERATOR, designator="RT1"))
OWNER = RequestContext(actor=Actor.system("community-owner"))
LINK = re.compile(r"/community/answer#t=([A-Za-z0-9_\-]+)")


@dataclass(frozen=True)
class Site:
    """A registered site and its camera ids."""

    id: str
    camera_ids: list[str]


def community_settings(database_url: str, tmp_path: Path, smtp_url: str | None) -> Settings:
    """Settings mailing through a test SMTP server, with a small chunk size."""
    video = {"smtp_url": smtp_url} if smtp_url else {}
    return load_settings(
        data_dir=tmp_path / "data",
        database_url=database_url,
        video=video,
        community={
            "public_base_url": "https://watch.example.gov",
            "chunk_bytes": 64 * 1024,
            "max_file_bytes": 2 * 1024 * 1024,
            "max_files_per_request": 3,
        },
    )


async def add_site(
    wf: Watchfloor,
    *,
    kind: SiteKind = SiteKind.RESIDENCE,
    name: str | None = None,
    status: SiteStatus = SiteStatus.ACTIVE,
    accepts: Sequence[RequestKind] = (RequestKind.PROPERTY_CRIME, RequestKind.VIOLENT_CRIME),
    retention_days: int = 30,
    cameras: Sequence[str] = ("Front door", "Driveway"),
    email: str = OWNER_EMAIL,
) -> Site:
    """A site as a confirmed registration leaves it (cameras listed while active)."""
    now = wf.clock.now()
    site = CommunitySite(
        kind=kind.value,
        name=name,
        contact_name="Pat Owner",
        email=email,
        phone="+1 555 0100",
        address="12 Elm Street, Springfield",
        address_key="12 elm street",
        lat=40.4401,
        lon=-80.0001,
        retention_days=retention_days,
        accepts=[k.value for k in accepts],
        contact_times=None,
        status=status.value,
        created_at=now,
        confirmed_at=now,
        updated_at=now,
    )
    async with wf.db.session() as session:
        session.add(site)
        await session.flush()
        rows = [
            CommunityCamera(
                site_id=site.id,
                label=label,
                lat=40.4401,
                lon=-80.0001,
                bearing=90.0,
                fov_angle=90.0,
                range_m=30.0,
                covers=["street"],
                listed=status is SiteStatus.ACTIVE,
            )
            for label in cameras
        ]
        session.add_all(rows)
        await session.flush()
        return Site(site.id, [row.id for row in rows])


async def add_incident(wf: Watchfloor, number: int = 1) -> str:
    """A stored CAD incident (a robbery near the site)."""
    eido_id = f"urn:emergency:uid:incidentid:{number}:cad.example.gov"
    results = await store(wf, report(eido_id, type_text="Robbery of a shop"))
    return results[0].incident_id


def request_in(incident_id: str, camera_ids: list[str], **fields: object) -> FootageRequestIn:
    """A request for the hour two hours before the test's start."""
    values: dict[str, object] = {
        "incident_id": incident_id,
        "camera_ids": camera_ids,
        "kind": RequestKind.PROPERTY_CRIME,
        "window_from": START - timedelta(hours=2),
        "window_to": START - timedelta(hours=1),
        "reason": "Suspect fled east along Elm Street after the robbery",
    }
    return FootageRequestIn.model_validate(values | fields)


def link_in(body: str) -> str:
    """The upload link's token in a request e-mail."""
    found = LINK.search(body)
    assert found is not None, body
    return found.group(1)


def mp4_header() -> bytes:
    """An ISO base media ftyp box (as an MP4 recording starts)."""
    return b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2"


def mp4_bytes(size: int = 300 * 1024) -> bytes:
    """An MP4-looking file of size bytes: ftyp, then an mdat box of random bytes."""
    head = mp4_header()
    body = size - len(head) - 8
    return head + (body + 8).to_bytes(4, "big") + b"mdat" + os.urandom(body)


def encoded(container: str, codec: str, frames: int = 5) -> bytes:
    """A short real clip encoded by PyAV (FFmpeg) into the container."""
    out = io.BytesIO()
    with av.open(out, mode="w", format=container) as media:
        stream = cast(VideoStream, media.add_stream(codec, rate=25))
        stream.width, stream.height = 64, 48
        stream.pix_fmt = "yuv420p"
        for i in range(frames):
            picture = np.full((48, 64, 3), i * 40 % 255, dtype=np.uint8)
            frame = av.VideoFrame.from_ndarray(picture, format="rgb24")
            for packet in stream.encode(frame):
                media.mux(packet)
        for packet in stream.encode(None):
            media.mux(packet)
    return out.getvalue()


async def chunks(data: bytes, piece: int = 16 * 1024) -> AsyncIterator[bytes]:
    """A request body as the server hands it over: in pieces."""
    for at in range(0, len(data), piece):
        yield data[at : at + piece]


async def audit_actions(wf: Watchfloor, prefix: str) -> list[tuple[str, str | None]]:
    """(action, reason) of the audit records whose action starts with prefix, in order."""
    query = text("SELECT action, reason FROM audit_record WHERE action LIKE :p ORDER BY seq")
    async with wf.db.read_session() as session:
        rows = await session.execute(query, {"p": f"{prefix}%"})
        return [(action, reason) for action, reason in rows.all()]
