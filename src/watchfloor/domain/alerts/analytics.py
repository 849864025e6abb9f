"""The analytics bridge: cameras' own video analytics (ONVIF rule engine events on the bus as
`camera.<kind>.started|ended`) become alerts, one per camera + rule activity.

- Stateful rules (an intrusion field holding objects, loitering) are one activity from the first
  `started` until every object they hold has ended; the last `ended` ends the alert. An `ended`
  with no activity open (a subscription's initial state) makes nothing.
- Momentary rules (a line crossed, an object detected) never end: crossings of one rule on one
  camera closer together than `analytics_window_s` are one activity; a later one starts another.

Every report of an activity shares source_ref "<camera>|<kind>|<rule>|<start>", so the desk
merges them. Activities live in memory; `remember` restores open ones from the open alerts.
"""

from __future__ import annotations

import logging
from collections.abc import Coroutine
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from watchfloor.core.bus import EventBus, Subscription
from watchfloor.core.clock import Clock
from watchfloor.core.context import Actor, RequestContext
from watchfloor.core.events import Event
from watchfloor.domain.alerts.feeds import AlertReceiver
from watchfloor.events.alerts import AlertKind, AlertReport
from watchfloor.events.cameras import CameraEvent, CameraEventKind
from watchfloor.settings import SensorFeedSettings

log = logging.getLogger(__name__)

SOURCE = "onvif-analytics"
CONTEXT = RequestContext(actor=Actor.system(SOURCE))
MOMENTARY = frozenset({CameraEventKind.LINE_CROSSED, CameraEventKind.OBJECT_DETECTED})
TITLES = {
    CameraEventKind.LINE_CROSSED: "Line crossed",
    CameraEventKind.OBJECTS_INSIDE: "Intrusion",
    CameraEventKind.LOITERING: "Loitering",
    CameraEventKind.OBJECT_DETECTED: "Object detected",
}
MAX_ACTIVITIES = 10_000
Key = tuple[str, str, str]


@dataclass
class Activity:
    """One open activity of a rule on a camera."""

    ref: str
    started: datetime
    last: datetime
    objects: set[str] = field(default_factory=set)


class AnalyticsBridge:
    """Follows camera analytics events on the bus and hands their alert reports to the desk."""

    def __init__(
        self, bus: EventBus, desk: AlertReceiver, clock: Clock, settings: SensorFeedSettings
    ) -> None:
        self._bus = bus
        self._desk = desk
        self._clock = clock
        self._warm_hours = settings.warm_start_hours
        self._kinds = frozenset(CameraEventKind(kind) for kind in settings.analytics_sources)
        self._window = timedelta(seconds=settings.analytics_window_s)
        self._open: dict[Key, Activity] = {}

    def follow(self) -> Coroutine[Any, Any, None]:
        """Subscribe now (no event published after this call is missed) and return the task
        body that reports until cancelled."""
        return self._follow(self._bus.subscribe("camera.>"))

    async def _follow(self, subscription: Subscription) -> None:
        try:
            async for event in subscription:
                if not event.kind.endswith((".started", ".ended")):
                    continue
                report = self.report(event)
                if report is None:
                    continue
                try:
                    await self._desk.receive([report], CONTEXT)
                except Exception:  # a bus event cannot come again: log it, keep following
                    log.exception("analytics alert of %s not stored", event.source)
        finally:
            subscription.close()

    def report(self, event: Event[Any]) -> AlertReport | None:
        """The alert report for one camera event, or None when it makes none."""
        payload = event.payload
        if not isinstance(payload, CameraEvent) or payload.kind not in self._kinds:
            return None
        key = (payload.camera, payload.kind.value, _rule(payload))
        if payload.kind in MOMENTARY:
            return _report(event, payload, key, self._momentary(key, payload), False)
        activity = self._stateful(key, payload)
        if activity is None:
            return None
        return _report(event, payload, key, activity, key not in self._open)

    async def warm(self) -> None:
        """Restore the open activities from the open analytics alerts."""
        since = self._clock.now() - timedelta(hours=self._warm_hours)
        for alert in await self._desk.open_alerts(since):
            if alert.kind is AlertKind.ANALYTICS and alert.details.get("analytics") == "onvif":
                self.remember(alert.details)

    def remember(self, details: dict[str, Any]) -> None:
        """Restore an open activity from the details of its alert."""
        activity = details.get("activity")
        if not isinstance(activity, dict):
            return
        try:
            key = (str(activity["camera"]), str(activity["kind"]), str(activity["rule"]))
            started = datetime.fromisoformat(str(activity["started_at"]))
        except (KeyError, ValueError):
            return
        objects = {str(o) for o in activity.get("objects") or []}
        self._open[key] = Activity(str(activity["ref"]), started, started, objects)

    def _momentary(self, key: Key, event: CameraEvent) -> Activity:
        current = self._open.get(key)
        if current is None or event.at - current.last > self._window:
            current = self._start(key, event)
        current.last = max(current.last, event.at)
        current.objects |= _objects(event)
        return current

    def _stateful(self, key: Key, event: CameraEvent) -> Activity | None:
        current = self._open.get(key)
        if event.active:
            current = current or self._start(key, event)
            current.last = max(current.last, event.at)
            current.objects |= _objects(event) or {""}
            return current
        if current is None:
            return None  # nothing open: an initial "false" state, or an end already seen
        gone = _objects(event)
        if not gone or current.objects <= {""}:
            current.objects.clear()  # the rule as a whole, or objects it never named
        else:
            current.objects -= gone
        current.last = max(current.last, event.at)
        if not current.objects:
            del self._open[key]
        return current

    def _start(self, key: Key, event: CameraEvent) -> Activity:
        if len(self._open) >= MAX_ACTIVITIES:
            self._forget_oldest()
        ref = "|".join((*key, event.at.isoformat()))[:200]
        self._open[key] = Activity(ref, event.at, event.at)
        return self._open[key]

    def _forget_oldest(self) -> None:
        oldest = sorted(self._open, key=lambda k: self._open[k].last)
        for key in oldest[: len(oldest) // 10 + 1]:
            del self._open[key]


def _rule(event: CameraEvent) -> str:
    source = event.source
    rule = source.get("Rule") or source.get("VideoAnalyticsConfigurationToken") or ""
    return rule[:80]


def _objects(event: CameraEvent) -> set[str]:
    object_id = event.source.get("ObjectId") or event.data.get("ObjectId")
    return {object_id} if object_id else set()


def _report(
    event: Event[Any], payload: CameraEvent, key: Key, activity: Activity, ended: bool
) -> AlertReport:
    camera, kind, rule = key
    title = f"{TITLES.get(payload.kind, kind)} on {camera}" + (f" ({rule})" if rule else "")
    classes = payload.data.get("ClassTypes")
    if classes:
        title += f": {classes}"
    location = event.location
    details = {
        "analytics": "onvif",
        "event_kind": kind,
        "rule": rule or None,
        "topic": payload.topic,
        "class_types": classes.split() if classes else [],
        "activity": {
            "ref": activity.ref,
            "camera": camera,
            "kind": kind,
            "rule": rule,
            "started_at": activity.started.isoformat(),
            "objects": sorted(activity.objects - {""}),
        },
    }
    return AlertReport(
        kind=AlertKind.ANALYTICS,
        source=SOURCE,
        source_ref=activity.ref,
        occurred_at=activity.started,
        title=title[:300],
        lat=location.lat if location else None,
        lon=location.lon if location else None,
        subject=camera,
        ended=ended,
        details=details,
    )
