"""Reads arriving by MQTT (a real Mosquitto) and as ONVIF LicensePlate events."""

from __future__ import annotations

import asyncio
import base64
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import aiomqtt
import orjson
import pytest
from httpx import AsyncClient
from sqlalchemy import text

from tests.domain.lpr.support import hotlist_entry, read, reader
from tests.support.auth import feed_token, login_as
from tests.support.mosquitto import Mosquitto
from watchfloor.app import Watchfloor, build
from watchfloor.core.clock import ManualClock
from watchfloor.core.context import Role
from watchfloor.settings import Settings

ONVIF = """<?xml version="1.0" encoding="UTF-8"?>
<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope"
  xmlns:wsnt="http://docs.oasis-open.org/wsn/b-2" xmlns:tt="http://www.onvif.org/ver10/schema"
  xmlns:tns1="http://www.onvif.org/ver10/topics">
 <env:Body><wsnt:Notify><wsnt:NotificationMessage>
  <wsnt:Topic Dialect="http://www.onvif.org/ver10/tev/topicExpression/ConcreteSet"
   >tns1:RuleEngine/Recognition/LicensePlate</wsnt:Topic>
  <wsnt:Message><tt:Message UtcTime="{time}">
   <tt:Source><tt:SimpleItem Name="Rule" Value="LPR-Lane-1"/></tt:Source>
   <tt:Data>
    <tt:SimpleItem Name="PlateNumber" Value="{plate}"/>
    <tt:SimpleItem Name="IssuingEntity" Value="CA"/>
    <tt:SimpleItem Name="Likelihood" Value="0.91"/>
   </tt:Data>
  </tt:Message></wsnt:Message>
 </wsnt:NotificationMessage></wsnt:Notify></env:Body>
</env:Envelope>"""


def _onvif(wf: Watchfloor, plate: str) -> bytes:
    when = wf.clock.now().isoformat().replace("+00:00", "Z")
    return ONVIF.format(time=when, plate=plate).encode()


async def _plates(wf: Watchfloor) -> list[str]:
    async with wf.db.read_session() as session:
        rows = await session.execute(text("SELECT plate FROM lpr_read ORDER BY id"))
        return list(rows.scalars())


async def test_an_onvif_plate_event_is_stored_and_can_hit(
    wf: Watchfloor, client: AsyncClient
) -> None:
    await reader(wf, "CAM-12")
    await hotlist_entry(wf, "ABC1234")
    headers = {"Authorization": f"Bearer {await feed_token(wf, client)}"}
    response = await client.post(
        "/api/lpr/onvif/CAM-12", content=_onvif(wf, "ABC 1234"), headers=headers
    )
    assert response.status_code == 200, response.text
    assert response.json()["hits"] == 1
    assert await _plates(wf) == ["ABC1234"]


async def test_an_onvif_event_from_an_unknown_camera_is_held_with_its_reader_and_replays(
    wf: Watchfloor, client: AsyncClient
) -> None:
    headers = {"Authorization": f"Bearer {await feed_token(wf, client)}"}
    refused = await client.post(
        "/api/lpr/onvif/CAM-99", content=_onvif(wf, "XYZ987"), headers=headers
    )
    assert refused.status_code == 422
    assert refused.json()["error"]["problems"][0]["pointer"] == "/0/reader"
    await reader(wf, "CAM-99")
    await login_as(wf, client, Role.ADMIN)
    [held] = (await client.get("/api/admin/quarantine")).json()
    assert held["source"] == "lpr-onvif"
    detail = (await client.get(f"/api/admin/quarantine/{held['id']}")).json()
    kept = orjson.loads(base64.b64decode(detail["body_base64"]))
    assert kept["reader"] == "CAM-99"
    assert base64.b64decode(kept["xml_base64"]) == _onvif(wf, "XYZ987")
    replayed = await client.post(f"/api/admin/quarantine/{held['id']}/replay")
    assert replayed.status_code == 200, replayed.text
    assert await _plates(wf) == ["XYZ987"]


@pytest.fixture
def broker(tmp_path: Path) -> Iterator[Mosquitto]:
    """A real Mosquitto for the readers to publish to."""
    mosquitto = Mosquitto(tmp_path)
    mosquitto.start()
    try:
        yield mosquitto
    finally:
        mosquitto.stop()


async def test_reads_published_over_mqtt_are_stored_and_bad_ones_held(
    settings: Settings, clock: ManualClock, broker: Mosquitto
) -> None:
    configured = settings.model_copy(
        update={"lpr": settings.lpr.model_copy(update={"mqtt_url": broker.url})}
    )
    wf = build(configured, clock=clock, migrate=False)
    await reader(wf, "ALPR-7")
    await wf.start()
    try:
        for _ in range(200):
            if wf.health.feed("lpr-mqtt").connected:
                break
            await asyncio.sleep(0.05)
        async with aiomqtt.Client("127.0.0.1", broker.port, identifier="reader-7") as publisher:
            good = read("MQT123", clock.now() - timedelta(seconds=2), reader_code="ALPR-7")
            del good["reader"]  # the topic names the reader
            await publisher.publish("watchfloor/lpr/ALPR-7/reads", orjson.dumps([good]), qos=1)
            bad = read("MQT999", clock.now() + timedelta(hours=2))
            del bad["reader"]
            await publisher.publish("watchfloor/lpr/ALPR-7/reads", orjson.dumps(bad), qos=1)
        for _ in range(200):
            held = await wf.quarantine.list(source="lpr-mqtt")
            if await _plates(wf) and held:
                break
            await asyncio.sleep(0.05)
        assert await _plates(wf) == ["MQT123"]
        [refused] = held
        assert refused.problems[0].pointer == "/0/captured_at"
    finally:
        await wf.stop()
