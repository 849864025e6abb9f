"""The alert desk: every alert source feeds it; operators acknowledge, dismiss and close; the
correlation engine attaches, merges, escalates and re-prioritises. Every change is durable
before it is published on the bus."""

from __future__ import annotations

import builtins
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from watchfloor.audit.service import AuditEntry, AuditLog
from watchfloor.core.bus import EventBus
from watchfloor.core.clock import Clock
from watchfloor.core.context import Actor, RequestContext
from watchfloor.core.errors import FieldProblem, InvalidInput
from watchfloor.core.events import Event
from watchfloor.core.geo import GeoPoint
from watchfloor.db.engine import Database
from watchfloor.domain.alerts import desk_actions as actions
from watchfloor.domain.alerts.desk_store import Stored, store_report
from watchfloor.domain.alerts.desk_views import (
    alert_out,
    alerts_out,
    changed,
    changed_in,
    changed_of,
    load,
    load_in,
    sources_in,
    sources_of,
)
from watchfloor.domain.alerts.lookup import for_incident_in, near_in
from watchfloor.domain.alerts.models import Alert
from watchfloor.domain.alerts.schemas import AlertNearby, AlertOut, AlertReceipt
from watchfloor.events.alerts import (
    ALERT_ACKNOWLEDGED,
    ALERT_ATTACHED,
    ALERT_CLOSED,
    ALERT_DISMISSED,
    ALERT_ESCALATED,
    ALERT_MERGED,
    ALERT_RAISED,
    ALERT_UPDATED,
    AlertChanged,
    AlertKind,
    AlertReport,
    AlertStatus,
)
from watchfloor.settings import AlertSettings

__all__ = ["CORRELATION", "AlertDesk", "AlertNearby", "AlertOut", "AlertReceipt"]

CORRELATION = RequestContext(actor=Actor.system("correlation"))
"""Who the system actions are recorded as."""
EVENT_SOURCE = "alerts"

Change = Callable[[Alert, datetime], bool]
"""A change to one alert row at a time: True when it changed something."""
Step = tuple[Change, AuditEntry, str]
"""A change, the audit entry it makes, and the event kind it publishes."""
Prioritised = tuple[int, str]
"""A rule's priority for an alert, and the rule's name."""


