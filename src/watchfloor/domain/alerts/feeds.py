"""The sensor feeds into the alert desk: CAP 1.2 public alerts, IoT sensor messages and Frigate's
MQTT events and reviews, over HTTP and MQTT.

Each payload is translated by its connector, then stored through `AlertDesk.receive` before it
is answered or acknowledged. A payload the connector or the desk refuses is quarantined whole
under its feed (`alerts-cap`, `alerts-sensor`, `alerts-frigate`), answered 4xx over HTTP and
acknowledged over MQTT (it is safe here); only a store failure leaves an MQTT message
unacknowledged, for the broker to send again. Feed health is reported under the same names.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal, NoReturn, Protocol

from watchfloor.connectors.cap.mapping import cap_reports
from watchfloor.connectors.cap.parse import parse_cap
from watchfloor.connectors.frigate.activities import FrigateActivities
from watchfloor.connectors.frigate.messages import EventMessage, decode
from watchfloor.connectors.mqtt.subscriber import MqttSubscriber
from watchfloor.connectors.sensors.activations import Plan, SensorActivations
from watchfloor.connectors.sensors.messages import decode_sensor_messages
from watchfloor.core.clock import Clock
from watchfloor.core.context import Actor, RequestContext
from watchfloor.core.errors import DomainError, PayloadTooLarge
from watchfloor.core.health import HealthRegistry
from watchfloor.domain.alerts.schemas import AlertReceipt
from watchfloor.domain.cameras.schemas import CameraOut
from watchfloor.domain.cameras.service import CameraRegistry
from watchfloor.domain.quarantine.service import QuarantineService
from watchfloor.events.alerts import AlertChanged, AlertKind, AlertReport
from watchfloor.settings import SensorFeedSettings

log = logging.getLogger(__name__)

FEED_CAP = "alerts-cap"
FEED_SENSOR = "alerts-sensor"
FEED_FRIGATE = "alerts-frigate"
FEED_MQTT = "alerts-mqtt"
MQTT_CONTEXT = RequestContext(actor=Actor.system("alerts-mqtt"))
REPLAY_CONTEXT = RequestContext(actor=Actor.system("quarantine-replay"))
FRIGATE_HELD_TYPE = "application/vnd.watchfloor.frigate-message+json"
SEVERITY_RANK = {"detection": 1, "alert": 2}


@dataclass(frozen=True)
class Accepted:
    """What a payload became: the desk's receipts, and how many messages raised no alert."""

    receipts: list[AlertReceipt]
    ignored: int = 0

    def summary(self) -> str:
        """A short outcome for the quarantine's replay record."""
        return f"{len(self.receipts)} alert reports stored, {self.ignored} ignored"


class AlertReceiver(Protocol):
    """What the feeds need of the alert desk."""

    async def receive(
        self, reports: list[AlertReport], context: RequestContext
    ) -> list[AlertReceipt]: ...

    async def open_alerts(self, since: datetime) -> list[AlertChanged]: ...


