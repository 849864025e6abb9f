"""Lists: creation rules, roles, status with staleness, deactivation; all audited."""

from __future__ import annotations

from datetime import timedelta

from httpx import AsyncClient

from tests.domain.hotlists.support import make_list, ncic_extract, upload
from tests.support.auth import login_as
from watchfloor.app import Watchfloor
from watchfloor.audit.service import AuditFilter
from watchfloor.core.clock import ManualClock
from watchfloor.core.context import Role


async def test_a_supervisor_creates_a_list_and_the_floor_sees_its_status(
    wf: Watchfloor, client: AsyncClient
) -> None:
    created = await make_list(wf, client, name="NCIC twice daily")
    await login_as(wf, client, Role.OPERATOR)

    listed = await client.get("/api/hotlists")
    one = await client.get(f"/api/hotlists/{created['id']}")

    assert listed.status_code == 200
    assert [row["name"] for row in listed.json()] == ["NCIC twice daily"]
    status = one.json()
    assert (status["entry_count"], status["stale"], status["last_refreshed_at"]) == (0, True, None)
    assert status["last_import"] is None
    [audited] = await wf.audit.query(AuditFilter(action="hotlist.created"))
    assert audited.object_id == str(created["id"])


async def test_roles_are_enforced(wf: Watchfloor, client: AsyncClient) -> None:
    created = await make_list(wf, client)
    list_url = f"/api/hotlists/{created['id']}"

    await login_as(wf, client, Role.OPERATOR)
    operator_creates = await client.post(
        "/api/hotlists",
        json={"name": "x", "kind": "local", "source_format": "manual", "max_age_minutes": 60},
    )
    operator_uploads = await client.post(f"{list_url}/imports", content=b"x")
    operator_deactivates = await client.post(f"{list_url}/deactivate", json={"reason": "nope"})
    await login_as(wf, client, Role.ADMIN)
    admin_status = await client.get(list_url)
    admin_entries = await client.get(f"{list_url}/entries")
    await login_as(wf, client, Role.AUDITOR)
    auditor_lists = await client.get("/api/hotlists")

    assert operator_creates.status_code == 403
    assert operator_uploads.status_code == 403
    assert operator_deactivates.status_code == 403
    assert admin_status.status_code == 200
    assert admin_entries.status_code == 403
    assert auditor_lists.status_code == 403


async def test_inconsistent_lists_are_refused_naming_the_field(
    wf: Watchfloor, client: AsyncClient
) -> None:
    await login_as(wf, client, Role.SUPERVISOR)
    base = {"name": "bad", "max_age_minutes": 60}

    ncic_as_csv = await client.post(
        "/api/hotlists", json={**base, "kind": "ncic", "source_format": "csv"}
    )
    schedule_without_source = await client.post(
        "/api/hotlists",
        json={**base, "kind": "state", "source_format": "csv", "refresh_every_minutes": 720},
    )
    relative_source = await client.post(
        "/api/hotlists",
        json={**base, "kind": "state", "source_format": "csv", "source_uri": "drop/x.csv"},
    )

    assert ncic_as_csv.status_code == 422
    assert [p["pointer"] for p in ncic_as_csv.json()["error"]["problems"]] == ["/source_format"]
    assert schedule_without_source.json()["error"]["problems"][0]["pointer"] == (
        "/refresh_every_minutes"
    )
    assert relative_source.json()["error"]["problems"][0]["pointer"] == "/source_uri"


async def test_a_duplicate_name_is_a_conflict(wf: Watchfloor, client: AsyncClient) -> None:
    await make_list(wf, client, name="Same")

    again = await client.post(
        "/api/hotlists",
        json={"name": "Same", "kind": "ncic", "source_format": "ncic_fixed", "max_age_minutes": 9},
    )

    assert again.status_code == 409


async def test_a_list_turns_stale_when_older_than_its_max_age(
    wf: Watchfloor, client: AsyncClient, clock: ManualClock
) -> None:
    created = await make_list(wf, client, max_age_minutes=720)
    await upload(client, created["id"], ncic_extract("ABC123"))

    fresh = (await client.get(f"/api/hotlists/{created['id']}")).json()
    clock.advance(timedelta(minutes=721))
    await login_as(wf, client, Role.ANALYST)  # the session idled out meanwhile
    old = (await client.get(f"/api/hotlists/{created['id']}")).json()

    assert (fresh["stale"], fresh["age_minutes"], fresh["entry_count"]) == (False, 0.0, 1)
    assert fresh["last_import"]["status"] == "succeeded"
    assert (old["stale"], old["age_minutes"]) == (True, 721.0)
    [hit] = wf.hotlists.matcher.match("ABC123", "CA")
    facts = await wf.hotlists.entries([hit.entry_id])
    assert facts[hit.entry_id].stale is True
    assert facts[hit.entry_id].hotlist_name == "NCIC"


async def test_deactivating_stops_matching_and_is_audited(
    wf: Watchfloor, client: AsyncClient
) -> None:
    created = await make_list(wf, client)
    await upload(client, created["id"], ncic_extract("ABC123"))
    assert wf.hotlists.matcher.match("ABC123", "CA")

    response = await client.post(
        f"/api/hotlists/{created['id']}/deactivate", json={"reason": "agreement ended"}
    )
    again = await client.post(
        f"/api/hotlists/{created['id']}/deactivate", json={"reason": "agreement ended"}
    )

    assert response.status_code == 200
    assert response.json()["active"] is False
    assert again.status_code == 409
    assert wf.hotlists.matcher.match("ABC123", "CA") == []
    [audited] = await wf.audit.query(AuditFilter(action="hotlist.deactivated"))
    assert audited.reason == "agreement ended"
    await wf.hotlists.load()
    assert wf.hotlists.matcher.match("ABC123", "CA") == []
