"""The e-mails owners get about footage requests: plain words, what and why, and that saying no
is fine. The upload link's token travels in the URL fragment, so it never reaches a server log."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from watchfloor.domain.community.vocabulary import RequestKind

KIND_WORDS = {
    RequestKind.VIOLENT_CRIME: "a violent crime",
    RequestKind.PROPERTY_CRIME: "a property crime",
    RequestKind.TRAFFIC_COLLISION: "a traffic collision",
    RequestKind.MISSING_PERSON: "a missing person",
    RequestKind.OTHER: "another matter",
}
NO_PRESSURE = (
    "Sharing is entirely your choice. If you would rather not, or you have nothing from that "
    "time, you can say so with the link, or simply not answer; nothing else will follow from it."
)
SIGNATURE = "Community Connect\nReal-Time Crime Center"


@dataclass(frozen=True)
class RequestFacts:
    """What an e-mail about one request states."""

    incident_type: str
    kind: RequestKind
    window_from: datetime
    window_to: datetime
    reason: str
    cameras: list[str]
    footage_lost_at: datetime
    expires_at: datetime


def answer_link(public_base_url: str, token: str) -> str:
    """The owner's upload link: the token in the fragment."""
    return f"{public_base_url.rstrip('/')}/community/answer#t={token}"


def request_mail(facts: RequestFacts, link: str, zone: str) -> tuple[str, str]:
    """Subject and text of a new footage request."""
    body = "\n\n".join(
        [
            "Hello,",
            "Thank you for taking part in Community Connect. The Real-Time Crime Center is "
            f"looking into {KIND_WORDS[facts.kind]} ({facts.incident_type}) and asks whether "
            "your cameras recorded anything that might help.",
            _facts_text(facts, zone),
            "If you would like to share recordings, you can upload them here (the link works "
            f"once and until {_when(facts.expires_at, zone)}):\n{link}",
            NO_PRESSURE,
            SIGNATURE,
        ]
    )
    return "Community Connect: a request for camera footage", body


def reminder_mail(facts: RequestFacts, link: str | None, zone: str) -> tuple[str, str]:
    """Subject and text of the one reminder before the owner's recordings are overwritten."""
    where = (
        f"You can still answer here:\n{link}"
        if link
        else "You can still answer with the link in our earlier e-mail."
    )
    body = "\n\n".join(
        [
            "Hello,",
            "A short note about our request for camera footage: your system probably keeps "
            f"recordings of that time until about {_when(facts.footage_lost_at, zone)}.",
            _facts_text(facts, zone),
            where,
            NO_PRESSURE + " This is the only reminder we send.",
            SIGNATURE,
        ]
    )
    return "Community Connect: reminder about a footage request", body


def withdrawn_mail(facts: RequestFacts, zone: str) -> tuple[str, str]:
    """Subject and text telling the owner a request is no longer needed."""
    body = "\n\n".join(
        [
            "Hello,",
            "The Real-Time Crime Center no longer needs footage for its request about "
            f"{facts.incident_type} ({_when(facts.window_from, zone)} to "
            f"{_when(facts.window_to, zone)}). The upload link no longer works, and there is "
            "nothing you need to do.",
            "Thank you for taking part in Community Connect.",
            SIGNATURE,
        ]
    )
    return "Community Connect: a footage request is withdrawn", body


def _facts_text(facts: RequestFacts, zone: str) -> str:
    cameras = ", ".join(facts.cameras) or "your registered cameras"
    return "\n".join(
        [
            f"Time: {_when(facts.window_from, zone)} to {_when(facts.window_to, zone)}",
            f"Cameras: {cameras}",
            f"Why: {facts.reason}",
        ]
    )


def _when(at: datetime, zone: str) -> str:
    try:
        tz = ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        tz = ZoneInfo("UTC")
    return at.astimezone(tz).strftime("%a %d %b %Y %H:%M %Z")
