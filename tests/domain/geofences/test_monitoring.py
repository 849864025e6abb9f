"""Electronic-monitoring positions: stored before the feed hears back, and a person crossing a
zone that watches them fires one alert per crossing, not one per position."""

from __future__ import annotations

from datetime import timedelta

from httpx import AsyncClient
from sqlalchemy import func, select

from tests.domain.geofences.support import (
    OUTSIDE,
    SPOT,
    SUPERVISOR,
    geofence,
    position,
    post_positions,
)
from tests.support.auth import feed_token, login_as
from watchfloor.app import Watchfloor
from watchfloor.core.context import Role
from watchfloor.domain.alerts.schemas import AlertOut
from watchfloor.domain.geofences.models import GeofenceFiring, MonitoredPosition
from watchfloor.events.alerts import AlertKind

ENTERS = [{"rule": "monitored_person_enters", "subjects": ["EM-1041"]}]
LEAVES = [{"rule": "monitored_person_leaves"}]
NEAR = (SPOT[0] + 0.0012, SPOT[1])
"""About 130 m north of the spot: just outside the zones."""


async def _alerts(wf: Watchfloor) -> list[AlertOut]:
    return await wf.alerts.list(kind=AlertKind.GEOFENCE)


def _walk(wf: Watchfloor, person: str, *places: tuple[float, float]) -> list[dict[str, object]]:
    start = wf.clock.now() - timedelta(minutes=len(places))
    return [position(person, start + timedelta(minutes=i), p) for i, p in enumerate(places)]


async def test_walking_into_an_exclusion_zone_fires_once_per_entry(
    wf: Watchfloor, client: AsyncClient
) -> None:
    zone = await geofence(wf, name="Lincoln Elementary", kind="exclusion_zone", rules=ENTERS)
    walk = _walk(wf, "EM-1041", OUTSIDE, NEAR, SPOT, SPOT, SPOT)

    answer = await post_positions(wf, client, walk)

    assert answer == {"accepted": 5, "duplicates": 0, "fired": 1}
    [alert] = await _alerts(wf)
    assert alert.title == "Monitored person EM-1041 entered Lincoln Elementary exclusion zone"
    assert alert.priority == 2
    assert alert.subject == "EM-1041"
    assert (alert.lat, alert.lon) == SPOT
    assert alert.location_error_m == 8.0
    assert alert.details["geofence_id"] == zone.id
    assert alert.details["rule"] == "monitored_person_enters"
    assert alert.details["program"] == "pretrial"
    # more positions inside: still one alert; out and back in: a second one
    later = wf.clock.now()
    again = [position("EM-1041", later + timedelta(minutes=m), p) for m, p in
             ((0, SPOT), (1, OUTSIDE), (2, OUTSIDE))]  # fmt: skip
    assert (await post_positions(wf, client, again))["fired"] == 0
    back = position("EM-1041", later + timedelta(minutes=3), SPOT)
    assert (await post_positions(wf, client, back))["fired"] == 1
    assert len(await _alerts(wf)) == 2


async def test_a_person_first_seen_inside_an_exclusion_zone_fires_at_once(
    wf: Watchfloor, client: AsyncClient
) -> None:
    await geofence(wf, kind="exclusion_zone", rules=ENTERS)

    answer = await post_positions(wf, client, position("EM-1041", wf.clock.now(), SPOT))

    assert answer["fired"] == 1
    assert len(await _alerts(wf)) == 1


async def test_leaving_an_inclusion_zone_fires_and_a_first_position_outside_does_not(
    wf: Watchfloor, client: AsyncClient
) -> None:
    await geofence(wf, name="Home of EM-7", kind="inclusion_zone", rules=LEAVES)
    outside_first = _walk(wf, "EM-7", OUTSIDE, OUTSIDE)
    assert (await post_positions(wf, client, outside_first))["fired"] == 0
    home_then_out = [position("EM-7", wf.clock.now() + timedelta(minutes=m), p) for m, p in
                     ((1, SPOT), (2, SPOT), (3, NEAR), (4, OUTSIDE))]  # fmt: skip

    assert (await post_positions(wf, client, home_then_out))["fired"] == 1

    [alert] = await _alerts(wf)
    assert alert.title == "Monitored person EM-7 left Home of EM-7 inclusion zone"
    assert alert.details["transition"] == "left"


async def test_only_the_persons_a_rule_names_are_watched(
    wf: Watchfloor, client: AsyncClient
) -> None:
    await geofence(wf, kind="exclusion_zone", rules=ENTERS)

    answer = await post_positions(wf, client, _walk(wf, "EM-2222", OUTSIDE, SPOT))

    assert answer == {"accepted": 2, "duplicates": 0, "fired": 0}
    assert await _alerts(wf) == []


async def test_a_retried_post_stores_nothing_twice_and_fires_nothing_again(
    wf: Watchfloor, client: AsyncClient
) -> None:
    await geofence(wf, kind="exclusion_zone", rules=ENTERS)
    walk = _walk(wf, "EM-1041", OUTSIDE, SPOT)
    assert (await post_positions(wf, client, walk))["fired"] == 1

    answer = await post_positions(wf, client, walk)

    assert answer == {"accepted": 0, "duplicates": 2, "fired": 0}
    async with wf.db.read_session() as session:
        stored = await session.scalar(select(func.count()).select_from(MonitoredPosition))
    assert stored == 2
    assert len(await _alerts(wf)) == 1


