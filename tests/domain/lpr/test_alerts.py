"""Hits become alerts that say what matched and how sure; repeats join the open alert."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

from httpx import AsyncClient

from tests.domain.lpr.support import hotlist_entry, read, reader
from tests.support.auth import feed_token, login_as
from watchfloor.app import Watchfloor
from watchfloor.core.context import Role


async def _post(wf: Watchfloor, client: AsyncClient, body: object) -> dict[str, Any]:
    token = await feed_token(wf, client)
    response = await client.post(
        "/api/lpr/reads", json=body, headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


async def test_an_exact_hit_raises_an_alert_with_the_entry_and_the_read(
    wf: Watchfloor, client: AsyncClient
) -> None:
    await reader(wf, heading=270.0)
    await hotlist_entry(
        wf, "ABC123", make="TOYT", colour="SIL", reason="wanted_person", case_number="2026-4411"
    )
    events = wf.bus.subscribe("lpr.alert.>")
    vehicle = {"make": "TOYOTA", "colour": "SILVER"}
    result = await _post(wf, client, read("ABC 123", wf.clock.now(), vehicle=vehicle))
    assert result["hits"] == 1
    [alert_id] = result["alerts"]
    event = await events.get(timeout=1)
    assert event.kind == "lpr.alert.raised"
    assert event.payload.alert_id == alert_id
    assert event.payload.severity == "high"
    await login_as(wf, client, Role.OPERATOR)
    detail = (await client.get(f"/api/lpr/alerts/{alert_id}")).json()
    assert detail["match_kind"] == "exact"
    assert detail["state_match"] == "match"
    assert detail["heading"] == 270.0
    assert detail["entry"]["reason_code"] == "wanted_person"
    assert detail["read"]["vehicle"]["make"] == "TOYOTA"
    assert detail["corroboration"] == 1.0
    assert "exact plate ABC123" in detail["explanation"]
    assert detail["entry"]["case_number"] == "2026-4411"
    assert detail["status"] == "pending"


async def test_an_ocr_misread_is_a_lower_ranked_misread_alert(
    wf: Watchfloor, client: AsyncClient
) -> None:
    await reader(wf)
    await hotlist_entry(wf, "8OB123")
    result = await _post(wf, client, read("BOB123", wf.clock.now(), region=None))
    [alert_id] = result["alerts"]
    await login_as(wf, client, Role.OPERATOR)
    detail = (await client.get(f"/api/lpr/alerts/{alert_id}")).json()
    assert detail["match_kind"] == "misread"
    assert detail["substitutions"] == 1
    assert detail["state_match"] == "read_missing"
    assert detail["score"] < 0.6
    assert "1 possible OCR misread" in detail["explanation"]


async def test_a_repeat_read_joins_the_open_alert_until_the_window_passes(
    wf: Watchfloor, client: AsyncClient
) -> None:
    await reader(wf)
    await reader(wf, "ALPR-2", lat=60.171, lon=24.941)
    await hotlist_entry(wf, "REP123")
    first = await _post(wf, client, read("REP123", wf.clock.now()))
    wf.clock.advance(timedelta(seconds=60))  # type: ignore[attr-defined]
    second = await _post(wf, client, read("REP123", wf.clock.now(), reader_code="ALPR-2"))
    assert second["alerts"] == first["alerts"]
    wf.clock.advance(timedelta(seconds=wf.settings.lpr.alert_repeat_window_s + 1))  # type: ignore[attr-defined]
    third = await _post(wf, client, read("REP123", wf.clock.now()))
    assert third["alerts"] != first["alerts"]
    await login_as(wf, client, Role.OPERATOR)
    joined = (await client.get(f"/api/lpr/alerts/{first['alerts'][0]}")).json()
    assert joined["repeat_count"] == 2
    assert joined["reader_code"] == "ALPR-2"


async def test_an_alert_from_a_stale_list_says_so(wf: Watchfloor, client: AsyncClient) -> None:
    await reader(wf)
    await hotlist_entry(
        wf, "OLD123", refreshed_at=wf.clock.now() - timedelta(hours=30), max_age_minutes=720
    )
    result = await _post(wf, client, read("OLD123", wf.clock.now()))
    await login_as(wf, client, Role.OPERATOR)
    [summary] = (await client.get("/api/lpr/alerts")).json()
    assert summary["id"] == result["alerts"][0]
    assert summary["stale"] is True


async def test_reads_without_hits_raise_nothing(wf: Watchfloor, client: AsyncClient) -> None:
    await reader(wf)
    await hotlist_entry(wf, "ABC123")
    result = await _post(wf, client, read("QQQ999", wf.clock.now()))
    assert result == {"accepted": 1, "hits": 0, "alerts": [], "rejected": [], "quarantine_id": None}


async def test_concurrent_batches_of_the_same_vehicles_join_one_alert_each(
    wf: Watchfloor, client: AsyncClient
) -> None:
    await reader(wf)
    plates = [f"CON{i}00" for i in range(5)]
    for plate in plates:
        await hotlist_entry(wf, plate)
    token = await feed_token(wf, client)
    headers = {"Authorization": f"Bearer {token}"}
    now = wf.clock.now()
    orders = [plates, plates[::-1], plates[2:] + plates[:2], plates[::2] + plates[1::2]]
    responses = await asyncio.gather(
        *(
            client.post(
                "/api/lpr/reads",
                json=[read(p, now - timedelta(seconds=n)) for p in order],
                headers=headers,
            )
            for n, order in enumerate(orders)
        )
    )
    assert [r.status_code for r in responses] == [200] * 4
    await login_as(wf, client, Role.OPERATOR)
    alerts = (await client.get("/api/lpr/alerts")).json()
    assert sorted(a["plate_read"] for a in alerts) == plates
    assert sum(a["repeat_count"] for a in alerts) == 20
