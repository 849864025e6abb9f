"""Sessions: idle lock and unlock (AC-11), 12 h expiry, logout (AC-12), CSRF."""

from __future__ import annotations

from datetime import timedelta

from httpx import AsyncClient

from tests.auth.helpers import audited, code_at
from tests.support.auth import login_as
from watchfloor.app import Watchfloor
from watchfloor.core.clock import ManualClock
from watchfloor.core.context import Role


async def test_no_session_is_not_authenticated(client: AsyncClient) -> None:
    response = await client.get("/api/auth/me")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


async def test_activity_keeps_the_session_alive(
    wf: Watchfloor, client: AsyncClient, clock: ManualClock
) -> None:
    await login_as(wf, client, Role.ANALYST)
    for _ in range(3):
        clock.advance(timedelta(minutes=29))
        assert (await client.get("/api/auth/me")).status_code == 200


async def test_idle_session_locks_and_unlock_resumes_it(
    wf: Watchfloor, client: AsyncClient, clock: ManualClock
) -> None:
    me = await login_as(wf, client, Role.ANALYST)
    token = client.cookies["wf_session"]
    clock.advance(timedelta(minutes=31))
    response = await client.get("/api/auth/me")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "session_locked"
    body = {"password": me.password, "totp": code_at(wf, me.totp_secret)}
    assert (await client.post("/api/auth/unlock", json=body)).status_code == 200
    assert client.cookies["wf_session"] == token
    assert (await client.get("/api/auth/me")).json()["username"] == me.username
    assert len(await audited(wf, "auth.session.unlock")) == 1


async def test_unlock_with_wrong_password_keeps_it_locked(
    wf: Watchfloor, client: AsyncClient, clock: ManualClock
) -> None:
    me = await login_as(wf, client, Role.ANALYST)
    clock.advance(timedelta(minutes=31))
    body = {"password": "not it at all", "totp": code_at(wf, me.totp_secret)}
    assert (await client.post("/api/auth/unlock", json=body)).status_code == 401
    assert (await client.get("/api/auth/me")).json()["error"]["code"] == "session_locked"


async def test_session_expires_after_twelve_hours(
    wf: Watchfloor, client: AsyncClient, clock: ManualClock
) -> None:
    await login_as(wf, client, Role.ANALYST)
    for _ in range(25):
        clock.advance(timedelta(minutes=29))
        await client.get("/api/auth/me")
    response = await client.get("/api/auth/me")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "session_expired"


async def test_logout_erases_the_session(wf: Watchfloor, client: AsyncClient) -> None:
    await login_as(wf, client, Role.ANALYST)
    old_cookie = client.cookies["wf_session"]
    response = await client.post("/api/auth/logout")
    assert response.status_code == 204
    assert "wf_session" not in client.cookies
    client.cookies.set("wf_session", old_cookie)
    assert (await client.get("/api/auth/me")).status_code == 401


async def test_state_change_without_csrf_token_is_refused(
    wf: Watchfloor, client: AsyncClient
) -> None:
    admin = await login_as(wf, client, Role.ADMIN)
    del client.headers["X-CSRF-Token"]
    response = await client.post("/api/admin/feeds", json={"name": "cad-east"})
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "csrf_failed"
    client.headers["X-CSRF-Token"] = admin.csrf_token + "x"
    response = await client.post("/api/admin/feeds", json={"name": "cad-east"})
    assert response.json()["error"]["code"] == "csrf_failed"
    client.headers["X-CSRF-Token"] = admin.csrf_token
    assert (await client.post("/api/admin/feeds", json={"name": "cad-east"})).status_code == 201


async def test_logout_without_csrf_token_is_refused(wf: Watchfloor, client: AsyncClient) -> None:
    await login_as(wf, client, Role.ANALYST)
    del client.headers["X-CSRF-Token"]
    assert (await client.post("/api/auth/logout")).status_code == 403
    assert (await client.get("/api/auth/me")).status_code == 200
