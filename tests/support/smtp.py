"""A real SMTP server for tests: aiosmtpd's Controller on 127.0.0.1 and a free port, keeping
every message it accepts; `refuse` makes it answer 451 (try again later) until cleared."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from tests.support.mosquitto import _free_port


@dataclass
class Received:
    """One message the server accepted."""

    sender: str
    recipients: list[str]
    message: Message

    @property
    def subject(self) -> str:
        """The message's subject."""
        return str(self.message["Subject"])

    @property
    def body(self) -> str:
        """The message's text."""
        payload = self.message.get_payload(decode=True)
        return payload.decode() if isinstance(payload, bytes) else str(payload)


@dataclass
class _Handler:
    received: list[Received] = field(default_factory=list)
    refuse: bool = False

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        if self.refuse:
            return "451 4.3.0 mailbox busy, try again later"
        message = message_from_bytes(envelope.content)
        self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), message))
        return "250 OK"


class SmtpServer:
    """A running SMTP server and what it received."""

    def __init__(self) -> None:
        self.port = _free_port()
        self._handler = _Handler()
        self._controller = Controller(self._handler, hostname="127.0.0.1", port=self.port)

    @property
    def url(self) -> str:
        """smtp://127.0.0.1:PORT"""
        return f"smtp://127.0.0.1:{self.port}"

    @property
    def received(self) -> list[Received]:
        """Messages accepted so far, oldest first."""
        return self._handler.received

    @property
    def refuse(self) -> bool:
        """Whether the server answers 451 to every message."""
        return self._handler.refuse

    @refuse.setter
    def refuse(self, value: bool) -> None:
        self._handler.refuse = value

    def start(self) -> None:
        """Start listening."""
        self._controller.start()

    def stop(self) -> None:
        """Stop listening (its thread ends)."""
        self._controller.stop()

    async def wait_for(self, count: int, timeout_s: float = 5.0) -> list[Received]:
        """The messages once at least count have arrived (or what arrived by the timeout),
        letting the event loop run meanwhile."""
        deadline = time.monotonic() + timeout_s
        # the server runs its own loop in its own thread: poll rather than share an Event
        while len(self.received) < count and time.monotonic() < deadline:  # noqa: ASYNC110
            await asyncio.sleep(0.02)
        return self.received


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    """A running SMTP server on 127.0.0.1, stopped after the test."""
    server = SmtpServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()
