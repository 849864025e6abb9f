"""The hotlisted-read rule: a real hotlist hit (a read posted to the plate-read intake) inside a
zone with the rule becomes one geofence alert at the alert desk."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from httpx import AsyncClient
from sqlalchemy import select

from tests.domain.geofences.support import OUTSIDE, geofence
from tests.domain.lpr.support import hotlist_entry, read, reader
from tests.support.auth import feed_token
from watchfloor.app import Watchfloor
from watchfloor.core.bus import Subscription
from watchfloor.domain.geofences.models import GeofenceFiring
from watchfloor.events.alerts import AlertKind


@pytest.fixture
async def started(wf: Watchfloor) -> Watchfloor:
    """The Watchfloor running (the rule follows the bus from start to stop)."""
    await wf.start()
    return wf


async def _post_read(wf: Watchfloor, client: AsyncClient, document: dict[str, Any]) -> str:
    token = await feed_token(wf, client)
    response = await client.post(
        "/api/lpr/reads", json=document, headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 200, response.text
    [alert_id] = response.json()["alerts"]
    return str(alert_id)


async def _fired(subscription: Subscription) -> Any:
    event = await subscription.get(timeout=10)
    return event.payload


async def test_a_hotlisted_vehicle_read_inside_a_school_zone_raises_one_alert(
    started: Watchfloor, client: AsyncClient
) -> None:
    wf = started
    await reader(wf)  # at the spot the zones surround
    await hotlist_entry(wf, "ABC123", reason="stolen_vehicle")
    zone = await geofence(wf, name="Lincoln Elementary", kind="school_zone")
    fired = wf.bus.subscribe("geofence.rule.fired")

    lpr_alert_id = await _post_read(wf, client, read("ABC 123", wf.clock.now()))

    event = await _fired(fired)
    assert event.source_ref == f"{zone.id}:{lpr_alert_id}"
    [alert] = await wf.alerts.list(kind=AlertKind.GEOFENCE)
    assert (
        alert.title
        == "Hotlisted vehicle ABC123 (stolen vehicle) inside Lincoln Elementary school zone"
    )
    assert alert.subject == "ABC123"
    assert alert.priority == 2
    assert alert.details["geofence_id"] == zone.id
    assert alert.details["geofence_name"] == "Lincoln Elementary"
    assert alert.details["lpr_alert_id"] == lpr_alert_id
    assert alert.details["reason_code"] == "stolen_vehicle"
    assert [s.source for s in alert.sources] == ["geofence"]


async def test_a_repeat_read_joining_the_plate_alert_does_not_fire_again(
    started: Watchfloor, client: AsyncClient
) -> None:
    wf = started
    await reader(wf)
    await hotlist_entry(wf, "ABC123")
    await hotlist_entry(wf, "XYZ789")
    zone = await geofence(wf)
    fired = wf.bus.subscribe("geofence.rule.fired")
    first = await _post_read(wf, client, read("ABC123", wf.clock.now()))
    await _fired(fired)
    wf.clock.advance(timedelta(seconds=30))  # type: ignore[attr-defined]

    assert await _post_read(wf, client, read("ABC123", wf.clock.now())) == first
    other = await _post_read(wf, client, read("XYZ789", wf.clock.now()))

    # rules are checked in order: once the second plate fired, the repeat was checked
    assert (await _fired(fired)).source_ref == f"{zone.id}:{other}"
    async with wf.db.read_session() as session:
        refs = (await session.execute(select(GeofenceFiring.source_ref))).scalars().all()
    assert sorted(refs) == sorted([f"{zone.id}:{first}", f"{zone.id}:{other}"])
    assert len(await wf.alerts.list(kind=AlertKind.GEOFENCE)) == 2


async def test_reason_codes_narrow_the_rule_and_a_read_elsewhere_fires_nothing(
    started: Watchfloor, client: AsyncClient
) -> None:
    wf = started
    await reader(wf)
    await reader(wf, "ALPR-FAR", lat=OUTSIDE[0], lon=OUTSIDE[1])
    await hotlist_entry(wf, "GANG01", reason="gang")
    await hotlist_entry(wf, "AMBER1", reason="amber")
    await hotlist_entry(wf, "STOLE1", reason="stolen_vehicle")
    rules = [{"rule": "hotlisted_read_inside", "reason_codes": ["amber", "stolen_vehicle"]}]
    zone = await geofence(wf, kind="critical_site", name="Water works", rules=rules)
    fired = wf.bus.subscribe("geofence.rule.fired")

    await _post_read(wf, client, read("GANG01", wf.clock.now()))  # reason not listed
    await _post_read(wf, client, read("STOLE1", wf.clock.now(), reader_code="ALPR-FAR"))
    amber = await _post_read(wf, client, read("AMBER1", wf.clock.now()))

    event = await _fired(fired)
    assert event.source_ref == f"{zone.id}:{amber}"
    assert event.title == "Hotlisted vehicle AMBER1 (amber) inside Water works critical site"
    assert [a.subject for a in await wf.alerts.list(kind=AlertKind.GEOFENCE)] == ["AMBER1"]
