"""After-hours callouts: one row per on-call supervisor, sent through a Notifier, retried until
sent or out of attempts; every step audited, a sent callout on the incident's timeline."""

from __future__ import annotations

import logging
import uuid
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select

from watchfloor.audit.service import AuditEntry, AuditLog, Outcome
from watchfloor.core.clock import Clock
from watchfloor.core.context import Actor, RequestContext
from watchfloor.correlation.actions import CallOut
from watchfloor.correlation.models import Callout
from watchfloor.correlation.notify import Notifier, NotifyError, Recipient
from watchfloor.correlation.schemas import CalloutOut
from watchfloor.correlation.timeline import ACTOR
from watchfloor.db.engine import Database
from watchfloor.domain.incidents.timeline import add_entry
from watchfloor.settings import CorrelationSettings

log = logging.getLogger(__name__)
CORRELATION = RequestContext(actor=Actor.system("correlation"))
PENDING, SENT, FAILED, GAVE_UP = "pending", "sent", "failed", "gave_up"


def message(action: CallOut, incident_id: str | None, at: datetime) -> tuple[str, str]:
    """Subject and body of a callout."""
    subject = f"Watchfloor callout: {action.summary}"[:300]
    lines = [
        "You are called out by the real-time crime center (outside operating hours).",
        "",
        action.summary,
        f"Time: {at.isoformat(timespec='seconds')}",
    ]
    details: dict[str, Any] = action.details
    if details.get("address"):
        lines.append(f"Address: {details['address']}")
    if details.get("lat") is not None and details.get("lon") is not None:
        lines.append(f"Position: {details['lat']:.5f}, {details['lon']:.5f}")
    if incident_id:
        lines.append(f"Incident: {incident_id}")
    if action.alert_id:
        lines.append(f"Alert: {action.alert_id}")
    return subject, "\n".join(lines)[:4000]


class CalloutDesk:
    """Records callouts, sends them and retries the ones that failed."""

    def __init__(
        self,
        db: Database,
        clock: Clock,
        audit: AuditLog,
        notifier: Notifier,
        settings: CorrelationSettings,
    ) -> None:
        self._db = db
        self._clock = clock
        self._audit = audit
        self._notifier = notifier
        self._settings = settings

    def recipients(self) -> list[Recipient]:
        """The on-call list from the settings."""
        return [Recipient(c["name"], c["email"]) for c in self._settings.on_call]

    async def call_out(
        self, action: CallOut, incident_id: str | None, key: str
    ) -> list[CalloutOut]:
        """Record a callout to every on-call supervisor (once per subject key) and send them."""
        now = self._clock.now()
        subject, body = message(action, incident_id, now)
        async with self._db.session() as session:
            known = set(
                (
                    await session.scalars(
                        select(Callout.recipient_email).where(Callout.subject_key == key)
                    )
                ).all()
            )
            rows = [
                Callout(
                    id=str(uuid.uuid4()),
                    subject_key=key,
                    incident_id=incident_id,
                    alert_id=action.alert_id,
                    recipient_name=r.name,
                    recipient_email=r.address,
                    subject=subject,
                    body=body,
                    status=PENDING,
                    attempts=0,
                    created_at=now,
                    next_attempt_at=now,
                )
                for r in self.recipients()
                if r.address not in known
            ]
            if not rows:
                return []
            session.add_all(rows)
            entry = AuditEntry(
                "correlation.callout.created",
                object_type="incident" if incident_id else "alert",
                object_id=incident_id or action.alert_id,
                reason=action.summary[:300],
                details={"to": [r.recipient_name for r in rows], "rule": action.rule},
            )
            await self._audit.record(session, CORRELATION, entry)
        return [await self._attempt(row.id) for row in rows]

    async def retry_due(self) -> int:
        """Send again every callout whose retry time has come; how many were tried."""
        now = self._clock.now()
        query = select(Callout.id).where(
            Callout.status.in_((PENDING, FAILED)), Callout.next_attempt_at <= now
        )
        async with self._db.read_session() as session:
            due = list((await session.scalars(query.order_by(Callout.created_at))).all())
        for callout_id in due:
            await self._attempt(callout_id)
        return len(due)

    async def list(self, limit: int = 100) -> list[CalloutOut]:
        """The latest callouts, newest first."""
        query = select(Callout).order_by(Callout.created_at.desc(), Callout.id).limit(limit)
        async with self._db.read_session() as session:
            return [CalloutOut.model_validate(row) for row in (await session.scalars(query)).all()]

    async def _attempt(self, callout_id: str) -> CalloutOut:
        async with self._db.read_session() as session:
            row = await session.get(Callout, callout_id)
            assert row is not None
            recipient = Recipient(row.recipient_name, row.recipient_email)
            subject, body = row.subject, row.body
        error: str | None = None
        try:
            await self._notifier.notify(recipient, subject, body)
        except NotifyError as failure:
            error = str(failure)[:300]
        return await self._record(callout_id, error)

    async def _record(self, callout_id: str, error: str | None) -> CalloutOut:
        now = self._clock.now()
        async with self._db.session() as session:
            row = await session.get(Callout, callout_id, with_for_update=True)
            assert row is not None
            row.attempts += 1
            row.last_error = error
            if error is None:
                row.status, row.sent_at, row.next_attempt_at = SENT, now, None
            elif row.attempts >= self._settings.callout_max_attempts:
                row.status, row.next_attempt_at = GAVE_UP, None
            else:
                row.status = FAILED
                row.next_attempt_at = now + timedelta(seconds=self._settings.callout_retry_s)
            await self._audit.record(session, CORRELATION, self._entry(row, error))
            if error is None and row.incident_id:
                details = {
                    "to": row.recipient_name,
                    "channel": self._notifier.channel,
                    "attempts": row.attempts,
                }
                add_entry(session, row.incident_id, now, "correlation.callout_sent", ACTOR, details)
            await session.flush()
            return CalloutOut.model_validate(row)

    def _entry(self, row: Callout, error: str | None) -> AuditEntry:
        return AuditEntry(
            "correlation.callout.sent" if error is None else "correlation.callout.failed",
            outcome=Outcome.SUCCESS if error is None else Outcome.ERROR,
            object_type="incident" if row.incident_id else "alert",
            object_id=row.incident_id or row.alert_id,
            reason=error,
            details={
                "callout_id": row.id,
                "to": row.recipient_name,
                "channel": self._notifier.channel,
                "attempts": row.attempts,
                "status": row.status,
            },
        )
