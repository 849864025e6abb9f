"""Maintenance tickets: one per camera outage, addressed to the camera's maintenance contact.

A camera that turns degraded or offline gets one ticket (a camera with an open ticket never gets a
second: new problems join the open one, without another message); the ticket closes when the
camera is healthy again. Opening and closing messages go out after the change has committed; a
message that fails stays pending and is retried with backoff, so no ticket is ever lost to the
mail server. A camera that recovers before its opening message went out gets neither message."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from datetime import timedelta
from enum import StrEnum
from typing import Protocol

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from watchfloor.core.clock import Clock
from watchfloor.db.engine import Database
from watchfloor.domain.cameras.health import CameraProblem, HealthStatus, ordered
from watchfloor.domain.cameras.health_models import CameraTicket
from watchfloor.domain.cameras.models import Camera
from watchfloor.domain.cameras.tickets_mail import (
    Letter,
    closing_letter,
    mail_address,
    opening_letter,
)

log = logging.getLogger(__name__)

DELIVERY_BATCH = 50


class MailState(StrEnum):
    """Where a ticket's message stands."""

    PENDING = "pending"
    SENT = "sent"
    NO_CONTACT = "no_contact"  # the maintenance contact is no e-mail address
    NO_MAILER = "no_mailer"  # no mail server is configured
    CANCELLED = "cancelled"  # the camera recovered before the opening message went out
    NOT_NEEDED = "not_needed"


class Sender(Protocol):
    """Sends one plain-text message (the SMTP mailer); raises when it cannot."""

    async def send(self, to: str, subject: str, body: str) -> None: ...


class TicketDesk:
    """Opens, updates and closes maintenance tickets and delivers their messages."""

    def __init__(
        self,
        db: Database,
        clock: Clock,
        mailer: Sender | None,
        *,
        retry_initial_s: float = 60.0,
        retry_max_s: float = 3600.0,
    ) -> None:
        self._db = db
        self._clock = clock
        self._mailer = mailer
        self._retry_initial_s = retry_initial_s
        self._retry_max_s = retry_max_s
        self._delivering = asyncio.Lock()

    async def report(
        self,
        session: AsyncSession,
        code: str,
        status: HealthStatus,
        problems: Sequence[CameraProblem],
        contact: str | None,
    ) -> CameraTicket:
        """The camera is unhealthy: open its ticket, or add what is new to the open one."""
        now = self._clock.now()
        ticket = await open_ticket(session, code, lock=True)
        if ticket is None:
            address = mail_address(contact)
            ticket = CameraTicket(
                camera_code=code,
                status=status.value,
                problems=[p.value for p in problems],
                opened_at=now,
                last_seen_at=now,
                addressed_to=address,
                open_mail=self._first_state(address).value,
                mail_attempts=0,
            )
            session.add(ticket)
            await session.flush()
            return ticket
        ticket.problems = [p.value for p in ordered([*ticket.problems, *problems])]
        ticket.last_seen_at = now
        if status == HealthStatus.OFFLINE:
            ticket.status = status.value
        return ticket

    async def recover(self, session: AsyncSession, code: str) -> CameraTicket | None:
        """The camera is healthy again: close its open ticket, if any."""
        ticket = await open_ticket(session, code, lock=True)
        if ticket is None:
            return None
        ticket.closed_at = self._clock.now()
        if ticket.open_mail == MailState.PENDING:
            ticket.open_mail, ticket.close_mail = MailState.CANCELLED, MailState.NOT_NEEDED
            ticket.mail_next_at = None
        elif ticket.open_mail == MailState.SENT:
            ticket.close_mail = MailState.PENDING
        else:
            ticket.close_mail = ticket.open_mail
        return ticket

    async def tickets(self, open_only: bool, code: str | None = None) -> list[CameraTicket]:
        """Tickets, newest first (only the open ones; only one camera's)."""
        query = select(CameraTicket).order_by(CameraTicket.opened_at.desc(), CameraTicket.id)
        if open_only:
            query = query.where(CameraTicket.closed_at.is_(None))
        if code is not None:
            query = query.where(CameraTicket.camera_code == code)
        async with self._db.read_session() as session:
            return list((await session.execute(query.limit(1000))).scalars())

    async def deliver_mail(self) -> int:
        """Send the messages that are due; the number sent. Failures wait and retry."""
        if self._mailer is None:
            return 0
        async with self._delivering:
            sent = 0
            for ticket, camera in await self._due():
                sent += await self._deliver(ticket, camera)
            return sent

    def _first_state(self, address: str | None) -> MailState:
        if address is None:
            return MailState.NO_CONTACT
        return MailState.PENDING if self._mailer is not None else MailState.NO_MAILER

    async def _due(self) -> list[tuple[CameraTicket, Camera | None]]:
        now = self._clock.now()
        query = (
            select(CameraTicket, Camera)
            .outerjoin(Camera, Camera.code == CameraTicket.camera_code)
            .where(
                or_(
                    CameraTicket.open_mail == MailState.PENDING.value,
                    CameraTicket.close_mail == MailState.PENDING.value,
                ),
                or_(CameraTicket.mail_next_at.is_(None), CameraTicket.mail_next_at <= now),
            )
            .order_by(CameraTicket.id)
            .limit(DELIVERY_BATCH)
        )
        async with self._db.read_session() as session:
            return [(row[0], row[1]) for row in (await session.execute(query)).all()]

    async def _deliver(self, ticket: CameraTicket, camera: Camera | None) -> int:
        opening = ticket.open_mail == MailState.PENDING
        letter = opening_letter(ticket, camera) if opening else closing_letter(ticket, camera)
        error = await self._send(ticket.addressed_to, letter)
        async with self._db.session() as session:
            row = await session.get(CameraTicket, ticket.id, with_for_update=True)
            if row is None:
                return 0
            if error is not None:
                self._failed(row, error)
                return 0
            _delivered(row, opening)
        return 1

    async def _send(self, to: str | None, letter: Letter) -> str | None:
        """None when the message went out, else why not."""
        if to is None or self._mailer is None:
            return "no address"
        try:
            await self._mailer.send(to, letter.subject, letter.body)
        except Exception as error:  # whatever the mail server does, the ticket stays
            log.warning("ticket mail to %s not sent: %s", to, error)
            return str(error)[:300] or type(error).__name__
        return None

    def _failed(self, row: CameraTicket, error: str) -> None:
        row.mail_attempts += 1
        row.mail_error = error
        delay = min(self._retry_initial_s * 2 ** (row.mail_attempts - 1), self._retry_max_s)
        row.mail_next_at = self._clock.now() + timedelta(seconds=delay)


def _delivered(row: CameraTicket, opening: bool) -> None:
    row.mail_attempts, row.mail_error, row.mail_next_at = 0, None, None
    if not opening:
        row.close_mail = MailState.SENT.value
        return
    row.open_mail = MailState.SENT.value
    if row.closed_at is not None:  # it recovered while the opening message was on its way
        row.close_mail = MailState.PENDING.value


async def open_ticket(session: AsyncSession, code: str, lock: bool = False) -> CameraTicket | None:
    """The camera's open ticket, if it has one."""
    query = select(CameraTicket).where(
        CameraTicket.camera_code == code, CameraTicket.closed_at.is_(None)
    )
    if lock:
        query = query.with_for_update()
    return (await session.execute(query)).scalar_one_or_none()
