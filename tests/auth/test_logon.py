"""Logon: banner, password and TOTP, replay resistance, cookies, auditing."""

from __future__ import annotations

from datetime import timedelta

from httpx import AsyncClient

from tests.auth.helpers import PASSWORD, audited, code_at, logon, wrong_code
from tests.support.auth import totp_secret_of
from watchfloor.app import Watchfloor
from watchfloor.audit.service import Outcome
from watchfloor.core.clock import ManualClock
from watchfloor.core.context import Role


async def _analyst(wf: Watchfloor) -> str:
    _user, uri = await wf.auth.create_user("kim", Role.ANALYST, None, PASSWORD)
    return totp_secret_of(uri)


async def test_banner_is_public(wf: Watchfloor, client: AsyncClient) -> None:
    response = await client.get("/api/auth/banner")
    assert response.status_code == 200
    assert response.json()["text"] == wf.settings.security.banner_text


async def test_logon_requires_banner_acknowledgement(wf: Watchfloor, client: AsyncClient) -> None:
    secret = await _analyst(wf)
    response = await logon(client, "kim", PASSWORD, code_at(wf, secret), banner_acknowledged=False)
    assert response.status_code == 422
    assert response.json()["error"]["problems"][0]["pointer"] == "/banner_acknowledged"
    assert "wf_session" not in response.cookies


async def test_logon_sets_strict_cookies_and_returns_csrf(
    wf: Watchfloor, client: AsyncClient
) -> None:
    secret = await _analyst(wf)
    response = await logon(client, "kim", PASSWORD, code_at(wf, secret))
    assert response.status_code == 200
    cookies = {h.split("=", 1)[0]: h for h in response.headers.get_list("set-cookie")}
    session = cookies["wf_session"].lower()
    assert "httponly" in session
    assert "secure" in session
    assert "samesite=strict" in session
    assert "path=/" in session
    csrf = cookies["wf_csrf"].lower()
    assert "httponly" not in csrf
    assert "samesite=strict" in csrf
    assert response.json()["csrf_token"] == response.cookies["wf_csrf"]
    me = await client.get("/api/auth/me")
    assert me.json()["username"] == "kim"
    assert "password_hash" not in me.json()
    assert "totp_secret" not in me.json()


async def test_logon_needs_the_right_totp(wf: Watchfloor, client: AsyncClient) -> None:
    secret = await _analyst(wf)
    response = await logon(client, "kim", PASSWORD, wrong_code(wf, secret))
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "invalid_credentials"


async def test_wrong_password_is_refused(wf: Watchfloor, client: AsyncClient) -> None:
    secret = await _analyst(wf)
    response = await logon(client, "kim", PASSWORD + "x", code_at(wf, secret))
    assert response.status_code == 401


async def test_totp_code_cannot_be_replayed(wf: Watchfloor, client: AsyncClient) -> None:
    secret = await _analyst(wf)
    code = code_at(wf, secret)
    assert (await logon(client, "kim", PASSWORD, code)).status_code == 200
    assert (await logon(client, "kim", PASSWORD, code)).status_code == 401


async def test_totp_accepts_one_step_of_drift(
    wf: Watchfloor, client: AsyncClient, clock: ManualClock
) -> None:
    secret = await _analyst(wf)
    code = code_at(wf, secret)
    clock.advance(timedelta(seconds=30))
    assert (await logon(client, "kim", PASSWORD, code)).status_code == 200
    clock.advance(timedelta(seconds=30))
    assert (await logon(client, "kim", PASSWORD, code)).status_code == 401


async def test_logons_are_audited_with_origin_and_no_secrets(
    wf: Watchfloor, client: AsyncClient, clock: ManualClock
) -> None:
    secret = await _analyst(wf)
    headers = {"user-agent": "rtcc-console/2.1"}
    await client.post(
        "/api/auth/logon",
        json={"username": "kim", "password": "nope nope nope", "totp": "123456",
              "banner_acknowledged": True},
        headers=headers,
    )  # fmt: skip
    await client.post(
        "/api/auth/logon",
        json={"username": "kim", "password": PASSWORD, "totp": code_at(wf, secret),
              "banner_acknowledged": True},
        headers=headers,
    )  # fmt: skip
    failed, succeeded = await audited(wf, "auth.logon")
    assert (failed.outcome, succeeded.outcome) == (Outcome.DENIED, Outcome.SUCCESS)
    for record in (failed, succeeded):
        assert record.actor_username == "kim"
        assert record.address == "203.0.113.7"
        assert record.user_agent == "rtcc-console/2.1"
        assert "nope" not in str(record.details)
        assert PASSWORD not in str(record.details)
        assert secret not in str(record.details)
    assert failed.reason == "wrong password"


async def test_unknown_user_is_audited_and_refused(wf: Watchfloor, client: AsyncClient) -> None:
    response = await logon(client, "ghost", PASSWORD, "123456")
    assert response.status_code == 401
    [record] = await audited(wf, "auth.logon")
    assert (record.actor_username, record.outcome) == ("ghost", Outcome.DENIED)
