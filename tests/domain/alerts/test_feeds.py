"""The sensor-feed HTTP intake: CAP 1.2 and sensor messages into the alert desk; refusals named,
quarantined and replayable; feed health."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from httpx import AsyncClient

from tests.domain.alerts.feed_support import cap, sensor
from tests.support.auth import feed_token, login_as
from watchfloor.app import Watchfloor
from watchfloor.core.context import Actor, RequestContext, Role
from watchfloor.core.errors import FieldProblem, InvalidInput
from watchfloor.domain.alerts.feeds import AlertFeeds
from watchfloor.domain.alerts.schemas import AlertReceipt
from watchfloor.events.alerts import AlertKind, AlertReport, AlertStatus

ADMIN = RequestContext(actor=Actor(username="admin.kay", role=Role.ADMIN))


async def _feed(wf: Watchfloor, client: AsyncClient) -> dict[str, str]:
    return {"Authorization": f"Bearer {await feed_token(wf, client)}"}


async def test_a_cap_alert_its_update_and_cancel_are_one_alert(
    wf: Watchfloor, client: AsyncClient
) -> None:
    headers = await _feed(wf, client) | {"Content-Type": "application/cap+xml"}
    answers = []
    for name in ("", "_update", "_cancel"):
        response = await client.post(
            "/api/alerts/cap", content=cap(f"nws_tornado_warning{name}.xml"), headers=headers
        )
        assert response.status_code == 200, response.text
        answers.append(response.json()["alerts"])
    assert [a[0]["outcome"] for a in answers] == ["created", "updated", "updated"]
    assert len({a[0]["alert_id"] for a in answers}) == 1
    alert = await wf.alerts.get(answers[0][0]["alert_id"])
    assert (alert.kind, alert.severity) == (AlertKind.CAP, "Extreme")
    assert alert.lat == pytest.approx(35.2)
    assert alert.details["msgType"] == "Cancel"
    assert [(s.source, s.reports) for s in alert.sources] == [("alerts-cap", 3)]
    assert wf.health.feed("alerts-cap").accepted == 3


async def test_a_test_message_is_accepted_without_an_alert(
    wf: Watchfloor, client: AsyncClient
) -> None:
    body = cap().replace(b"<status>Actual</status>", b"<status>Test</status>")
    response = await client.post("/api/alerts/cap", content=body, headers=await _feed(wf, client))
    assert response.json() == {"alerts": [], "ignored": 1}
    assert await wf.alerts.list() == []


async def test_an_invalid_cap_alert_names_the_element_and_is_held(
    wf: Watchfloor, client: AsyncClient
) -> None:
    body = cap().replace(b"<urgency>Immediate</urgency>", b"<urgency>Now</urgency>")
    response = await client.post("/api/alerts/cap", content=body, headers=await _feed(wf, client))
    assert response.status_code == 422
    [problem] = response.json()["error"]["problems"]
    assert problem["pointer"] == "/alert/info/urgency"
    assert "Now" in problem["reason"]
    [held] = await wf.quarantine.list(source="alerts-cap")
    assert held.problems[0].pointer == "/alert/info/urgency"
    replayed = await wf.quarantine.replay(held.id, ADMIN)
    assert replayed.status == "held"  # still invalid, held with its problems
    assert len(await wf.quarantine.list(source="alerts-cap")) == 1
    assert wf.health.feed("alerts-cap").rejected == 2


async def test_hostile_xml_is_refused(wf: Watchfloor, client: AsyncClient) -> None:
    bomb = b'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><a>&x;</a>'
    response = await client.post("/api/alerts/cap", content=bomb, headers=await _feed(wf, client))
    assert response.status_code == 400
    assert "forbidden" in response.json()["error"]["problems"][0]["reason"]


async def test_an_oversized_body_is_refused_and_its_head_held(
    wf: Watchfloor, client: AsyncClient
) -> None:
    limit = wf.settings.sensor_feeds.max_message_bytes
    body = cap().replace(b"<description>", b"<description>" + b"x" * limit)
    response = await client.post("/api/alerts/cap", content=body, headers=await _feed(wf, client))
    assert response.status_code == 413
    [held] = await wf.quarantine.list(source="alerts-cap")
    assert held.truncated


async def test_sensor_messages_of_one_activation_are_one_alert_that_a_clear_ends(
    wf: Watchfloor, client: AsyncClient
) -> None:
    headers = await _feed(wf, client)
    now = wf.clock.now()
    first = [sensor(now - timedelta(minutes=2)), sensor(now - timedelta(minutes=1), value=1.6)]
    one = await client.post("/api/alerts/sensors", json=first, headers=headers)
    assert one.status_code == 200, one.text
    two = await client.post(
        "/api/alerts/sensors", json=sensor(now, state="cleared"), headers=headers
    )
    receipts = one.json()["alerts"] + two.json()["alerts"]
    assert [r["outcome"] for r in receipts] == ["created", "updated", "updated"]
    [alert] = await wf.alerts.list(kind=AlertKind.SENSOR)
    assert (alert.subject, alert.lat, alert.lon) == ("FLOOD-0007", 60.1699, 24.9384)
    assert alert.details["state"] == "cleared"
    assert alert.sources[0].reports == 3
    again = await client.post("/api/alerts/sensors", json=sensor(now), headers=headers)
    assert again.json()["alerts"][0]["outcome"] == "created"  # a new activation


async def test_bad_sensor_messages_are_named_held_and_nothing_is_stored(
    wf: Watchfloor, client: AsyncClient
) -> None:
    now = wf.clock.now()
    body = [sensor(now), sensor(now, latitude=123.0)]
    response = await client.post("/api/alerts/sensors", json=body, headers=await _feed(wf, client))
    assert response.status_code == 422
    assert response.json()["error"]["problems"][0]["pointer"] == "/1/latitude"
    [held] = await wf.quarantine.list(source="alerts-sensor")
    detail = await wf.quarantine.get(held.id, ADMIN)
    assert json.loads(detail.body_text or "") == body
    assert await wf.alerts.list() == []


async def test_only_feeds_and_admins_may_post(wf: Watchfloor, client: AsyncClient) -> None:
    await login_as(wf, client, Role.OPERATOR)
    response = await client.post("/api/alerts/sensors", json=sensor(wf.clock.now()))
    assert response.status_code == 403


class RefusingOnce:
    """A desk that refuses the first reports it is given (as it would refuse a bad report)."""

    def __init__(self, wf: Watchfloor) -> None:
        self.wf = wf
        self.refusals = 1

    async def receive(
        self, reports: list[AlertReport], context: RequestContext
    ) -> list[AlertReceipt]:
        if self.refusals:
            self.refusals -= 1
            raise InvalidInput("refused", [FieldProblem("/title", "not today")])
        return await self.wf.alerts.receive(reports, context)

    async def open_alerts(self, since: Any) -> Any:
        return await self.wf.alerts.open_alerts(since)


async def test_a_held_sensor_payload_replays_into_an_alert(wf: Watchfloor) -> None:
    feeds = AlertFeeds(
        RefusingOnce(wf), wf.quarantine, wf.health, wf.cameras, wf.clock, wf.settings.sensor_feeds
    )
    raw = json.dumps(sensor(wf.clock.now())).encode()
    with pytest.raises(InvalidInput):
        await feeds.accept_sensors(raw, "application/json", ADMIN)
    [held] = await wf.quarantine.list(source="alerts-sensor")
    replayed = await wf.quarantine.replay(held.id, ADMIN)
    assert replayed.status == "replayed"
    assert replayed.replay_outcome == "1 alert reports stored, 0 ignored"
    [alert] = await wf.alerts.list(kind=AlertKind.SENSOR)
    assert alert.status is AlertStatus.NEW