class AlertFeeds:
    """Translates, stores and quarantines what the CAP, sensor and Frigate feeds send."""

    def __init__(
        self,
        desk: AlertReceiver,
        quarantine: QuarantineService,
        health: HealthRegistry,
        cameras: CameraRegistry,
        clock: Clock,
        settings: SensorFeedSettings,
        stale_after_s: float = 900.0,
    ) -> None:
        self._desk = desk
        self._quarantine = quarantine
        self._health = health
        self._clock = clock
        self._settings = settings
        self._stale_after_s = stale_after_s
        self.cameras = CameraNames(cameras, settings.camera_names)
        self.sensors = SensorActivations()
        self.frigate = FrigateActivities(reviews=settings.frigate_reviews)
        quarantine.register_replayer(FEED_CAP, self._replay_cap)
        quarantine.register_replayer(FEED_SENSOR, self._replay_sensors)
        quarantine.register_replayer(FEED_FRIGATE, self._replay_frigate)

    # --- intake

    async def accept_cap(
        self, raw: bytes, content_type: str | None, context: RequestContext, *, hold: bool = True
    ) -> Accepted:
        """A CAP 1.2 document: its alert stored, or refused (and quarantined when `hold`)."""

        async def translate() -> tuple[list[AlertReport], int]:
            reports = cap_reports(parse_cap(raw, self._settings.max_message_bytes))
            wanted = set(self._settings.cap_statuses)
            kept = [r for r in reports if r.details.get("status") in wanted]
            return kept, 0 if kept else 1

        return await self._accept(FEED_CAP, raw, content_type, context, translate, hold)

    async def accept_sensors(
        self, raw: bytes, content_type: str | None, context: RequestContext, *, hold: bool = True
    ) -> Accepted:
        """Sensor messages: all their alerts stored, or all refused (and quarantined)."""
        plans: list[Plan] = []

        async def translate() -> tuple[list[AlertReport], int]:
            self._check_size(raw)
            plan = self.sensors.plan(decode_sensor_messages(raw, self._settings.max_sensor_batch))
            plans.append(plan)
            return plan.reports, plan.ignored

        accepted = await self._accept(FEED_SENSOR, raw, content_type, context, translate, hold)
        self.sensors.commit(plans[0])
        return accepted

    async def accept_frigate(
        self,
        kind: Literal["events", "reviews"],
        raw: bytes,
        context: RequestContext,
        *,
        hold: bool = True,
    ) -> Accepted:
        """A Frigate events or reviews message: its activity's alert stored, or refused."""
        held = json.dumps({"topic": kind, "payload": raw.decode("utf-8", "replace")}).encode()

        async def translate() -> tuple[list[AlertReport], int]:
            self._check_size(raw)
            message = decode(kind, raw)
            if isinstance(message, EventMessage):
                report = self.frigate.on_event(message)
            else:
                report = self.frigate.on_review(message)
            if report is None or not self._severe_enough(report):
                return [], 1
            return [await self.cameras.place(report)], 0

        return await self._accept(FEED_FRIGATE, held, FRIGATE_HELD_TYPE, context, translate, hold)

    async def accept_mqtt(self, topic: str, payload: bytes) -> None:
        """One MQTT message, by topic: Frigate events or reviews, else sensor JSON or CAP XML.
        A refused payload is quarantined and does not raise (the broker may forget it); a
        store failure raises, so the message is not acknowledged."""
        kind = self._frigate_kind(topic)
        try:
            if kind is not None:
                await self.accept_frigate(kind, payload, MQTT_CONTEXT)
            elif payload.lstrip()[:1] == b"<":
                await self.accept_cap(payload, "application/cap+xml", MQTT_CONTEXT)
            else:
                await self.accept_sensors(payload, "application/json", MQTT_CONTEXT)
        except DomainError as error:
            log.info("MQTT message on %s refused: %s", topic[:200], error.message)

    async def reject_oversized(
        self, feed: str, head: bytes, size: int, content_type: str | None, error: DomainError
    ) -> NoReturn:
        """Quarantine the head of a body that was over the limit, and raise its error."""
        self._health.feed(feed, self._stale_after_s)
        await self._quarantine.hold(feed, head, content_type, error, size=size)
        self._health.feed_rejected(feed, error.message)
        raise error

    def subscriber(self) -> MqttSubscriber | None:
        """The MQTT subscription of these feeds, when a broker is configured."""
        settings = self._settings
        if not settings.mqtt_url:
            return None
        topics = list(settings.sensor_topics)
        if settings.frigate_topic_prefix:
            topics += [f"{settings.frigate_topic_prefix}/{leaf}" for leaf in ("events", "reviews")]
        return MqttSubscriber(
            settings.mqtt_url,
            topics,
            self.accept_mqtt,
            self._health,
            feed=FEED_MQTT,
            client_id=settings.mqtt_client_id,
        )

    async def warm(self) -> None:
        """Restore open sensor activations and Frigate reviews from the open alerts."""
        since = self._clock.now() - timedelta(hours=self._settings.warm_start_hours)
        for alert in await self._desk.open_alerts(since):
            details = alert.details
            if alert.kind is AlertKind.SENSOR and details.get("activation"):
                sensor, kind = str(details.get("sensor_id")), str(details.get("sensor_kind"))
                self.sensors.remember(sensor, kind, str(details["activation"]))
            elif alert.kind is AlertKind.ANALYTICS and details.get("review"):
                self.frigate.remember(details)

    # --- shared steps

    async def _accept(
        self,
        feed: str,
        held: bytes,
        content_type: str | None,
        context: RequestContext,
        translate: Callable[[], Awaitable[tuple[list[AlertReport], int]]],
        hold: bool,
    ) -> Accepted:
        self._health.feed(feed, self._stale_after_s)
        try:
            reports, ignored = await translate()
            receipts = await self._desk.receive(reports, context)
        except DomainError as error:
            if hold:
                await self._quarantine.hold(feed, held, content_type, error)
            self._health.feed_rejected(feed, error.message)
            raise
        self._health.feed_accepted(feed, len(reports) + ignored)
        return Accepted(receipts, ignored)

    def _check_size(self, raw: bytes) -> None:
        if len(raw) > self._settings.max_message_bytes:
            limit = self._settings.max_message_bytes
            raise PayloadTooLarge(f"message is larger than {limit} bytes")

    def _severe_enough(self, report: AlertReport) -> bool:
        severity = report.details.get("severity")
        if severity is None:
            return True  # a tracked object without a review (older Frigate)
        wanted = SEVERITY_RANK[self._settings.frigate_min_severity]
        return SEVERITY_RANK.get(str(severity), 0) >= wanted

    def _frigate_kind(self, topic: str) -> Literal["events", "reviews"] | None:
        prefix = self._settings.frigate_topic_prefix
        if not prefix:
            return None
        if topic == f"{prefix}/events":
            return "events"
        if topic == f"{prefix}/reviews":
            return "reviews"
        return None

    # --- replay from the quarantine

    async def _replay_cap(self, body: bytes) -> str:
        accepted = await self.accept_cap(body, None, REPLAY_CONTEXT, hold=False)
        return accepted.summary()

    async def _replay_sensors(self, body: bytes) -> str:
        accepted = await self.accept_sensors(body, None, REPLAY_CONTEXT, hold=False)
        return accepted.summary()

    async def _replay_frigate(self, body: bytes) -> str:
        held = json.loads(body)
        kind: Literal["events", "reviews"] = "events" if held["topic"] == "events" else "reviews"
        raw = str(held["payload"]).encode()
        accepted = await self.accept_frigate(kind, raw, REPLAY_CONTEXT, hold=False)
        return accepted.summary()


