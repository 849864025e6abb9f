"""Admin user management: every change audited; role change and disabling end sessions."""

from __future__ import annotations

import pytest
from httpx import ASGITransport, AsyncClient

from tests.auth.helpers import audited
from tests.support.auth import login_as
from watchfloor.app import Watchfloor, create_app
from watchfloor.auth.accounts import designator_problem
from watchfloor.core.context import Role
from watchfloor.core.errors import InvalidInput


async def _second_client(wf: Watchfloor) -> AsyncClient:
    transport = ASGITransport(app=create_app(wf), client=("203.0.113.8", 50001))
    return AsyncClient(transport=transport, base_url="https://testserver")


@pytest.mark.parametrize(
    ("role", "designator", "ok"),
    [
        (Role.OPERATOR, "RT1", True),
        (Role.OPERATOR, "RT8", True),
        (Role.OPERATOR, "RT9", False),
        (Role.OPERATOR, None, False),
        (Role.OPERATOR, "RT700", False),
        (Role.SUPERVISOR, "RT710", True),
        (Role.SUPERVISOR, "RT730", False),
        (Role.SUPERVISOR, "RT1", False),
        (Role.ANALYST, None, True),
        (Role.AUDITOR, "RT5", True),
        (Role.ADMIN, "unit 5", False),
    ],
)
def test_designator_rules(role: Role, designator: str | None, ok: bool) -> None:
    assert (designator_problem(role, designator) is None) is ok


async def test_bad_designator_is_refused_on_create(wf: Watchfloor) -> None:
    with pytest.raises(InvalidInput) as refused:
        await wf.auth.create_user("ops9", Role.OPERATOR, "RT9", "a long and quiet harbour")
    assert refused.value.problems[0].pointer == "/designator"


async def test_admin_creates_lists_and_the_uri_is_shown_once(
    wf: Watchfloor, client: AsyncClient
) -> None:
    await login_as(wf, client, Role.ADMIN)
    body = {"username": "nina", "role": "operator", "designator": "RT4",
            "password": "a long and quiet harbour"}  # fmt: skip
    response = await client.post("/api/admin/users", json=body)
    assert response.status_code == 201
    assert response.json()["totp_provisioning_uri"].startswith("otpauth://totp/")
    listed = (await client.get("/api/admin/users")).json()
    assert "nina" in [u["username"] for u in listed]
    assert all("totp" not in str(u) for u in listed)
    record = (await audited(wf, "admin.user.created"))[-1]
    assert record.actor_role == "admin"
    assert record.object_id == response.json()["user"]["id"]
    assert "harbour" not in str(record.details)


async def test_role_change_ends_sessions_and_is_audited(
    wf: Watchfloor, client: AsyncClient
) -> None:
    async with await _second_client(wf) as other:
        analyst = await login_as(wf, other, Role.ANALYST)
        await login_as(wf, client, Role.ADMIN)
        change = {"role": "supervisor", "designator": "RT720"}
        response = await client.patch(f"/api/admin/users/{analyst.user_id}", json=change)
        assert response.status_code == 200
        assert (response.json()["role"], response.json()["designator"]) == ("supervisor", "RT720")
        assert (await other.get("/api/auth/me")).status_code == 401
    [record] = await audited(wf, "admin.user.changed")
    assert record.details["role"] == ["analyst", "supervisor"]


async def test_disable_ends_sessions_and_blocks_logon(wf: Watchfloor, client: AsyncClient) -> None:
    async with await _second_client(wf) as other:
        analyst = await login_as(wf, other, Role.ANALYST)
        await login_as(wf, client, Role.ADMIN)
        response = await client.post(f"/api/admin/users/{analyst.user_id}/disable")
        assert response.json()["state"] == "disabled"
        assert (await other.get("/api/auth/me")).status_code == 401
        unlocked = await client.post(f"/api/admin/users/{analyst.user_id}/unlock")
        assert unlocked.status_code == 409
    assert len(await audited(wf, "admin.user.disabled")) == 1


async def test_totp_reset_gives_a_new_secret(wf: Watchfloor, client: AsyncClient) -> None:
    async with await _second_client(wf) as other:
        analyst = await login_as(wf, other, Role.ANALYST)
        await login_as(wf, client, Role.ADMIN)
        response = await client.post(f"/api/admin/users/{analyst.user_id}/totp-reset")
        uri = response.json()["totp_provisioning_uri"]
        assert analyst.totp_secret not in uri
        assert (await other.get("/api/auth/me")).status_code == 401
    assert len(await audited(wf, "admin.user.totp_reset")) == 1
