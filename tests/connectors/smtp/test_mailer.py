"""The SMTP mailer against a real SMTP server (aiosmtpd): delivery, refusal, no server."""

from __future__ import annotations

import logging

import pytest

from tests.support.mosquitto import _free_port
from tests.support.smtp import SmtpServer, smtp_server  # noqa: F401
from watchfloor.connectors.smtp.mailer import Mailer, MailError


async def test_a_message_reaches_the_server(smtp_server: SmtpServer) -> None:  # noqa: F811
    mailer = Mailer(smtp_server.url, None, None, "watchfloor@rtcc.example")
    await mailer.send("maint@city.example", "Camera CAM-1 offline", "It does not answer.")
    [message] = smtp_server.received
    assert message.recipients == ["maint@city.example"]
    assert message.sender == "watchfloor@rtcc.example"
    assert message.subject == "Camera CAM-1 offline"
    assert "It does not answer." in message.body
    assert message.message["Message-ID"]


async def test_a_refusal_is_a_mail_error(smtp_server: SmtpServer) -> None:  # noqa: F811
    smtp_server.refuse = True
    mailer = Mailer(smtp_server.url, None, None, "watchfloor@rtcc.example")
    with pytest.raises(MailError, match="451"):
        await mailer.send("maint@city.example", "s", "b")
    assert smtp_server.received == []


async def test_no_server_is_a_mail_error_without_the_password(
    caplog: pytest.LogCaptureFixture,
) -> None:
    mailer = Mailer(f"smtp://127.0.0.1:{_free_port()}", "relay", "hunter2-secret", "wf@x.example")
    with caplog.at_level(logging.DEBUG), pytest.raises(MailError) as raised:
        await mailer.send("maint@city.example", "s", "b")
    assert "hunter2-secret" not in str(raised.value)
    assert "hunter2-secret" not in caplog.text
    assert "hunter2-secret" not in repr(mailer)


def test_only_smtp_addresses_are_taken() -> None:
    with pytest.raises(ValueError, match="smtp://"):
        Mailer("http://127.0.0.1:25", None, None, "wf@x.example")
    assert Mailer("smtps://mail.example", None, None, "wf@x.example").port == 465
