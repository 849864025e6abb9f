"""Plain-text mail over SMTP with aiosmtplib: STARTTLS when the server offers it (smtp://),
TLS from the start for smtps://, a login when a user is given. The password never reaches a log,
an error or a repr."""

from __future__ import annotations

import logging
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from urllib.parse import urlsplit

import aiosmtplib

log = logging.getLogger(__name__)

DEFAULT_PORTS = {"smtp": 25, "smtps": 465}


class MailError(Exception):
    """A message could not be handed to the mail server (the reason, never the password)."""


class Mailer:
    """Sends mail through one SMTP server as one sender."""

    def __init__(
        self,
        url: str,
        user: str | None,
        password: str | None,
        sender: str,
        *,
        timeout_s: float = 15.0,
    ) -> None:
        parts = urlsplit(url)
        if parts.scheme not in DEFAULT_PORTS or not parts.hostname:
            raise ValueError("the mail server address must be smtp://host:port or smtps://")
        self.host = parts.hostname
        self.port = parts.port or DEFAULT_PORTS[parts.scheme]
        self.implicit_tls = parts.scheme == "smtps"
        self.sender = sender
        self._user = user
        self._password = password
        self._timeout_s = timeout_s

    def __repr__(self) -> str:
        return f"Mailer({self.host}:{self.port}, sender={self.sender!r})"

    async def send(self, to: str, subject: str, body: str) -> None:
        """Hand one plain-text message to the server; raises MailError naming why not."""
        message = EmailMessage()
        message["From"] = self.sender
        message["To"] = to
        message["Subject"] = subject
        message["Date"] = formatdate(localtime=False)
        message["Message-ID"] = make_msgid(domain=self.sender.rpartition("@")[2] or None)
        message.set_content(body)
        try:
            await aiosmtplib.send(
                message,
                hostname=self.host,
                port=self.port,
                username=self._user,
                password=self._password,
                use_tls=self.implicit_tls,
                start_tls=None if not self.implicit_tls else False,
                timeout=self._timeout_s,
            )
        except (aiosmtplib.SMTPException, OSError, TimeoutError) as error:
            reason = _reason(error, self._password)
            log.warning("mail to %s via %s:%d failed: %s", to, self.host, self.port, reason)
            raise MailError(reason) from None


def _reason(error: BaseException, password: str | None) -> str:
    text = f"{type(error).__name__}: {error}"[:300]
    return text.replace(password, "***") if password else text