class CameraNames:
    """Frigate's (or a vendor's) camera names as Watchfloor cameras: the configured map first,
    then the camera whose external_ref is the name, then the one whose code is."""

    def __init__(self, registry: CameraRegistry, names: dict[str, str]) -> None:
        self._registry = registry
        self._names = names
        self._revision = -1
        self._by_code: dict[str, CameraOut] = {}
        self._by_ref: dict[str, CameraOut] = {}

    async def find(self, name: str) -> tuple[str, CameraOut | None]:
        """The camera code for a name, and the camera when it is registered."""
        if self._revision != self._registry.revision:
            await self._load()
        if name in self._names:
            code = self._names[name]
            return code, self._by_code.get(code)
        camera = self._by_ref.get(name) or self._by_code.get(name)
        return (camera.code, camera) if camera is not None else (name, None)

    async def place(self, report: AlertReport) -> AlertReport:
        """The report with its subject the Watchfloor camera code, at the camera's position."""
        if report.subject is None:
            return report
        code, camera = await self.find(report.subject)
        update: dict[str, object] = {"subject": code[:200]}
        if camera is not None:
            lat = camera.lat if camera.lat is not None else camera.last_lat
            lon = camera.lon if camera.lon is not None else camera.last_lon
            if lat is not None and lon is not None:
                update |= {"lat": lat, "lon": lon}
        return report.model_copy(update=update)

    async def _load(self) -> None:
        # The registry's revision moves on every write, so the index is rebuilt only then.
        revision = self._registry.revision
        cameras = await self._registry.list()
        self._by_code = {camera.code: camera for camera in cameras}
        self._by_ref = {c.external_ref: c for c in cameras if c.external_ref}
        self._revision = revision
