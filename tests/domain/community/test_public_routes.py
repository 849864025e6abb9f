"""The public registration and the owner's private page over HTTP, with a real SMTP server: the
link comes out of the e-mail, bad input names its field and stores nothing, nobody learns who is
registered, and the page's protections (CSRF, rate limits, link expiry and rotation) hold."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from httpx import AsyncClient
from sqlalchemy import func, select

from tests.support.smtp import SmtpServer, smtp_server  # noqa: F401  (fixture)
from watchfloor.app import Watchfloor
from watchfloor.audit.service import AuditFilter
from watchfloor.core.clock import ManualClock
from watchfloor.domain.community.models import CommunityCamera, CommunityLink, CommunitySite
from watchfloor.settings import Settings, load_settings

ADDRESS = "Aleksanterinkatu 5"
LAT, LON = 60.169095, 24.950631
EMAIL = "anna.owner@example.org"
LINK = re.compile(r"/community/owner#t=([A-Za-z0-9_-]{20,})")


@pytest.fixture
def settings(database_url: str, tmp_path: Path, smtp_server: SmtpServer) -> Settings:  # noqa: F811
    return load_settings(
        data_dir=tmp_path / "data",
        database_url=database_url,
        video={"smtp_url": smtp_server.url},
        community={"public_base_url": "https://watchfloor.example"},
    )


def registration(**changes: Any) -> dict[str, Any]:
    """A valid registration of a home on the demo city's Aleksanterinkatu 5."""
    body: dict[str, Any] = {
        "kind": "residence",
        "name": None,
        "contact_name": "Anna Owner",
        "email": EMAIL,
        "phone": "+358 40 123 4567",
        "address": ADDRESS,
        "lat": LAT,
        "lon": LON + 0.0002,
        "retention_days": 14,
        "accepts": ["property_crime", "violent_crime"],
        "contact_times": "evenings",
        "cameras": [
            {"label": "Front door", "bearing": 90, "fov_angle": 100, "covers": ["street"]},
            {"label": "Yard", "lat": LAT, "lon": LON, "covers": ["yard", "driveway"]},
        ],
        "consent": True,
    }
    body.update(changes)
    return body


async def csrf(client: AsyncClient) -> dict[str, str]:
    """The page's CSRF header (its cookie is now in the client)."""
    response = await client.get("/community/api/start")
    assert response.status_code == 200, response.text
    return {"X-CSRF-Token": response.json()["csrf_token"]}


async def register(client: AsyncClient, body: dict[str, Any] | None = None) -> httpx.Response:
    """POST a registration the way the page does."""
    headers = await csrf(client)
    return await client.post(
        "/community/api/registrations", json=body or registration(), headers=headers
    )


def link_in(body: str) -> str:
    """The owner link's token in an e-mail's text."""
    found = LINK.search(body)
    assert found, body
    return found.group(1)


async def open_owner_page(client: AsyncClient, token: str) -> httpx.Response:
    """Redeem an owner link the way the page does."""
    headers = await csrf(client)
    return await client.post("/community/api/owner/session", json={"token": token}, headers=headers)


async def registered_and_open(client: AsyncClient, smtp: SmtpServer) -> str:
    """Register, follow the e-mailed link; the owner cookie is set. The link's token."""
    assert (await register(client)).status_code == 202
    mails = await smtp.wait_for(1)
    token = link_in(mails[-1].body)
    response = await open_owner_page(client, token)
    assert response.status_code == 200, response.text
    return token


async def count(wf: Watchfloor, table: Any) -> int:
    async with wf.db.read_session() as session:
        return int((await session.execute(select(func.count()).select_from(table))).scalar_one())


