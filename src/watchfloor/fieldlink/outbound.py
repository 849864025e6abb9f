"""Watchfloor's picture to the field: follows the bus and publishes CoT through the TAK server —
incident markers (priority in callsign and remarks; a delete when cleared or closed), plate alerts
once an operator verified them, and gunshot alerts. Every push is audited, and on the incident
timeline where there is an incident."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any
from xml.sax.saxutils import quoteattr

from watchfloor.audit.service import AuditEntry, AuditLog
from watchfloor.connectors.tak.cot import CotEvent, built_detail
from watchfloor.core.bus import EventBus, Subscription
from watchfloor.core.clock import Clock
from watchfloor.core.context import Actor, RequestContext
from watchfloor.core.events import Event
from watchfloor.db.engine import Database
from watchfloor.domain.incidents.schemas import IncidentChanged
from watchfloor.domain.incidents.service import IncidentService
from watchfloor.domain.incidents.timeline import add_entry
from watchfloor.events.alerts import AlertChanged, AlertKind, AlertStatus
from watchfloor.events.cad import IncidentStatus
from watchfloor.events.lpr import PlateAlertRaised
from watchfloor.fieldlink.server import TakServer
from watchfloor.settings_field import FieldLinkSettings

log = logging.getLogger(__name__)

CONTEXT = RequestContext(actor=Actor.system("fieldlink"))
PATTERNS = ("incident.>", "alert.>", "lpr.alert.>")
"""The bus subjects followed: incidents, the alert desk's alerts, plate alerts."""
DELETE_TYPE = "t-x-d-d"
STOP_WAIT_S = 5.0
ENDED = frozenset({IncidentStatus.CLEARED, IncidentStatus.CLOSED})
GUNSHOT_GONE = frozenset({AlertStatus.DISMISSED, AlertStatus.MERGED, AlertStatus.CLOSED})
PRIORITY_ARGB = {1: -65536, 2: -32768, 3: -256, 4: -16711681, 5: -1}
"""ATAK marker colours by priority (red, orange, yellow, cyan, white) as signed ARGB."""


@dataclass(frozen=True)
class Push:
    """One thing sent to the field, for the audit record and the timeline."""

    what: str  # incident | plate_alert | gunshot
    object_id: str
    incident_id: str | None
    cot: CotEvent
    expired: CotEvent | None = None  # the marker itself, going stale, ahead of a delete


