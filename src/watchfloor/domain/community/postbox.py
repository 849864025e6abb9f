"""The registry's outgoing e-mail: through the installation's SMTP server when one is configured,
otherwise written as .eml files into an outbox folder (a laptop demo with no mail server)."""

from __future__ import annotations

import asyncio
import os
import uuid
from email.message import EmailMessage
from email.utils import formatdate
from pathlib import Path

from watchfloor.connectors.smtp.mailer import Mailer, MailError
from watchfloor.core.errors import Unavailable

NOT_SENT = "The e-mail could not be sent just now; please try again in a few minutes."


class Postbox:
    """Sends one plain-text message to one person; a failure is an Unavailable (503)."""

    def __init__(self, mailer: Mailer | None, outbox: Path, sender: str) -> None:
        self._mailer = mailer
        self.outbox = outbox
        self._sender = sender

    async def send(self, to: str, subject: str, body: str) -> None:
        """Hand the message over; raises Unavailable with a message fit for the public page."""
        if self._mailer is None:
            await asyncio.to_thread(self._write, to, subject, body)
            return
        try:
            await self._mailer.send(to, subject, body)
        except MailError:
            raise Unavailable(NOT_SENT, code="mail_failed") from None

    def _write(self, to: str, subject: str, body: str) -> None:
        message = EmailMessage()
        message["From"] = self._sender
        message["To"] = to
        message["Subject"] = subject
        message["Date"] = formatdate(localtime=False)
        message.set_content(body)
        self.outbox.mkdir(parents=True, exist_ok=True, mode=0o700)
        path = self.outbox / f"{uuid.uuid4()}.eml"
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as out:
            out.write(bytes(message))