async def test_a_resident_registers_confirms_by_e_mail_and_is_listed(
    wf: Watchfloor,
    client: AsyncClient,
    smtp_server: SmtpServer,  # noqa: F811
) -> None:
    start = await client.get("/community/api/start")
    assert start.json()["max_cameras"] == 10
    assert {c["value"] for c in start.json()["covers"]} >= {"street", "alley", "parking_lot"}
    response = await register(client)
    assert response.status_code == 202, response.text
    assert "e-mail" in response.json()["message"]
    assert await wf.community.registry.near(LAT, LON, 200, 20) == []  # pending: not listed
    [mail] = await smtp_server.wait_for(1)
    assert mail.recipients == [EMAIL]
    assert "https://watchfloor.example/community/owner#t=" in mail.body
    page = await open_owner_page(client, link_in(mail.body))
    assert page.status_code == 200, page.text
    view = page.json()
    assert view["status"] == "active"
    assert view["registration"]["address"] == ADDRESS
    assert [c["label"] for c in view["registration"]["cameras"]] == ["Front door", "Yard"]
    assert view["requests"] == []
    assert view["link_expires_at"].startswith("2026-12-21")
    listed = await wf.community.registry.near(LAT, LON, 200, 20)
    assert sorted(c.name for c in listed) == ["Front door", "Yard"]
    assert (await client.get("/community/api/owner")).json()["status"] == "active"


async def test_the_owner_cookie_is_http_only_strict_secure_and_scoped(
    client: AsyncClient,
    smtp_server: SmtpServer,  # noqa: F811
) -> None:
    assert (await register(client)).status_code == 202
    token = link_in((await smtp_server.wait_for(1))[0].body)
    response = await open_owner_page(client, token)
    cookie = next(h for h in response.headers.get_list("set-cookie") if h.startswith("wfc_owner="))
    assert "HttpOnly" in cookie
    assert "Secure" in cookie
    assert "SameSite=strict" in cookie
    assert "Path=/community/api" in cookie
    assert "Max-Age=1800" in cookie
    assert token not in cookie  # the cookie is a session of its own, not the e-mailed link


@pytest.mark.parametrize(
    ("changes", "pointer"),
    [
        ({"email": "not-an-address"}, "/email"),
        ({"phone": "call me maybe"}, "/phone"),
        ({"contact_name": "x" * 201}, "/contact_name"),
        ({"address": "Nowhere Street 999"}, "/address"),
        ({"lat": LAT + 0.01}, "/lat"),
        ({"kind": "business", "name": None}, "/name"),
        ({"consent": False}, "/consent"),
        ({"retention_days": 4000}, "/retention_days"),
        ({"accepts": []}, "/accepts"),
        ({"cameras": []}, "/cameras"),
        ({"cameras": [{"label": "x", "covers": ["street"], "bearing": 400}]}, "/cameras/0/bearing"),
        ({"cameras": [{"label": "x", "covers": []}]}, "/cameras/0/covers"),
        ({"cameras": [{"label": "x", "covers": ["street"]}] * 11}, "/cameras"),
        ({"unexpected": 1}, "/unexpected"),
    ],
)
async def test_bad_registrations_name_the_field_and_store_nothing(
    wf: Watchfloor,
    client: AsyncClient,
    smtp_server: SmtpServer,  # noqa: F811
    changes: dict[str, Any],
    pointer: str,
) -> None:
    response = await register(client, registration(**changes))
    assert response.status_code == 422, response.text
    pointers = [p["pointer"] for p in response.json()["error"]["problems"]]
    assert pointer in pointers
    assert await count(wf, CommunitySite) == 0
    assert await count(wf, CommunityCamera) == 0
    assert smtp_server.received == []


async def test_a_near_miss_address_suggests_the_real_one(client: AsyncClient) -> None:
    response = await register(client, registration(address="Aleksanterinktu 5"))
    [problem] = response.json()["error"]["problems"]
    assert problem["pointer"] == "/address"
    assert "Aleksanterinkatu 5" in problem["reason"]
    found = await client.get("/community/api/addresses", params={"q": "5 aleksanterinkatu"})
    assert found.json()[0] == {
        "address": ADDRESS,
        "lat": LAT,
        "lon": LON,
        "district": "Kluuvi",
    }
    assert len((await client.get("/community/api/addresses?q=a")).json()) <= 8