class FieldOutbound:
    """Publishes Watchfloor's incidents and alerts to TAK clients; a no-op without a server."""

    def __init__(
        self,
        tak: TakServer | None,
        bus: EventBus,
        clock: Clock,
        db: Database,
        audit: AuditLog,
        incidents: IncidentService,
        settings: FieldLinkSettings,
    ) -> None:
        self._tak = tak
        self._bus = bus
        self._clock = clock
        self._db = db
        self._audit = audit
        self._incidents = incidents
        self._settings = settings
        self._subscriptions: list[Subscription] = []
        self._task: asyncio.Task[None] | None = None
        self._sent: dict[str, tuple[Any, ...]] = {}
        self._markers: dict[str, CotEvent] = {}  # open incidents, refreshed before stale
        self._last: dict[str, CotEvent] = {}
        self.pushed = 0

    @property
    def refresh_every_s(self) -> float:
        """How often open incident markers are sent again."""
        return self._settings.refresh_every_s

    def start(self) -> asyncio.Task[None] | None:
        """Subscribe now (nothing published from here on is missed) and follow in a task."""
        if self._tak is None:
            log.info("fieldlink: the TAK server is off; nothing is sent to the field")
            return None
        self._subscriptions = [self._bus.subscribe(p) for p in PATTERNS]
        follows = [self._follow(s) for s in self._subscriptions]
        self._task = asyncio.create_task(_gather(follows), name="fieldlink-outbound")
        return self._task

    async def stop(self) -> None:
        """Stop following once what is already received has been sent (or after STOP_WAIT_S)."""
        for subscription in self._subscriptions:
            subscription.close()
        self._subscriptions = []
        task, self._task = self._task, None
        if task is not None and not task.done():
            with contextlib.suppress(TimeoutError, asyncio.CancelledError):
                await asyncio.wait_for(task, STOP_WAIT_S)

    async def _follow(self, subscription: Subscription) -> None:
        with contextlib.suppress(StopAsyncIteration):
            async for event in subscription:
                try:
                    await self.handle(event)
                except Exception:  # one bad event must not stop the field's picture
                    log.exception("fieldlink: could not send %s to the field", event.kind)

    async def handle(self, event: Event[Any]) -> Push | None:
        """Send what one bus event means to the field; returns the push (None: nothing sent)."""
        payload = event.payload
        push: Push | None = None
        if isinstance(payload, IncidentChanged):
            push = await self._incident(event, payload)
        elif isinstance(payload, AlertChanged) and payload.kind == AlertKind.GUNSHOT:
            push = self._gunshot(payload)
        elif isinstance(payload, PlateAlertRaised):
            push = self._plate_alert(payload)
        if push is not None:
            await self._send(push)
        return push

    async def restore(self) -> int:
        """After a restart, put every open incident with a place back on the field's picture
        (markers are kept in memory; the store is the truth); returns how many."""
        if self._tak is None:
            return 0
        restored = 0
        for row in await self._incidents.queue():
            if row.lat is None or row.lon is None:
                continue
            incident = IncidentChanged(
                incident_id=row.id,
                eido_id=row.eido_id,
                type_code=row.type,
                priority=row.priority,
                status=row.status,
                address=row.address,
                version=0,
            )
            push = self._marker(incident, (row.lat, row.lon))
            if push is not None:
                self._last[push.cot.uid] = push.cot
                self._tak.publish(push.cot)
                restored += 1
        if restored:
            entry = AuditEntry("fieldlink.cot.restored", details={"incidents": restored})
            await self._audit.record_alone(CONTEXT, entry)
        return restored

    async def refresh_due(self) -> int:
        """Send open incident markers again before they go stale in the field."""
        if self._tak is None:
            return 0
        now = self._clock.now()
        due = [
            m
            for m in self._markers.values()
            if now >= m.time + timedelta(seconds=self._settings.refresh_every_s)
        ]
        for marker in due:
            fresh = replace(marker, time=now, start=now, stale=self._stale(now, "incident"))
            self._markers[marker.uid] = fresh
            self._tak.publish(fresh)
        return len(due)

    # --- what each kind of event becomes

    async def _incident(self, event: Event[Any], incident: IncidentChanged) -> Push | None:
        uid = f"{self._settings.sender_uid}.incident.{incident.incident_id}"
        if incident.status in ENDED:
            self._markers.pop(uid, None)
            return self._delete(uid, "incident", incident.incident_id, incident.incident_id)
        point = await self._incident_point(event, incident.incident_id)
        if point is None:
            log.debug("fieldlink: incident %s has no location yet", incident.incident_id)
            return None
        return self._marker(incident, point)

    def _marker(self, incident: IncidentChanged, point: tuple[float, float]) -> Push | None:
        """The incident's marker, kept for refreshes; None when the field already has it."""
        uid = f"{self._settings.sender_uid}.incident.{incident.incident_id}"
        signature = (
            incident.type_code,
            incident.priority,
            incident.status,
            incident.address,
            point,
        )
        if self._sent.get(uid) == signature:
            return None
        self._sent[uid] = signature
        priority = incident.priority
        label = f"P{priority} " if priority is not None else ""
        remarks = "; ".join(
            part
            for part in (
                f"Priority {priority}" if priority is not None else "Priority unknown",
                incident.type_code,
                f"status {incident.status.value}",
                incident.address,
            )
            if part
        )
        cot = self._cot(
            uid,
            self._settings.incident_type,
            "incident",
            point,
            callsign=f"{label}{incident.type_code}"[:100],
            remarks=remarks,
            extra_xml=_colour(priority),
        )
        self._markers[uid] = cot
        return Push("incident", incident.incident_id, incident.incident_id, cot)

    def _gunshot(self, alert: AlertChanged) -> Push | None:
        uid = f"{self._settings.sender_uid}.gunshot.{alert.alert_id}"
        if alert.status in GUNSHOT_GONE:
            return self._delete(uid, "gunshot", alert.alert_id, alert.incident_id)
        if alert.lat is None or alert.lon is None:
            return None
        rounds = alert.details.get("rounds")
        signature = (alert.priority, alert.lat, alert.lon, rounds, alert.incident_id)
        if self._sent.get(uid) == signature:
            return None
        self._sent[uid] = signature
        shots = f"{rounds} rounds" if rounds is not None else None
        remarks = "; ".join(
            p
            for p in (f"GUNSHOT priority {alert.priority}", shots, alert.title, alert.address)
            if p
        )
        cot = self._cot(
            uid,
            self._settings.gunshot_type,
            "gunshot",
            (alert.lat, alert.lon),
            callsign=f"P{alert.priority} GUNSHOT",
            remarks=remarks,
            extra_xml=_colour(alert.priority),
        )
        return Push("gunshot", alert.alert_id, alert.incident_id, cot)

    def _plate_alert(self, alert: PlateAlertRaised) -> Push | None:
        uid = f"{self._settings.sender_uid}.lpr.{alert.alert_id}"
        if alert.status == "closed":
            return self._delete(uid, "plate_alert", alert.alert_id, None)
        if alert.status != "actionable" or alert.lat is None or alert.lon is None:
            return None  # only a hit an operator verified goes to the field
        signature = (alert.lat, alert.lon, alert.heading, alert.reader_code)
        if self._sent.get(uid) == signature:
            return None
        self._sent[uid] = signature
        reason = alert.reason_code.replace("_", " ")
        heading = f"heading {alert.heading:.0f}" if alert.heading is not None else None
        remarks = "; ".join(
            p
            for p in (
                f"VERIFIED PLATE ALERT {alert.plate}",
                f"{reason} ({alert.severity})",
                f"reader {alert.reader_code}",
                heading,
            )
            if p
        )
        cot = self._cot(
            uid,
            self._settings.plate_alert_type,
            "plate_alert",
            (alert.lat, alert.lon),
            callsign=f"LPR {alert.plate}",
            remarks=remarks,
            course=alert.heading,
        )
        return Push("plate_alert", alert.alert_id, None, cot)

    def _delete(self, uid: str, what: str, object_id: str, incident_id: str | None) -> Push | None:
        if self._sent.get(uid) == ("deleted",):
            return None
        self._sent[uid] = ("deleted",)
        now = self._clock.now()
        last = self._last.pop(uid, None)
        expired = None
        if last is not None:  # stale a moment from now, so it replaces the picture's marker
            expired = replace(last, time=now, start=now, stale=now + timedelta(milliseconds=1))
        link = f'<link uid={quoteattr(uid)} relation="none" type="none"/><__forcedelete/>'
        cot = CotEvent(
            uid=f"{uid}.delete",
            type=DELETE_TYPE,
            how="h-g-i-g-o",
            time=now,
            start=now,
            stale=now + timedelta(seconds=60),
            lat=0.0,
            lon=0.0,
            callsign=self._settings.sender_callsign,
            detail_xml=link,
        )
        return Push(what, object_id, incident_id, cot, expired)

    # --- sending

    async def _send(self, push: Push) -> None:
        assert self._tak is not None  # handle() runs only with a server
        if push.expired is not None:
            self._tak.publish(push.expired)
        if push.cot.type != DELETE_TYPE:
            self._last[push.cot.uid] = push.cot
        deliveries = self._tak.publish(push.cot)
        self.pushed += 1
        details = {
            "what": push.what,
            "cot_uid": push.cot.uid,
            "type": push.cot.type,
            "deliveries": deliveries,
        }
        entry = AuditEntry(
            "fieldlink.cot.sent", object_type=push.what, object_id=push.object_id, details=details
        )
        async with self._db.session() as session:
            if push.incident_id is not None:
                at = self._clock.now()
                add_entry(session, push.incident_id, at, "field.sent", "system:fieldlink", details)
            await self._audit.record(session, CONTEXT, entry)

    def _cot(
        self,
        uid: str,
        kind: str,
        what: str,
        point: tuple[float, float],
        *,
        callsign: str,
        remarks: str,
        extra_xml: str = "",
        course: float | None = None,
    ) -> CotEvent:
        """A marker; its detail is the typed fields' (contact, track, remarks) plus extra_xml."""
        now = self._clock.now()
        cot = CotEvent(
            uid=uid,
            type=kind,
            how="h-e",
            time=now,
            start=now,
            stale=self._stale(now, what),
            lat=point[0],
            lon=point[1],
            callsign=callsign,
            remarks=remarks[:1000],
            course=course,
        )
        return replace(cot, detail_xml=built_detail(cot) + extra_xml)

    def _stale(self, now: datetime, what: str) -> datetime:
        seconds = {
            "incident": self._settings.incident_stale_s,
            "gunshot": self._settings.gunshot_stale_s,
            "plate_alert": self._settings.plate_alert_stale_s,
        }[what]
        return now + timedelta(seconds=seconds)

    async def _incident_point(
        self, event: Event[Any], incident_id: str
    ) -> tuple[float, float] | None:
        if event.location is not None:
            return (event.location.lat, event.location.lon)
        row = await self._incidents.queue_row(incident_id)
        if row is None or row.lat is None or row.lon is None:
            return None
        return (row.lat, row.lon)


def _colour(priority: int | None) -> str:
    argb = PRIORITY_ARGB.get(priority or 0)
    return f'<color argb="{argb}"/>' if argb is not None else ""


async def _gather(follows: list[Any]) -> None:
    await asyncio.gather(*follows)
