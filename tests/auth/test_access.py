"""Roles and feed tokens at the Gate: denials are 403 and audited."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Annotated

import pytest
from fastapi import APIRouter
from httpx import ASGITransport, AsyncClient
from sqlalchemy import update

from tests.auth.helpers import audited
from tests.support.auth import feed_token, login_as
from watchfloor.app import Watchfloor, create_app
from watchfloor.audit.service import Outcome
from watchfloor.auth.feed_tokens import FEED_TOKEN_TTL_S
from watchfloor.auth.models import FeedAccount
from watchfloor.core.clock import ManualClock
from watchfloor.core.context import Role
from watchfloor.web.policy import Principal, allow

probe = APIRouter(prefix="/api/test-probe")


@probe.post("/intake")
async def intake(principal: Annotated[Principal, allow(Role.FEED)]) -> dict[str, str]:
    """A route only feeds may call."""
    return {"caller": principal.username, "role": principal.role.value}


@pytest.fixture
async def probed(wf: Watchfloor) -> AsyncIterator[AsyncClient]:
    """A client to the app with a feed-only route added."""
    app = create_app(wf)
    app.include_router(probe)
    transport = ASGITransport(app=app, client=("203.0.113.7", 50000))
    async with AsyncClient(transport=transport, base_url="https://testserver") as http:
        yield http


async def test_role_not_allowed_is_403_and_audited(wf: Watchfloor, client: AsyncClient) -> None:
    operator = await login_as(wf, client, Role.OPERATOR)
    response = await client.get("/api/admin/users")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"
    [record] = await audited(wf, "access.denied")
    assert record.outcome == Outcome.DENIED
    assert record.actor_username == operator.username
    assert record.object_id == "/api/admin/users"
    assert record.address == "203.0.113.7"


async def test_feed_token_works_where_feeds_are_allowed(
    wf: Watchfloor, probed: AsyncClient
) -> None:
    token = await feed_token(wf, probed, "cad-north")
    bearer = {"Authorization": f"Bearer {token}"}
    response = await probed.post("/api/test-probe/intake", headers=bearer)
    assert response.status_code == 200
    assert response.json() == {"caller": "feed:cad-north", "role": "feed"}
    refused = await probed.get("/api/admin/users", headers=bearer)
    assert refused.status_code == 403
    assert (await probed.get("/api/auth/me", headers=bearer)).status_code == 403


async def test_people_cannot_use_feed_routes(wf: Watchfloor, probed: AsyncClient) -> None:
    await login_as(wf, probed, Role.ADMIN)
    assert (await probed.post("/api/test-probe/intake")).status_code == 403


async def test_bad_or_revoked_feed_token_is_refused(wf: Watchfloor, probed: AsyncClient) -> None:
    bad = {"Authorization": "Bearer not-a-token"}
    assert (await probed.post("/api/test-probe/intake", headers=bad)).status_code == 401
    await login_as(wf, probed, Role.ADMIN)
    created = (await probed.post("/api/admin/feeds", json={"name": "cad-west"})).json()
    bearer = {"Authorization": f"Bearer {created['token']}"}
    assert (await probed.post("/api/test-probe/intake", headers=bearer)).status_code == 200
    revoked = await probed.delete(f"/api/admin/feeds/{created['feed']['id']}")
    assert revoked.status_code == 200
    assert (await probed.post("/api/test-probe/intake", headers=bearer)).status_code == 401
    assert len(await audited(wf, "admin.feed.")) == 2
    listed = (await probed.get("/api/admin/feeds")).json()
    assert "token" not in listed[0]


async def test_a_feed_revoked_by_another_node_is_refused_within_seconds(
    wf: Watchfloor, probed: AsyncClient, clock: ManualClock
) -> None:
    feed, token = await wf.auth.create_feed("lpr-east")
    bearer = {"Authorization": f"Bearer {token}"}
    assert (await probed.post("/api/test-probe/intake", headers=bearer)).status_code == 200
    async with wf.db.session() as session:  # as another process would: not through this one
        revoke = update(FeedAccount).where(FeedAccount.id == feed.id)
        await session.execute(revoke.values(revoked_at=clock.now()))
    # recognised from memory for a few seconds, then read from the store again
    assert (await probed.post("/api/test-probe/intake", headers=bearer)).status_code == 200
    clock.advance(timedelta(seconds=FEED_TOKEN_TTL_S))
    assert (await probed.post("/api/test-probe/intake", headers=bearer)).status_code == 401