async def test_a_refused_e_mail_stores_nothing(
    wf: Watchfloor,
    client: AsyncClient,
    smtp_server: SmtpServer,  # noqa: F811
) -> None:
    smtp_server.refuse = True
    response = await register(client)
    assert response.status_code == 503
    assert await count(wf, CommunitySite) == 0
    assert await count(wf, CommunityLink) == 0


async def test_registration_answers_the_same_for_known_and_unknown_e_mails(
    client: AsyncClient,
    smtp_server: SmtpServer,  # noqa: F811
) -> None:
    first = await register(client)
    again = await register(client)
    other = await register(client, registration(email="someone.else@example.org"))
    assert first.status_code == again.status_code == other.status_code == 202
    assert first.json() == again.json() == other.json()
    assert len(await smtp_server.wait_for(3)) == 3


async def test_link_requests_answer_the_same_and_rotate_the_link(
    wf: Watchfloor,
    client: AsyncClient,
    smtp_server: SmtpServer,  # noqa: F811
) -> None:
    old = await registered_and_open(client, smtp_server)
    headers = await csrf(client)
    unknown = await client.post(
        "/community/api/owner/link", json={"email": "nobody@example.org"}, headers=headers
    )
    known = await client.post("/community/api/owner/link", json={"email": EMAIL}, headers=headers)
    assert unknown.status_code == known.status_code == 202
    assert unknown.json() == known.json()
    await wf.community.registry.owners.settle()
    mails = smtp_server.received
    assert [m.recipients for m in mails] == [[EMAIL], [EMAIL]]
    new = link_in(mails[-1].body)
    assert new != old
    assert (await open_owner_page(client, old)).status_code == 404
    assert (await open_owner_page(client, new)).status_code == 200


async def test_an_expired_link_is_gone_and_a_session_ends(
    client: AsyncClient,
    clock: ManualClock,
    smtp_server: SmtpServer,  # noqa: F811
) -> None:
    token = await registered_and_open(client, smtp_server)
    clock.advance(timedelta(minutes=31))
    ended = await client.get("/community/api/owner")
    assert ended.status_code == 401
    assert ended.json()["error"]["code"] == "owner_session"
    clock.advance(timedelta(days=30))
    expired = await open_owner_page(client, token)
    assert expired.status_code == 410
    assert expired.json()["error"]["code"] == "link_expired"
    assert (await open_owner_page(client, "x" * 43)).status_code == 404


async def test_state_changes_need_the_csrf_token_and_the_same_origin(
    wf: Watchfloor, client: AsyncClient
) -> None:
    headers = await csrf(client)
    bare = await client.post("/community/api/registrations", json=registration())
    assert bare.status_code == 403
    assert bare.json()["error"]["code"] == "csrf"
    wrong = await client.post(
        "/community/api/registrations", json=registration(), headers={"X-CSRF-Token": "nope"}
    )
    assert wrong.status_code == 403
    cross = await client.post(
        "/community/api/registrations",
        json=registration(),
        headers={**headers, "Origin": "https://evil.example"},
    )
    assert cross.status_code == 403
    assert cross.json()["error"]["code"] == "cross_site"
    for path in ("/community/api/owner/pause", "/community/api/owner/logout"):
        assert (await client.post(path)).status_code == 403
    assert (await client.delete("/community/api/owner")).status_code == 403
    assert await count(wf, CommunitySite) == 0


async def test_registrations_are_rate_limited_per_client_and_per_e_mail(
    wf: Watchfloor,
    client: AsyncClient,
    smtp_server: SmtpServer,  # noqa: F811
) -> None:
    del smtp_server
    limits = wf.settings.community
    for _ in range(limits.register_limit_per_email):
        assert (await register(client)).status_code == 202
    refused = await register(client)
    assert refused.status_code == 429
    others = [registration(email=f"n{i}@example.org") for i in range(10)]
    statuses = [(await register(client, body)).status_code for body in others]
    attempts_so_far = limits.register_limit_per_email + 1  # the refused one counted too
    accepted = limits.register_limit_per_client - attempts_so_far
    assert statuses == [202] * accepted + [429] * (len(others) - accepted)
    assert await count(wf, CommunitySite) == limits.register_limit_per_email + accepted


