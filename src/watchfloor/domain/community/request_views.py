"""How footage requests are shown: to the RTCC (never the owner's contact details), in e-mails
and on the owner's answer page."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from watchfloor.core.bus import EventBus
from watchfloor.core.context import RequestContext
from watchfloor.core.events import Event
from watchfloor.domain.community.models import (
    CommunityCamera,
    CommunitySite,
    FootageRequest,
    FootageUpload,
)
from watchfloor.domain.community.request_mail import RequestFacts
from watchfloor.domain.community.request_schemas import (
    REQUEST_CHANGED,
    AnswerCamera,
    AnswerView,
    FootageRequestOut,
    OwnerRequest,
    RequestChanged,
    RequestFileOut,
    UploadOut,
)
from watchfloor.domain.community.sniff import ACCEPTED_EXTENSIONS
from watchfloor.domain.community.vocabulary import RequestKind, RequestStatus
from watchfloor.settings_community import CommunitySettings

PATTERN = REQUEST_CHANGED
"""The bus subjects the consoles' translator takes."""
ROW_FIELDS = [
    name for name in FootageRequestOut.model_fields if name not in ("site_label", "files")
]

SOURCE = "watchfloor:community"


def site_label(site: CommunitySite | None) -> str:
    """How the RTCC names a site: a business's name, or the street of a home (never contacts)."""
    if site is None:
        return "Registration deleted by its owner"
    if site.kind == "business" and site.name:
        return site.name
    first = site.address.split(",")[0].split()
    street = " ".join(first[1:] if first and any(c.isdigit() for c in first[0]) else first)
    return f"Residence near {street}" if street else "Residence"


def facts_of(row: FootageRequest, cameras: list[str]) -> RequestFacts:
    """What the e-mails about a request state."""
    return RequestFacts(
        row.incident_type,
        RequestKind(row.kind),
        row.window_from,
        row.window_to,
        row.reason,
        cameras,
        row.footage_lost_at,
        row.expires_at,
    )


async def camera_labels(session: AsyncSession, camera_ids: list[str]) -> dict[str, str]:
    """Labels of the (still registered) cameras of a request, by id."""
    rows = await session.execute(
        select(CommunityCamera.id, CommunityCamera.label).where(CommunityCamera.id.in_(camera_ids))
    )
    return {camera_id: label for camera_id, label in rows.all()}


async def outs_of(session: AsyncSession, rows: list[FootageRequest]) -> list[FootageRequestOut]:
    """Requests as the RTCC sees them, with their sites' labels and files."""
    site_ids = {row.site_id for row in rows if row.site_id}
    sites = {
        site.id: site
        for site in (
            await session.execute(select(CommunitySite).where(CommunitySite.id.in_(site_ids)))
        ).scalars()
    }
    uploads = await uploads_of(session, [row.id for row in rows])
    return [
        out_of(row, sites.get(row.site_id) if row.site_id else None, uploads[row.id])
        for row in rows
    ]


def out_of(
    row: FootageRequest, site: CommunitySite | None, uploads: list[FootageUpload]
) -> FootageRequestOut:
    fields = {name: getattr(row, name) for name in ROW_FIELDS}
    fields["site_label"] = site_label(site)
    fields["files"] = [RequestFileOut.model_validate(u) for u in uploads]
    return FootageRequestOut.model_validate(fields)


async def uploads_of(
    session: AsyncSession, request_ids: list[str]
) -> defaultdict[str, list[FootageUpload]]:
    found: defaultdict[str, list[FootageUpload]] = defaultdict(list)
    if not request_ids:
        return found
    rows = await session.execute(
        select(FootageUpload)
        .where(FootageUpload.request_id.in_(request_ids))
        .order_by(FootageUpload.started_at, FootageUpload.id)
    )
    for upload in rows.scalars():
        found[upload.request_id].append(upload)
    return found


async def answer_view_of(
    session: AsyncSession, row: FootageRequest, settings: CommunitySettings
) -> AnswerView:
    """The owner's answer page for one request."""
    labels = await camera_labels(session, row.camera_ids)
    uploads = await uploads_of(session, [row.id])
    return AnswerView(
        request_id=row.id,
        incident_type=row.incident_type,
        kind=RequestKind(row.kind),
        window_from=row.window_from,
        window_to=row.window_to,
        reason=row.reason,
        cameras=[AnswerCamera(id=i, label=labels[i]) for i in row.camera_ids if i in labels],
        status=RequestStatus(row.status),
        expires_at=row.expires_at,
        footage_lost_at=row.footage_lost_at,
        max_file_bytes=settings.max_file_bytes,
        chunk_bytes=settings.chunk_bytes,
        accepted=ACCEPTED_EXTENSIONS,
        files=[UploadOut.model_validate(u) for u in uploads[row.id]],
    )


async def request_message(event: Event[Any]) -> dict[str, Any] | None:
    """The consoles' live message for a request's change:
    `{"type": "community.request", "kind": ..., "id", "incident_id", "status"}`."""
    if not isinstance(event.payload, RequestChanged):
        return None
    return {"type": "community.request", "kind": event.kind} | event.payload.model_dump()


async def requests_for_site(session: AsyncSession, site_id: str) -> list[OwnerRequest]:
    """Every request made of one site, newest first (the owner's private page)."""
    rows = await session.execute(
        select(FootageRequest)
        .where(FootageRequest.site_id == site_id)
        .order_by(FootageRequest.created_at.desc(), FootageRequest.id)
    )
    return [OwnerRequest.model_validate(row) for row in rows.scalars()]


async def publish_change(
    bus: EventBus, row: FootageRequest, context: RequestContext, now: datetime
) -> None:
    """Tell the floor a request's status changed."""
    payload = RequestChanged(id=row.id, incident_id=row.incident_id, status=row.status)
    await bus.publish(
        Event[Any](
            kind=REQUEST_CHANGED,
            source=SOURCE,
            occurred_at=now,
            received_at=now,
            payload=payload,
            context=context,
        )
    )