class AlertDesk:
    """Owns the alert tables: receives reports, records what people and rules do to alerts."""

    def __init__(
        self, db: Database, clock: Clock, bus: EventBus, audit: AuditLog, settings: AlertSettings
    ) -> None:
        self._db = db
        self._clock = clock
        self._bus = bus
        self._audit = audit
        self._settings = settings

    # --- intake

    async def receive(
        self, reports: list[AlertReport], context: RequestContext
    ) -> list[AlertReceipt]:
        """Store every report and one audit record in one transaction, then publish
        alert.raised / alert.updated for each alert that changed."""
        if not reports:
            return []
        try:
            stored, payloads = await self._store_all(reports, context)
        except IntegrityError:
            # Another writer created the same (source, source_ref) concurrently: merge into it.
            stored, payloads = await self._store_all(reports, context)
        created = {s.alert.id for s in stored if s.outcome == "created"}
        for payload in payloads:
            kind = ALERT_RAISED if payload.alert_id in created else ALERT_UPDATED
            await self._publish(kind, payload, context)
        return [
            AlertReceipt(alert_id=s.alert.id, source_ref=r.source_ref, outcome=s.outcome)
            for r, s in zip(reports, stored, strict=True)
        ]

    async def _store_all(
        self, reports: list[AlertReport], context: RequestContext
    ) -> tuple[list[Stored], list[AlertChanged]]:
        now = self._clock.now()

        def work(session: Session) -> tuple[list[Stored], list[AlertChanged]]:
            stored = [store_report(session, r, now, self._settings) for r in reports]
            self._audit.append(session, context, [_intake_entry(reports, stored)])
            touched = {s.alert.id: s.alert for s in stored if s.outcome != "duplicate"}
            return stored, changed_in(session, list(touched.values()))

        return await self._db.write_in_thread(work)

    # --- what operators do

    async def acknowledge(self, alert_id: str, context: RequestContext) -> AlertOut:
        """The operator has seen the alert and owns it (audited, alert.acknowledged)."""
        who = context.actor.username
        return await self._act(
            alert_id,
            context,
            lambda alert, now: actions.acknowledge(alert, now, who),
            AuditEntry("alert.acknowledged", object_type="alert", object_id=alert_id),
            ALERT_ACKNOWLEDGED,
        )

    async def dismiss(self, alert_id: str, reason: str, context: RequestContext) -> AlertOut:
        """A false alarm, a test, or not for this center (audited with the reason)."""
        reason = reason.strip()
        if len(reason) < 3:
            problem = FieldProblem("/reason", "at least 3 characters")
            raise InvalidInput("a reason is required", [problem])
        who = context.actor.username
        return await self._act(
            alert_id,
            context,
            lambda alert, now: actions.dismiss(alert, now, who, reason),
            AuditEntry("alert.dismissed", object_type="alert", object_id=alert_id, reason=reason),
            ALERT_DISMISSED,
        )

    async def close(self, alert_id: str, context: RequestContext) -> AlertOut:
        """Handled: nothing is left to do (audited, alert.closed)."""
        who = context.actor.username
        return await self._act(
            alert_id,
            context,
            lambda alert, now: actions.close(alert, now, who),
            AuditEntry("alert.closed", object_type="alert", object_id=alert_id),
            ALERT_CLOSED,
        )

    # --- what the correlation engine does (actor system:correlation)

    async def attach(
        self, alert_id: str, incident_id: str, rule: str, priority: Prioritised | None = None
    ) -> None:
        """The alert joins an incident (alert.attached); with `priority`, a rule's new priority
        goes in the same transaction first (alert.updated): one write where there were two."""
        steps: list[Step] = []
        if priority is not None:
            steps.append(_priority_step(alert_id, *priority))
        entry = _system_entry("alert.attached", alert_id, rule, incident_id=incident_id)
        joins: Change = lambda alert, _now: actions.attach(alert, incident_id)  # noqa: E731
        steps.append((joins, entry, ALERT_ATTACHED))
        await self._act_steps(alert_id, CORRELATION, steps)

    async def escalate(self, alert_id: str, to: list[str], reason: str) -> None:
        """Sent up to these people (alert.escalated)."""
        entry = AuditEntry(
            "alert.escalated",
            object_type="alert",
            object_id=alert_id,
            reason=reason,
            details={"to": list(to)},
        )
        await self._act(
            alert_id,
            CORRELATION,
            lambda alert, now: actions.escalate(alert, now, to, reason),
            entry,
            ALERT_ESCALATED,
        )

    async def set_priority(self, alert_id: str, priority: int, rule: str) -> None:
        """A rule's judgement of urgency (alert.updated)."""
        await self._act_steps(alert_id, CORRELATION, [_priority_step(alert_id, priority, rule)])

    async def merge(self, into_id: str, duplicate_id: str, rule: str) -> None:
        """The duplicate's sources go into `into` (alert.merged for the duplicate, then
        alert.updated for the alert it went into)."""
        now = self._clock.now()

        def work(session: Session) -> list[AlertChanged]:
            first, second = sorted((into_id, duplicate_id))  # one lock order for every writer
            locked = {a: load_in(session, a, for_update=True) for a in (first, second)}
            into, duplicate = locked[into_id], locked[duplicate_id]
            if not actions.merge(session, into, duplicate):
                return []
            into.updated_at = duplicate.updated_at = now
            entry = _system_entry("alert.merged", duplicate_id, rule, into=into_id)
            self._audit.append(session, CORRELATION, [entry])
            session.flush()
            return changed_in(session, [duplicate, into])

        changes = await self._db.write_in_thread(work)
        if changes:
            merged, target = changes
            await self._publish(ALERT_MERGED, merged, CORRELATION)
            await self._publish(ALERT_UPDATED, target, CORRELATION)

    async def _act(
        self,
        alert_id: str,
        context: RequestContext,
        change: Change,
        entry: AuditEntry,
        kind: str,
    ) -> AlertOut:
        return await self._act_steps(alert_id, context, [(change, entry, kind)])

    async def _act_steps(
        self, alert_id: str, context: RequestContext, steps: Sequence[Step]
    ) -> AlertOut:
        """Changes to one alert in one transaction, in order; each that changed something is
        audited and published (with the alert as it stood after it)."""
        now = self._clock.now()

        def work(session: Session) -> tuple[list[tuple[str, AlertChanged]], AlertOut]:
            alert = load_in(session, alert_id, for_update=True)
            sources = sources_in(session, [alert.id])[alert.id]
            entries: list[AuditEntry] = []
            published: list[tuple[str, AlertChanged]] = []
            for change, entry, kind in steps:
                if change(alert, now):
                    alert.updated_at = now
                    entries.append(entry)
                    published.append((kind, changed(alert, sources)))
            if entries:
                self._audit.append(session, context, entries)
            return published, alert_out(alert, sources)

        published, out = await self._db.write_in_thread(work)
        for kind, payload in published:
            await self._publish(kind, payload, context)
        return out

    # --- queries

    async def get(self, alert_id: str) -> AlertOut:
        """One alert with its sources, or NotFound."""
        async with self._db.read_session() as session:
            alert = await load(session, alert_id)
            return alert_out(alert, (await sources_of(session, [alert.id]))[alert.id])

    async def list(
        self,
        *,
        status: AlertStatus | None = None,
        kind: AlertKind | None = None,
        since: datetime | None = None,
        limit: int = 200,
    ) -> list[AlertOut]:
        """Alerts received since `since` (of one status / kind), newest first."""
        query = select(Alert).order_by(Alert.received_at.desc(), Alert.id)
        if status is not None:
            query = query.where(Alert.status == status.value)
        if kind is not None:
            query = query.where(Alert.kind == kind.value)
        if since is not None:
            query = query.where(Alert.received_at >= since)
        query = query.limit(max(1, min(limit, self._settings.list_limit_max)))
        return await self._outs(query)

    async def near(
        self,
        lat: float,
        lon: float,
        radius_m: float,
        since: datetime,
        kind: AlertKind | None = None,
        limit: int = 50,
    ) -> builtins.list[AlertNearby]:
        """Alerts that occurred within radius_m of the point since `since`, nearest first
        (merged duplicates left out)."""
        radius_m = min(radius_m, self._settings.near_max_radius_m)
        return await self._db.read_in_thread(
            lambda session: near_in(session, lat, lon, radius_m, since, kind, limit)
        )

    async def for_incident(self, incident_id: str) -> builtins.list[AlertOut]:
        """Every alert attached to the incident, oldest first."""
        return await self._db.read_in_thread(lambda s: for_incident_in(s, incident_id))

    async def open_alerts(self, since: datetime) -> builtins.list[AlertChanged]:
        """New and acknowledged alerts received since `since`, oldest first (warm start)."""
        query = (
            select(Alert)
            .where(Alert.status.in_(actions.OPEN), Alert.received_at >= since)
            .order_by(Alert.received_at, Alert.id)
        )
        async with self._db.read_session() as session:
            return await changed_of(session, builtins.list(await session.scalars(query)))

    async def _outs(self, query: Any) -> builtins.list[AlertOut]:
        async with self._db.read_session() as session:
            return await alerts_out(session, builtins.list(await session.scalars(query)))

    async def _publish(self, kind: str, payload: AlertChanged, context: RequestContext) -> None:
        location = None
        if payload.lat is not None and payload.lon is not None:
            location = GeoPoint(lat=payload.lat, lon=payload.lon)
        await self._bus.publish(
            Event[AlertChanged](
                kind=kind,
                source=EVENT_SOURCE,
                occurred_at=payload.occurred_at,
                received_at=self._clock.now(),
                location=location,
                payload=payload,
                context=context,
            )
        )


def _priority_step(alert_id: str, priority: int, rule: str) -> Step:
    return (
        lambda alert, _now: actions.set_priority(alert, priority),
        _system_entry("alert.prioritised", alert_id, rule, priority=priority),
        ALERT_UPDATED,
    )


def _system_entry(action: str, alert_id: str, rule: str | None, **details: Any) -> AuditEntry:
    if rule is not None:
        details["rule"] = rule
    return AuditEntry(action, object_type="alert", object_id=alert_id, details=details)


def _intake_entry(reports: Sequence[AlertReport], stored: Sequence[Stored]) -> AuditEntry:
    """One audit record per delivery: which feed, what it did to which alerts."""
    outcomes: dict[str, int] = {}
    for item in stored:
        outcomes[item.outcome] = outcomes.get(item.outcome, 0) + 1
    single = len(stored) == 1
    return AuditEntry(
        action="alert.received",
        object_type="alert" if single else "alert_batch",
        object_id=stored[0].alert.id if single else None,
        details={
            "sources": sorted({r.source for r in reports}),
            "reports": len(reports),
            "outcomes": outcomes,
            "alerts": list(dict.fromkeys(s.alert.id for s in stored))[:50],
        },
    )