async def test_pause_unlists_at_once_and_resume_lists_again(
    wf: Watchfloor,
    client: AsyncClient,
    smtp_server: SmtpServer,  # noqa: F811
) -> None:
    await registered_and_open(client, smtp_server)
    headers = await csrf(client)
    paused = await client.post("/community/api/owner/pause", headers=headers)
    assert paused.json()["status"] == "paused"
    assert await wf.community.registry.near(LAT, LON, 200, 20) == []
    assert wf.community.registry.index.in_box(60, 24, 61, 25, 100) == []
    resumed = await client.post("/community/api/owner/resume", headers=headers)
    assert resumed.json()["status"] == "active"
    assert len(await wf.community.registry.near(LAT, LON, 200, 20)) == 2
    await wf.community.registry.load()  # what a restart reads agrees
    assert len(wf.community.registry.index) == 2


async def test_an_update_keeps_camera_ids_and_a_new_e_mail_gets_a_new_link(
    wf: Watchfloor,
    client: AsyncClient,
    smtp_server: SmtpServer,  # noqa: F811
) -> None:
    old = await registered_and_open(client, smtp_server)
    view = (await client.get("/community/api/owner")).json()
    front = view["registration"]["cameras"][0]
    body = registration(
        email="anna.new@example.org",
        retention_days=30,
        cameras=[{**front, "label": "Front porch"}],
    )
    del body["consent"]
    headers = await csrf(client)
    response = await client.put("/community/api/owner", json=body, headers=headers)
    assert response.status_code == 200, response.text
    cameras = response.json()["registration"]["cameras"]
    assert [(c["id"], c["label"]) for c in cameras] == [(front["id"], "Front porch")]
    [listed] = await wf.community.registry.near(LAT, LON, 200, 20)
    assert (listed.name, listed.retention_days) == ("Front porch", 30)
    mails = await smtp_server.wait_for(3)
    assert [m.recipients for m in mails[1:]] == [["anna.new@example.org"], [EMAIL]]
    assert "changed" in mails[2].subject
    assert (await open_owner_page(client, old)).status_code == 404
    assert (await open_owner_page(client, link_in(mails[1].body))).status_code == 200
    bad = await client.put("/community/api/owner", json={**body, "lat": 0}, headers=headers)
    assert bad.status_code == 422
    assert (await client.get("/community/api/owner")).json()["registration"]["retention_days"] == 30


async def test_deletion_really_deletes_and_leaves_an_audit_receipt(
    wf: Watchfloor,
    client: AsyncClient,
    smtp_server: SmtpServer,  # noqa: F811
) -> None:
    await registered_and_open(client, smtp_server)
    headers = await csrf(client)
    response = await client.delete("/community/api/owner", headers=headers)
    assert response.status_code == 200, response.text
    receipt = response.json()["receipt"]
    assert 'wfc_owner=""' in response.headers["set-cookie"]
    for table in (CommunitySite, CommunityCamera, CommunityLink):
        assert await count(wf, table) == 0
    assert await wf.community.registry.near(LAT, LON, 200, 20) == []
    [record] = await wf.audit.query(AuditFilter(action="community.site.delete"))
    assert record.hash == receipt
    assert EMAIL not in str(record.details)
    mails = await smtp_server.wait_for(2)
    assert receipt in mails[-1].body
    assert (await client.get("/community/api/owner")).status_code == 401


async def test_logout_ends_the_owner_session(
    client: AsyncClient,
    smtp_server: SmtpServer,  # noqa: F811
) -> None:
    await registered_and_open(client, smtp_server)
    headers = await csrf(client)
    cookie = client.cookies.get("wfc_owner", path="/community/api")
    assert (await client.post("/community/api/owner/logout", headers=headers)).status_code == 204
    assert cookie
    client.cookies.set("wfc_owner", cookie, path="/community/api")
    assert (await client.get("/community/api/owner")).status_code == 401