async def test_a_late_or_vague_position_moves_nobody(wf: Watchfloor, client: AsyncClient) -> None:
    await geofence(wf, kind="exclusion_zone", rules=ENTERS)
    now = wf.clock.now()
    await post_positions(wf, client, position("EM-1041", now, OUTSIDE))
    late = position("EM-1041", now - timedelta(minutes=5), SPOT)  # older than what we know
    vague = position("EM-1041", now + timedelta(minutes=1), SPOT, accuracy_m=900.0)

    answer = await post_positions(wf, client, [late, vague])

    assert answer == {"accepted": 2, "duplicates": 0, "fired": 0}
    assert await _alerts(wf) == []


async def test_outside_its_hours_a_zone_tracks_but_does_not_fire(
    wf: Watchfloor, client: AsyncClient
) -> None:
    # the clock reads Saturday 14:00 UTC; the zone is in force on school days only
    hours = {"start": "07:00", "end": "17:00", "days": ["mon", "tue", "wed", "thu", "fri"]}
    await geofence(wf, kind="exclusion_zone", rules=ENTERS, hours=hours)

    answer = await post_positions(wf, client, _walk(wf, "EM-1041", OUTSIDE, SPOT))

    assert answer["fired"] == 0


async def test_a_bad_post_is_refused_naming_the_field_and_quarantined_whole(
    wf: Watchfloor, client: AsyncClient
) -> None:
    await geofence(wf, kind="exclusion_zone", rules=ENTERS)
    good = position("EM-1041", wf.clock.now(), SPOT)
    bad = {**position("EM-1041", wf.clock.now(), SPOT), "latitude": 123.0}
    future = position("EM-1041", wf.clock.now() + timedelta(hours=1), SPOT)
    naive = {**good, "at": "2026-11-21T13:00:00"}
    token = await feed_token(wf, client)
    headers = {"Authorization": f"Bearer {token}"}

    response = await client.post(
        "/api/monitoring/positions", json=[good, bad, future, naive], headers=headers
    )

    assert response.status_code == 422
    problems = {p["pointer"]: p["reason"] for p in response.json()["error"]["problems"]}
    assert set(problems) == {"/1/latitude", "/2/at", "/3/at"}
    assert "future" in problems["/2/at"]
    missing = await client.post(
        "/api/monitoring/positions", json={"person_ref": "EM-1"}, headers=headers
    )
    assert missing.status_code == 422
    pointers = {p["pointer"] for p in missing.json()["error"]["problems"]}
    assert pointers == {"/at", "/latitude", "/longitude"}
    broken = await client.post("/api/monitoring/positions", content=b"{not json", headers=headers)
    assert broken.status_code == 400
    held = await wf.quarantine.list(source="monitoring-positions")
    assert len(held) == 3
    assert {"/1/latitude", "/2/at", "/3/at"} in [{p.pointer for p in h.problems} for h in held]
    async with wf.db.read_session() as session:
        assert await session.scalar(select(func.count()).select_from(MonitoredPosition)) == 0
    feed = wf.health.feeds()["monitoring-positions"]
    assert feed.detail is not None
    assert await _alerts(wf) == []


async def test_only_feeds_and_admins_may_post_positions(
    wf: Watchfloor, client: AsyncClient
) -> None:
    document = position("EM-1", wf.clock.now(), SPOT)
    await login_as(wf, client, Role.OPERATOR)
    assert (await client.post("/api/monitoring/positions", json=document)).status_code == 403
    await login_as(wf, client, Role.ADMIN)
    response = await client.post("/api/monitoring/positions", json=document)
    assert response.status_code == 200
    assert wf.health.feeds()["monitoring-positions"].last_event_age_s == 0.0


async def test_a_firing_the_desk_did_not_take_is_offered_again(
    wf: Watchfloor, client: AsyncClient
) -> None:
    await geofence(wf, kind="exclusion_zone", rules=ENTERS)
    desk = wf.geofence_firings.desk
    wf.geofence_firings.desk = None  # the desk is away
    assert (await post_positions(wf, client, _walk(wf, "EM-1041", OUTSIDE, SPOT)))["fired"] == 1
    assert await _alerts(wf) == []

    wf.geofence_firings.desk = desk
    assert await wf.geofence_firings.deliver_pending() == 1

    [alert] = await _alerts(wf)
    async with wf.db.read_session() as session:
        firing = (await session.execute(select(GeofenceFiring))).scalar_one()
    assert firing.alert_id == alert.id
    assert firing.delivered_at is not None
    assert await wf.geofence_firings.deliver_pending() == 0


async def test_a_quarantined_post_replays_through_the_intake(
    wf: Watchfloor, client: AsyncClient
) -> None:
    await geofence(wf, kind="exclusion_zone", rules=ENTERS)
    ahead = position("EM-1041", wf.clock.now() + timedelta(hours=1), SPOT)  # the tag's clock
    headers = {"Authorization": f"Bearer {await feed_token(wf, client)}"}
    response = await client.post("/api/monitoring/positions", json=ahead, headers=headers)
    assert response.status_code == 422
    [held] = await wf.quarantine.list(source="monitoring-positions")

    wf.clock.advance(timedelta(hours=1))  # type: ignore[attr-defined]
    replayed = await wf.quarantine.replay(held.id, SUPERVISOR)

    assert replayed.replay_outcome == "1 positions stored, 1 rules fired"
    assert len(await _alerts(wf)) == 1
