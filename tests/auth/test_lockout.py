"""AC-7: 5 failed logons within 15 minutes lock the account until an admin releases it."""

from __future__ import annotations

from datetime import timedelta

from httpx import AsyncClient

from tests.auth.helpers import PASSWORD, audited, code_at, logon, wrong_code
from tests.support.auth import login_as, totp_secret_of
from watchfloor.app import Watchfloor
from watchfloor.core.clock import ManualClock
from watchfloor.core.context import Role


async def _user(wf: Watchfloor) -> tuple[str, str]:
    user, uri = await wf.auth.create_user("lee", Role.OPERATOR, "RT2", PASSWORD)
    return user.id, totp_secret_of(uri)


async def _fail(client: AsyncClient, clock: ManualClock, times: int, gap_s: int) -> None:
    for _ in range(times):
        assert (await logon(client, "lee", "not the password", "123456")).status_code == 401
        clock.advance(timedelta(seconds=gap_s))


async def test_five_failures_lock_the_account(
    wf: Watchfloor, client: AsyncClient, clock: ManualClock
) -> None:
    _id, secret = await _user(wf)
    await _fail(client, clock, 5, 60)
    response = await logon(client, "lee", PASSWORD, code_at(wf, secret))
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "invalid_credentials"
    assert len(await audited(wf, "auth.account.locked")) == 1
    clock.advance(timedelta(hours=3))
    assert (await logon(client, "lee", PASSWORD, code_at(wf, secret))).status_code == 401


async def test_four_failures_do_not_lock(
    wf: Watchfloor, client: AsyncClient, clock: ManualClock
) -> None:
    _id, secret = await _user(wf)
    await _fail(client, clock, 4, 60)
    assert (await logon(client, "lee", PASSWORD, code_at(wf, secret))).status_code == 200


async def test_wrong_totp_counts_as_a_failure(wf: Watchfloor, client: AsyncClient) -> None:
    _id, secret = await _user(wf)
    for _ in range(5):
        assert (await logon(client, "lee", PASSWORD, wrong_code(wf, secret))).status_code == 401
    assert (await logon(client, "lee", PASSWORD, code_at(wf, secret))).status_code == 401
    assert len(await audited(wf, "auth.account.locked")) == 1


async def test_failures_spread_over_more_than_the_window_do_not_lock(
    wf: Watchfloor, client: AsyncClient, clock: ManualClock
) -> None:
    _id, secret = await _user(wf)
    await _fail(client, clock, 5, 4 * 60)  # 5 failures over 20 minutes
    assert (await logon(client, "lee", PASSWORD, code_at(wf, secret))).status_code == 200


async def test_success_resets_the_count(
    wf: Watchfloor, client: AsyncClient, clock: ManualClock
) -> None:
    _id, secret = await _user(wf)
    await _fail(client, clock, 4, 10)
    assert (await logon(client, "lee", PASSWORD, code_at(wf, secret))).status_code == 200
    await _fail(client, clock, 4, 10)
    assert (await logon(client, "lee", PASSWORD, code_at(wf, secret))).status_code == 200


async def test_admin_unlock_releases_and_is_audited(
    wf: Watchfloor, client: AsyncClient, clock: ManualClock
) -> None:
    user_id, secret = await _user(wf)
    await _fail(client, clock, 5, 10)
    admin = await login_as(wf, client, Role.ADMIN)
    response = await client.post(f"/api/admin/users/{user_id}/unlock")
    assert response.status_code == 200
    assert response.json()["state"] == "active"
    [record] = await audited(wf, "admin.user.unlocked")
    assert (record.actor_username, record.object_id) == (admin.username, user_id)
    clock.advance(timedelta(seconds=30))
    assert (await logon(client, "lee", PASSWORD, code_at(wf, secret))).status_code == 200
