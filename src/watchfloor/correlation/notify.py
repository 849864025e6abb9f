"""Notifications to people (callouts, escalations): a pluggable channel; e-mail over SMTP here."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from watchfloor.connectors.smtp.mailer import Mailer, MailError


@dataclass(frozen=True, slots=True)
class Recipient:
    """Someone to notify: a name and an address on the channel (an e-mail address here)."""

    name: str
    address: str


class NotifyError(Exception):
    """A notification could not be handed over (the reason)."""


class Notifier(Protocol):
    """A channel that reaches a person (e-mail, SMS, paging ...)."""

    channel: str

    async def notify(self, recipient: Recipient, subject: str, body: str) -> None:
        """Hand one message over; raises NotifyError naming why not."""
        ...


class EmailNotifier:
    """Notifications as plain-text e-mail through the center's mail server."""

    channel = "email"

    def __init__(self, mailer: Mailer) -> None:
        self._mailer = mailer

    async def notify(self, recipient: Recipient, subject: str, body: str) -> None:
        """Send one e-mail; raises NotifyError when the server does not take it."""
        try:
            await self._mailer.send(recipient.address, subject, body)
        except MailError as error:
            raise NotifyError(str(error)) from None


class NoNotifier:
    """No channel configured: every notification fails (and is retried once one is)."""

    channel = "none"

    async def notify(self, recipient: Recipient, subject: str, body: str) -> None:
        """Always refuses."""
        raise NotifyError("no notification channel configured (set video.smtp_url)")


def notifier_for(mailer: Mailer | None) -> Notifier:
    """E-mail when a mail server is configured, else a channel that always fails (and retries)."""
    return EmailNotifier(mailer) if mailer is not None else NoNotifier()
