"""The text of maintenance-ticket mail: what is wrong with which camera, where, since when.
Never a stream address."""

from __future__ import annotations

from dataclasses import dataclass
from email.utils import parseaddr

from watchfloor.domain.cameras.health import DESCRIPTIONS, CameraProblem, ordered
from watchfloor.domain.cameras.health_models import CameraTicket
from watchfloor.domain.cameras.models import Camera

NO_CONTACT = "no e-mail contact"


def mail_address(contact: str | None) -> str | None:
    """The e-mail address in a maintenance contact ("Name <a@b.example>" or "a@b.example"),
    or None when the contact is no e-mail address (a phone number, a name)."""
    if not contact:
        return None
    _name, address = parseaddr(contact)
    local, _, domain = address.partition("@")
    if not local or "." not in domain or " " in address or domain.startswith("."):
        return None
    return address


@dataclass(frozen=True)
class Letter:
    """One message to a maintenance contact."""

    subject: str
    body: str


def opening_letter(ticket: CameraTicket, camera: Camera | None) -> Letter:
    """The message that opens a ticket."""
    problems = ordered(ticket.problems or [])
    words = ", ".join(p.value.replace("_", " ") for p in problems)
    subject = f"[Watchfloor] Camera {ticket.camera_code} {ticket.status}: {words}"
    lines = [
        f"Maintenance ticket #{ticket.id} for camera {ticket.camera_code}.",
        "",
        *_camera_lines(ticket.camera_code, camera),
        f"Status:   {ticket.status} since {ticket.opened_at:%Y-%m-%d %H:%M} UTC",
        "",
        "Problems:",
        *_problem_lines(problems),
        "",
        "The ticket closes by itself when the camera is healthy again; you will get a message.",
        "New problems seen during this outage are added to the ticket without another message.",
    ]
    return Letter(subject[:200], "\n".join(lines) + "\n")


def closing_letter(ticket: CameraTicket, camera: Camera | None) -> Letter:
    """The message that closes a ticket (the camera recovered)."""
    problems = ordered(ticket.problems or [])
    closed = ticket.closed_at or ticket.last_seen_at
    subject = f"[Watchfloor] Camera {ticket.camera_code} recovered (ticket #{ticket.id} closed)"
    lines = [
        f"Maintenance ticket #{ticket.id} for camera {ticket.camera_code} is closed:",
        "the camera is healthy again.",
        "",
        *_camera_lines(ticket.camera_code, camera),
        f"Outage:   {ticket.opened_at:%Y-%m-%d %H:%M} to {closed:%Y-%m-%d %H:%M} UTC",
        "",
        "Problems seen during the outage:",
        *_problem_lines(problems),
    ]
    return Letter(subject[:200], "\n".join(lines) + "\n")


def _camera_lines(code: str, camera: Camera | None) -> list[str]:
    if camera is None:
        return [f"Camera:   {code}"]
    lines = [f"Camera:   {camera.code} ({camera.name}), owner {camera.owner}"]
    if camera.location_note:
        lines.append(f"Where:    {camera.location_note}")
    if camera.lat is not None and camera.lon is not None:
        lines.append(f"Position: {camera.lat:.6f}, {camera.lon:.6f}")
    return lines


def _problem_lines(problems: list[CameraProblem]) -> list[str]:
    return [f"  - {p.value}: {DESCRIPTIONS[p]}" for p in problems] or ["  - (none recorded)"]
