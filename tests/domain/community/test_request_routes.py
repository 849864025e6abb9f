"""The RTCC's footage request routes: who may send, read, withdraw and rate requests and read the
statistics; bad input names its field; every call is audited under the caller's name."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from httpx import AsyncClient
from sqlalchemy import text

from tests.conftest import START
from tests.domain.community.requests_support import (
    add_incident,
    add_site,
    community_settings,
)
from tests.support.auth import login_as
from tests.support.smtp import SmtpServer, smtp_server  # noqa: F401
from watchfloor.app import Watchfloor
from watchfloor.core.context import Role
from watchfloor.domain.community.vocabulary import SiteStatus
from watchfloor.settings import Settings


@pytest.fixture
def settings(database_url: str, tmp_path: Path, smtp_server: SmtpServer) -> Settings:  # noqa: F811
    return community_settings(database_url, tmp_path, smtp_server.url)


def _body(
    incident_id: str, camera_ids: list[str], changes: dict[str, Any] | None = None
) -> dict[str, Any]:
    return {
        "incident_id": incident_id,
        "camera_ids": camera_ids,
        "kind": "property_crime",
        "window_from": (START - timedelta(hours=2)).isoformat(),
        "window_to": (START - timedelta(hours=1)).isoformat(),
        "reason": "Suspect fled east along Elm Street",
    } | (changes or {})


async def _audited(wf: Watchfloor, action: str) -> list[tuple[str, str | None]]:
    query = text("SELECT actor_username, reason FROM audit_record WHERE action = :a ORDER BY seq")
    async with wf.db.read_session() as session:
        return [(who, why) for who, why in (await session.execute(query, {"a": action})).all()]


async def test_an_operator_sends_withdraws_and_the_floor_reads(
    wf: Watchfloor,
    client: AsyncClient,
    smtp_server: SmtpServer,  # noqa: F811
) -> None:
    incident = await add_incident(wf)
    site = await add_site(wf)
    operator = await login_as(wf, client, Role.OPERATOR)

    sent = await client.post("/api/community/requests", json=_body(incident, site.camera_ids))

    assert sent.status_code == 201, sent.text
    (made,) = sent.json()
    assert made["status"] == "sent"
    assert made["site_label"] == "Residence near Elm Street"
    assert await _audited(wf, "community.request.create") == [
        (operator.username, "Suspect fled east along Elm Street")
    ]
    await smtp_server.wait_for(1)
    await login_as(wf, client, Role.ANALYST)
    listed = await client.get("/api/community/requests", params={"incident_id": incident})
    assert listed.status_code == 200
    assert [r["id"] for r in listed.json()] == [made["id"]]
    refused = await client.post("/api/community/requests", json=_body(incident, site.camera_ids))
    assert refused.status_code == 403
    await login_as(wf, client, Role.OPERATOR, username="op-two")
    withdrawn = await client.post(
        f"/api/community/requests/{made['id']}/withdraw", json={"reason": "Suspect arrested"}
    )
    assert withdrawn.status_code == 200
    assert withdrawn.json()["status"] == "withdrawn"
    assert await _audited(wf, "community.request.withdraw") == [("op-two", "Suspect arrested")]
    rated = await client.put(f"/api/community/requests/{made['id']}/useful", json={"useful": True})
    assert rated.status_code == 409
    missing = await client.post(
        "/api/community/requests/nope/withdraw", json={"reason": "whatever"}
    )
    assert missing.status_code == 404


@pytest.mark.parametrize(
    ("changes", "pointer"),
    [
        ({"reason": "short"}, "/reason"),
        ({"camera_ids": []}, "/camera_ids"),
        ({"kind": "gossip"}, "/kind"),
        ({"window_to": (START - timedelta(hours=3)).isoformat()}, "/window_to"),
        ({"window_to": (START + timedelta(hours=3)).isoformat()}, "/window_to"),
        ({"paused": True}, "/camera_ids/0"),
    ],
)
async def test_bad_requests_name_the_field(
    wf: Watchfloor, client: AsyncClient, changes: dict[str, Any], pointer: str
) -> None:
    incident = await add_incident(wf)
    site = await add_site(
        wf, status=SiteStatus.PAUSED if changes.pop("paused", None) else SiteStatus.ACTIVE
    )
    await login_as(wf, client, Role.SUPERVISOR)
    response = await client.post(
        "/api/community/requests", json=_body(incident, site.camera_ids, changes)
    )
    assert response.status_code == 422, response.text
    pointers = [p["pointer"] for p in response.json()["error"]["problems"]]
    assert pointer in pointers


async def test_statistics_are_for_supervisors_and_admins(
    wf: Watchfloor, client: AsyncClient
) -> None:
    await login_as(wf, client, Role.OPERATOR)
    assert (await client.get("/api/community/stats")).status_code == 403
    supervisor = await login_as(wf, client, Role.SUPERVISOR)
    stats = await client.get(
        "/api/community/stats",
        params={"since": (START - timedelta(days=7)).isoformat(), "until": START.isoformat()},
    )
    assert stats.status_code == 200
    assert stats.json()["sent"] == 0
    assert await _audited(wf, "community.stats.read") == [(supervisor.username, None)]
    await login_as(wf, client, Role.ADMIN)
    assert (await client.get("/api/community/stats")).status_code == 200
    await login_as(wf, client, Role.AUDITOR)
    listed = await client.get("/api/community/requests", params={"incident_id": "x"})
    assert listed.status_code == 403
