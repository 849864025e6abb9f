"""The words of the registry's e-mails to owners: plain text, no pressure, every link private."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

PROGRAM = "Community Connect"
FOOTER = (
    "\n\nParticipation is voluntary. The police get no access to your cameras or your system:"
    " they can only ask you for recordings, and you decide each time.\n"
    f"— {PROGRAM}\n"
)


@dataclass(frozen=True)
class Mail:
    """A message's subject and text."""

    subject: str
    body: str


def owner_link(base_url: str, token: str) -> str:
    """The owner page's private link (the token rides in the fragment, never sent to servers)."""
    return f"{base_url.rstrip('/')}/community/owner#t={token}"


def confirmation(base_url: str, token: str, days: int, hours_to_confirm: int) -> Mail:
    """The first e-mail after registering: confirm with the private link."""
    body = (
        f"Thank you for registering your cameras with {PROGRAM}.\n\n"
        "To confirm your registration, open this private link:\n\n"
        f"{owner_link(base_url, token)}\n\n"
        f"Until you confirm, nothing is listed; unconfirmed registrations are deleted after "
        f"{hours_to_confirm} hours. The same link lets you change, pause or delete your "
        f"registration and see every request made for your cameras. It works for {days} days; "
        "you can ask for a new one on the Community Connect page at any time.\n\n"
        "Keep this link to yourself: anyone who has it can manage your registration.\n\n"
        "If you did not register, ignore this message and nothing will be kept."
    )
    return Mail(f"{PROGRAM}: confirm your registration", body + FOOTER)


def new_link(base_url: str, token: str, days: int, address: str) -> Mail:
    """A fresh owner link, asked for on the public page; the previous one no longer works."""
    body = (
        f"Here is a new private link to your {PROGRAM} registration at {address}:\n\n"
        f"{owner_link(base_url, token)}\n\n"
        f"It works for {days} days. Any link sent to you before no longer works.\n\n"
        "If you did not ask for a new link, you need not do anything."
    )
    return Mail(f"{PROGRAM}: your private link", body + FOOTER)


def email_changed(address: str) -> Mail:
    """Notice to the previous e-mail address after the owner changed it."""
    body = (
        f"The e-mail address of the {PROGRAM} registration at {address} was changed, and "
        "messages about it now go to the new address. Links sent to this address no longer "
        "work.\n\nIf you did not make this change, ask for a new link on the Community Connect "
        "page or contact the police department's Real-Time Crime Center."
    )
    return Mail(f"{PROGRAM}: e-mail address changed", body + FOOTER)


def deleted(address: str, deleted_at: datetime, receipt: str) -> Mail:
    """Confirmation that a registration and its cameras are deleted, with the audit receipt."""
    body = (
        f"Your {PROGRAM} registration at {address} and all of its cameras were deleted on "
        f"{deleted_at:%Y-%m-%d %H:%M} UTC. Your contact details are no longer kept.\n\n"
        f"Receipt: {receipt}\n\n"
        "The receipt is the fingerprint of the record of this deletion in the audit log. "
        "Requests the police made earlier stay on record, without your details."
    )
    return Mail(f"{PROGRAM}: registration deleted", body + FOOTER)
