"""What the camera health routes hand out: each camera's health for the map, and tickets."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from watchfloor.domain.cameras.health import DESCRIPTIONS, CameraProblem, HealthStatus, ordered
from watchfloor.domain.cameras.health_models import CameraHealth, CameraTicket
from watchfloor.domain.cameras.health_records import new_row
from watchfloor.domain.cameras.models import Camera
from watchfloor.domain.cameras.tickets_mail import NO_CONTACT


class _Out(BaseModel):
    model_config = ConfigDict(frozen=True)


class ProblemOut(_Out):
    """One problem, with what it means."""

    code: CameraProblem
    text: str


class CameraHealthOut(_Out):
    """A camera's health: status for the map, what the last probe measured, open ticket."""

    camera_code: str
    name: str
    lat: float | None
    lon: float | None
    status: HealthStatus
    status_since: datetime | None
    problems: list[ProblemOut]
    checked_at: datetime | None
    reachable: bool | None
    decodes: bool | None
    codec: str | None
    width: int | None
    height: int | None
    fps: float | None
    declared_fps: float | None
    change: float | None = Field(description="picture change over the sample (frozen below)")
    luma: float | None
    frozen: bool
    black: bool
    moved_score: float | None = Field(description="0 = the reference view, 1 = unrelated")
    detail: str | None
    reference_at: datetime | None
    reference_by: str | None
    last_tamper_kind: str | None
    last_tamper_at: datetime | None
    open_ticket_id: int | None


class TicketOut(_Out):
    """A maintenance ticket and where its messages stand."""

    id: int
    camera_code: str
    status: str
    problems: list[ProblemOut]
    opened_at: datetime
    last_seen_at: datetime
    closed_at: datetime | None
    addressed_to: str | None
    contact_note: str | None = Field(description="'no e-mail contact' when it has no address")
    open_mail: str
    close_mail: str | None
    mail_attempts: int
    mail_error: str | None
    mail_next_at: datetime | None


class ReferenceIn(BaseModel):
    """Why the camera's current view becomes its reference view."""

    model_config = ConfigDict(extra="forbid")

    reason: str = Field(min_length=1, max_length=500)


def problems_out(values: list[str] | None) -> list[ProblemOut]:
    """Problem codes with their meaning."""
    return [ProblemOut(code=p, text=DESCRIPTIONS[p]) for p in ordered(values or [])]


def health_out(camera: Camera, row: CameraHealth | None, ticket_id: int | None) -> CameraHealthOut:
    """A camera's health (status unknown when it was never probed)."""
    lat = camera.lat if camera.lat is not None else camera.last_lat
    lon = camera.lon if camera.lon is not None else camera.last_lon
    row = row or new_row(camera.code)
    return CameraHealthOut(
        camera_code=camera.code,
        name=camera.name,
        lat=lat,
        lon=lon,
        status=HealthStatus(row.status),
        status_since=row.status_since,
        problems=problems_out(row.problems),
        checked_at=row.checked_at,
        reachable=row.reachable,
        decodes=row.decodes,
        codec=row.codec,
        width=row.width,
        height=row.height,
        fps=row.fps,
        declared_fps=row.declared_fps,
        change=row.change,
        luma=row.luma,
        frozen=row.frozen,
        black=row.black,
        moved_score=row.moved_score,
        detail=row.detail,
        reference_at=row.reference_at,
        reference_by=row.reference_by,
        last_tamper_kind=row.last_tamper_kind,
        last_tamper_at=row.last_tamper_at,
        open_ticket_id=ticket_id,
    )


def ticket_out(ticket: CameraTicket) -> TicketOut:
    """A ticket as the routes hand it out."""
    return TicketOut(
        id=ticket.id,
        camera_code=ticket.camera_code,
        status=ticket.status,
        problems=problems_out(ticket.problems),
        opened_at=ticket.opened_at,
        last_seen_at=ticket.last_seen_at,
        closed_at=ticket.closed_at,
        addressed_to=ticket.addressed_to,
        contact_note=None if ticket.addressed_to else NO_CONTACT,
        open_mail=ticket.open_mail,
        close_mail=ticket.close_mail,
        mail_attempts=ticket.mail_attempts,
        mail_error=ticket.mail_error,
        mail_next_at=ticket.mail_next_at,
    )
