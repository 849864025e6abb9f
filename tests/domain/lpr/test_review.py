"""Nobody acts on an alert until an operator has verified it; precision shows bad readers."""

from __future__ import annotations

from httpx import AsyncClient
from sqlalchemy import text

from tests.domain.lpr.support import JPEG, hotlist_entry, inline_image, read, reader
from tests.support.auth import feed_token, login_as
from watchfloor.app import Watchfloor
from watchfloor.core.context import Role


async def _alert(wf: Watchfloor, client: AsyncClient, plate: str, code: str = "ALPR-1") -> str:
    token = await feed_token(wf, client)
    response = await client.post(
        "/api/lpr/reads",
        json=read(plate, wf.clock.now(), reader_code=code, plate_image=inline_image()),
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 200, response.text
    alert_id: str = response.json()["alerts"][0]
    return alert_id


async def _actions(wf: Watchfloor) -> list[str]:
    async with wf.db.read_session() as session:
        rows = await session.execute(
            text("SELECT action FROM audit_record WHERE action LIKE 'lpr.alert.%' ORDER BY seq")
        )
        return list(rows.scalars())


async def test_confirming_needs_a_verification_first(wf: Watchfloor, client: AsyncClient) -> None:
    await reader(wf)
    await hotlist_entry(wf, "ABC123")
    alert_id = await _alert(wf, client, "ABC123")
    await login_as(wf, client, Role.OPERATOR, designator="RT4")
    refused = await client.post(
        f"/api/lpr/alerts/{alert_id}/disposition", json={"disposition": "confirmed"}
    )
    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "not_verified"
    unsaid = await client.post(
        f"/api/lpr/alerts/{alert_id}/verification",
        json={"plate_matches_image": True, "entry_confirmed_active": True},
    )
    assert unsaid.status_code == 422
    assert unsaid.json()["error"]["problems"][0]["pointer"] == "/confirmed_with"
    verified = await client.post(
        f"/api/lpr/alerts/{alert_id}/verification",
        json={
            "plate_matches_image": True,
            "entry_confirmed_active": True,
            "confirmed_with": "NCIC QV 1402 msg 5521",
        },
    )
    assert verified.json()["status"] == "actionable"
    assert verified.json()["verified_by"] == "RT4"
    early = await client.post(f"/api/lpr/alerts/{alert_id}/outcome", json={"outcome": "arrest"})
    assert early.status_code == 409
    confirmed = await client.post(
        f"/api/lpr/alerts/{alert_id}/disposition", json={"disposition": "confirmed"}
    )
    assert confirmed.json()["status"] == "closed"
    outcome = await client.post(
        f"/api/lpr/alerts/{alert_id}/outcome",
        json={"outcome": "vehicle_recovered", "case_number": "2026-112233"},
    )
    assert outcome.json()["case_number"] == "2026-112233"
    assert await _actions(wf) == [
        "lpr.alert.verified",
        "lpr.alert.disposed",
        "lpr.alert.outcome",
    ]


async def test_a_plate_that_does_not_match_its_image_never_becomes_actionable(
    wf: Watchfloor, client: AsyncClient
) -> None:
    await reader(wf)
    await hotlist_entry(wf, "ABC123")
    alert_id = await _alert(wf, client, "ABC123")
    await login_as(wf, client, Role.OPERATOR)
    checked = await client.post(
        f"/api/lpr/alerts/{alert_id}/verification",
        json={"plate_matches_image": False, "entry_confirmed_active": False},
    )
    assert checked.json()["status"] == "pending"
    closed = await client.post(
        f"/api/lpr/alerts/{alert_id}/disposition", json={"disposition": "misread"}
    )
    assert closed.json()["disposition"] == "misread"
    assert (await client.get("/api/lpr/alerts")).json() == []


async def test_the_image_is_an_audited_read(wf: Watchfloor, client: AsyncClient) -> None:
    await reader(wf)
    await hotlist_entry(wf, "ABC123")
    alert_id = await _alert(wf, client, "ABC123")
    await login_as(wf, client, Role.OPERATOR)
    image = await client.get(f"/api/lpr/alerts/{alert_id}/image/plate")
    assert image.status_code == 200
    assert image.content == JPEG
    assert image.headers["content-type"] == "image/jpeg"
    assert image.headers["cache-control"] == "no-store"
    async with wf.db.read_session() as session:
        actions = (
            (
                await session.execute(
                    text("SELECT action FROM audit_record WHERE object_id = :a"), {"a": alert_id}
                )
            )
            .scalars()
            .all()
        )
    assert "lpr.image.read" in actions


async def test_precision_per_reader_and_per_hotlist(wf: Watchfloor, client: AsyncClient) -> None:
    await reader(wf, "GOOD-1")
    await reader(wf, "BAD-1", lat=60.1705, lon=24.9390)
    await hotlist_entry(wf, "AAA111")
    await hotlist_entry(wf, "BBB222", list_name="Local BOLO")
    good = await _alert(wf, client, "AAA111", "GOOD-1")
    bad_one = await _alert(wf, client, "BBB222", "BAD-1")
    await login_as(wf, client, Role.SUPERVISOR)
    await client.post(
        f"/api/lpr/alerts/{good}/verification",
        json={"plate_matches_image": True, "entry_confirmed_active": True, "confirmed_with": "QV"},
    )
    await client.post(f"/api/lpr/alerts/{good}/disposition", json={"disposition": "confirmed"})
    await client.post(f"/api/lpr/alerts/{bad_one}/disposition", json={"disposition": "misread"})
    precision = (await client.get("/api/lpr/precision")).json()
    readers = {r["key"]: r for r in precision["readers"]}
    assert readers["GOOD-1"]["precision"] == 1.0
    assert readers["BAD-1"]["precision"] == 0.0
    assert readers["BAD-1"]["misread"] == 1
    lists = {r["name"]: r["precision"] for r in precision["hotlists"]}
    assert lists == {"NCIC": 1.0, "Local BOLO": 0.0}


async def test_analysts_see_alerts_but_do_not_verify(wf: Watchfloor, client: AsyncClient) -> None:
    await reader(wf)
    await hotlist_entry(wf, "ABC123")
    alert_id = await _alert(wf, client, "ABC123")
    await login_as(wf, client, Role.ANALYST)
    assert (await client.get("/api/lpr/alerts")).status_code == 200
    denied = await client.post(
        f"/api/lpr/alerts/{alert_id}/verification",
        json={"plate_matches_image": True, "entry_confirmed_active": False},
    )
    assert denied.status_code == 403
