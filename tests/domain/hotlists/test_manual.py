"""Manual entries: a documented reason and a bounded expiry, audited, matching at once and not
after expiry."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from httpx import AsyncClient

from tests.domain.hotlists.support import make_list
from tests.support.auth import login_as
from watchfloor.app import Watchfloor
from watchfloor.audit.service import AuditFilter
from watchfloor.core.clock import ManualClock
from watchfloor.core.context import Role


def _entry(wf: Watchfloor, **changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "plate": "bolo-1",
        "state": "ca",
        "reason_code": "bolo",
        "reason": "vehicle seen leaving the Main St shooting",
        "expires_at": (wf.clock.now() + timedelta(hours=8)).isoformat(),
        "make": "HOND",
        "colour": "RED",
        "case_number": "26-004211",
    }
    body.update(changes)
    return body


async def _local_list(wf: Watchfloor, client: AsyncClient) -> str:
    created = await make_list(wf, client, name="Local BOLO", kind="local", source_format="manual")
    return f"/api/hotlists/{created['id']}/entries"


async def test_an_operator_adds_an_entry_that_matches_at_once_and_is_audited(
    wf: Watchfloor, client: AsyncClient
) -> None:
    url = await _local_list(wf, client)
    operator = await login_as(wf, client, Role.OPERATOR)

    response = await client.post(url, json=_entry(wf))

    assert response.status_code == 201, response.text
    entry = response.json()
    assert (entry["plate"], entry["state"], entry["entered_by"]) == (
        "BOLO1",
        "CA",
        operator.username,
    )
    [hit] = wf.hotlists.matcher.match("BOLO1", "CA")
    assert hit.entry_id == entry["id"]
    [audited] = await wf.audit.query(AuditFilter(action="hotlist.entry.added"))
    assert audited.reason == "vehicle seen leaving the Main St shooting"
    assert (audited.actor_username, audited.case_number) == (operator.username, "26-004211")
    facts = (await wf.hotlists.entries([entry["id"]]))[entry["id"]]
    assert (facts.stale, facts.entered_by, facts.extra["case_number"]) == (
        False,
        operator.username,
        "26-004211",
    )
    listed = await client.get(url, params={"plate": "bolo 1"})
    assert [e["id"] for e in listed.json()] == [entry["id"]]
    assert await wf.audit.query(AuditFilter(action="hotlist.entries.read"))


async def test_reason_and_expiry_are_required_and_checked_naming_the_field(
    wf: Watchfloor, client: AsyncClient
) -> None:
    url = await _local_list(wf, client)
    await login_as(wf, client, Role.ANALYST)
    now = wf.clock.now()
    cases = {
        "/reason": _entry(wf, reason="   "),
        "/expires_at": _entry(wf, expires_at=(now - timedelta(minutes=1)).isoformat()),
        "/plate": _entry(wf, plate="--"),
    }
    no_reason = _entry(wf)
    del no_reason["reason"]
    no_expiry = _entry(wf)
    del no_expiry["expires_at"]
    too_far = _entry(wf, expires_at=(now + timedelta(days=31)).isoformat())

    for pointer, body in {**cases, "/reason ": no_reason, "/expires_at ": no_expiry}.items():
        response = await client.post(url, json=body)
        assert response.status_code == 422, pointer
        pointers = [p["pointer"] for p in response.json()["error"]["problems"]]
        assert pointers == [pointer.strip()]
    far = await client.post(url, json=too_far)
    assert far.json()["error"]["problems"][0] == {
        "pointer": "/expires_at",
        "reason": "at most 30 days ahead",
    }
    assert len(wf.hotlists.matcher) == 0


async def test_manual_entries_go_on_local_lists_only_and_not_for_auditors(
    wf: Watchfloor, client: AsyncClient
) -> None:
    ncic = await make_list(wf, client)
    url = await _local_list(wf, client)

    on_ncic = await client.post(f"/api/hotlists/{ncic['id']}/entries", json=_entry(wf))
    await login_as(wf, client, Role.AUDITOR)
    auditor = await client.post(url, json=_entry(wf))

    assert on_ncic.status_code == 409
    assert auditor.status_code == 403


async def test_removal_needs_a_reason_is_audited_and_stops_matching(
    wf: Watchfloor, client: AsyncClient
) -> None:
    url = await _local_list(wf, client)
    await login_as(wf, client, Role.OPERATOR)
    entry = (await client.post(url, json=_entry(wf))).json()

    no_reason = await client.delete(f"{url}/{entry['id']}")
    removed = await client.request("DELETE", f"{url}/{entry['id']}", json={"reason": "recovered"})
    twice = await client.request("DELETE", f"{url}/{entry['id']}", json={"reason": "recovered"})

    assert no_reason.status_code == 422
    assert removed.status_code == 200
    assert removed.json()["removed_at"] is not None
    assert twice.status_code == 409
    assert wf.hotlists.matcher.match("BOLO1", "CA") == []
    [audited] = await wf.audit.query(AuditFilter(action="hotlist.entry.removed"))
    assert audited.reason == "recovered"
    await wf.hotlists.load()
    assert wf.hotlists.matcher.match("BOLO1", "CA") == []


async def test_an_expired_entry_stops_matching_before_the_sweep_and_is_swept(
    wf: Watchfloor, client: AsyncClient, clock: ManualClock
) -> None:
    url = await _local_list(wf, client)
    expires = clock.now() + timedelta(hours=1)
    await client.post(url, json=_entry(wf, expires_at=expires.isoformat()))
    await client.post(
        url, json=_entry(wf, plate="LATER1", expires_at=(expires + timedelta(days=1)).isoformat())
    )
    assert wf.hotlists.matcher.match("BOLO1", "CA")

    clock.advance(timedelta(hours=1))
    before_sweep = wf.hotlists.matcher.match("BOLO1", "CA")
    await wf.hotlists.refresh_due()

    assert before_sweep == []
    assert len(wf.hotlists.matcher) == 1
    status = await wf.hotlists.get_list(int(url.split("/")[3]))
    assert status.entry_count == 1
    await wf.hotlists.load()
    assert wf.hotlists.matcher.match("BOLO1", "CA") == []
