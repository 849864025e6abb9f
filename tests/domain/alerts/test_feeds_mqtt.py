"""Sensor JSON, CAP XML and Frigate events/reviews through a real Mosquitto into the alert desk:
one alert per activity; a message whose store fails is delivered again."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import timedelta
from typing import Any

import aiomqtt

from tests.domain.alerts.feed_support import cap, frigate, sensor
from tests.support.mosquitto import Mosquitto, mosquitto  # noqa: F401
from watchfloor.app import Watchfloor, build
from watchfloor.core.clock import ManualClock
from watchfloor.core.context import Actor, RequestContext, Role
from watchfloor.domain.alerts.schemas import AlertReceipt
from watchfloor.domain.cameras.schemas import CameraIn
from watchfloor.events.alerts import AlertKind, AlertReport
from watchfloor.settings import Settings

WAIT_S = 15.0
ADMIN = RequestContext(actor=Actor(username="admin.kay", role=Role.ADMIN))
FRONT_CAM = {
    "code": "CAM-FRONT",
    "name": "Front entrance",
    "kind": "city",
    "owner": "City of Riverside",
    "lat": 60.17,
    "lon": 24.94,
    "external_ref": "front_cam",
}


async def until(condition: Callable[[], Any], what: str) -> None:
    for _ in range(int(WAIT_S / 0.05)):
        if await condition():
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"not within {WAIT_S} s: {what}")


@asynccontextmanager
async def running(
    settings: Settings, clock: ManualClock, broker: Mosquitto
) -> AsyncIterator[Watchfloor]:
    feeds = settings.sensor_feeds.model_copy(
        update={"mqtt_url": broker.url, "camera_names": {"porch": "CAM-PORCH"}}
    )
    wf = build(settings.model_copy(update={"sensor_feeds": feeds}), clock=clock, migrate=False)
    await wf.start()
    try:
        await until(_connected(wf), "subscribed")
        yield wf
    finally:
        await wf.stop()


def _connected(wf: Watchfloor) -> Callable[[], Any]:
    async def check() -> bool:
        return bool(wf.health.feed("alerts-mqtt").connected)

    return check


async def publish(broker: Mosquitto, *messages: tuple[str, bytes]) -> None:
    async with aiomqtt.Client("127.0.0.1", broker.port, identifier="test-sensors") as client:
        for topic, payload in messages:
            await client.publish(topic, payload, qos=1)


async def test_every_feed_over_mqtt_makes_one_alert_per_activity(
    settings: Settings,
    clock: ManualClock,
    mosquitto: Mosquitto,  # noqa: F811
) -> None:
    async with running(settings, clock, mosquitto) as wf:
        await wf.cameras.create(
            CameraIn.model_validate(FRONT_CAM),
            ADMIN,
        )
        now = clock.now()
        flood = [sensor(now - timedelta(seconds=s)) for s in (30, 20, 10)]
        messages = [("watchfloor/sensors/flood/FLOOD-0007", json.dumps(m).encode()) for m in flood]
        messages.append(
            ("watchfloor/sensors/flood/FLOOD-0007", json.dumps(sensor(now, "cleared")).encode())
        )
        messages.append(("watchfloor/sensors/cap/nws", cap()))
        messages.append(("watchfloor/sensors/cap/nws", cap("nws_tornado_warning_update.xml")))
        messages += frigate()
        messages.append(("watchfloor/sensors/bad", b'{"sensor_id": "X"}'))
        await publish(mosquitto, *messages)

        async def all_in() -> bool:
            held = await wf.quarantine.list(source="alerts-sensor")
            alerts = await wf.alerts.list()
            return bool(held) and sum(s.reports for a in alerts for s in a.sources) >= 4 + 2 + 5

        await until(all_in, "every message stored or held")
        [flood_alert] = await wf.alerts.list(kind=AlertKind.SENSOR)
        assert flood_alert.sources[0].reports == 4
        assert flood_alert.details["state"] == "cleared"
        [cap_alert] = await wf.alerts.list(kind=AlertKind.CAP)
        assert cap_alert.sources[0].reports == 2
        [activity] = await wf.alerts.list(kind=AlertKind.ANALYTICS)
        assert activity.sources[0].source == "alerts-frigate"
        # from the upgrade to an alert on: the review's update, the car joining, both objects
        # ending and the review's end (its detection-level start is below the minimum severity)
        assert activity.sources[0].reports == 5
        assert activity.severity == "alert"
        assert (activity.subject, activity.lat, activity.lon) == ("CAM-FRONT", 60.17, 24.94)
        assert activity.title == "person, car on front_cam in driveway"
        [held] = await wf.quarantine.list(source="alerts-sensor")
        assert held.problems[0].pointer == "/kind"


class FailingOnce:
    """Wraps the desk: the first receive fails as a store that is down would."""

    def __init__(self, wf: Watchfloor) -> None:
        self.wf = wf
        self.failures = 1
        self.calls = 0

    async def receive(
        self, reports: list[AlertReport], context: RequestContext
    ) -> list[AlertReceipt]:
        self.calls += 1
        if self.failures:
            self.failures -= 1
            raise ConnectionError("database down")
        return await self.wf.alerts.receive(reports, context)

    async def open_alerts(self, since: Any) -> Any:
        return await self.wf.alerts.open_alerts(since)


async def test_a_message_whose_store_fails_is_delivered_again(
    settings: Settings,
    clock: ManualClock,
    mosquitto: Mosquitto,  # noqa: F811
) -> None:
    async with running(settings, clock, mosquitto) as wf:
        desk = FailingOnce(wf)
        wf.alert_feeds._desk = desk
        await publish(mosquitto, ("watchfloor/sensors/x", json.dumps(sensor(clock.now())).encode()))

        async def stored() -> bool:
            return bool(await wf.alerts.list(kind=AlertKind.SENSOR))

        await until(stored, "the message again after the failure")
        assert desk.calls == 2
        [alert] = await wf.alerts.list(kind=AlertKind.SENSOR)
        assert alert.sources[0].reports == 1
        assert await wf.quarantine.list() == []
