"""Account administration for admins: users and feed accounts (every change audited)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Request

from watchfloor.auth.accounts import Accounts, AccountState
from watchfloor.auth.schemas import (
    FeedCreatedOut,
    FeedCreateIn,
    FeedOut,
    TotpResetOut,
    UserChangeIn,
    UserCreatedOut,
    UserCreateIn,
    UserOut,
)
from watchfloor.core.context import Role
from watchfloor.web.policy import Principal, allow

router = APIRouter(prefix="/api/admin", tags=["admin"])
Admin = Annotated[Principal, allow(Role.ADMIN)]


def _accounts(request: Request) -> Accounts:
    accounts: Accounts = request.app.state.watchfloor.auth.accounts
    return accounts


@router.get("/users")
async def list_users(principal: Admin, request: Request) -> list[UserOut]:
    """Every account."""
    return await _accounts(request).list_users()


@router.post("/users", status_code=201)
async def create_user(body: UserCreateIn, principal: Admin, request: Request) -> UserCreatedOut:
    """Create an account; the TOTP provisioning URI is in this answer only."""
    user, uri = await _accounts(request).create_user(
        body.username,
        body.role,
        body.designator,
        body.password,
        body.display_name,
        principal.context,
    )
    return UserCreatedOut(user=user, totp_provisioning_uri=uri)


@router.patch("/users/{user_id}")
async def change_user(
    user_id: str, body: UserChangeIn, principal: Admin, request: Request
) -> UserOut:
    """Change an account's role and/or designator (a new role ends its sessions)."""
    return await _accounts(request).change_user(
        user_id, body.role, body.designator, principal.context
    )


@router.post("/users/{user_id}/disable")
async def disable_user(user_id: str, principal: Admin, request: Request) -> UserOut:
    """Disable an account and end its sessions."""
    return await _accounts(request).set_state(user_id, AccountState.DISABLED, principal.context)


@router.post("/users/{user_id}/unlock")
async def unlock_user(user_id: str, principal: Admin, request: Request) -> UserOut:
    """Release an account locked by failed logons."""
    return await _accounts(request).set_state(user_id, AccountState.ACTIVE, principal.context)


@router.post("/users/{user_id}/totp-reset")
async def reset_totp(user_id: str, principal: Admin, request: Request) -> TotpResetOut:
    """Give the account a new TOTP secret (its URI is in this answer only)."""
    uri = await _accounts(request).reset_totp(user_id, principal.context)
    return TotpResetOut(totp_provisioning_uri=uri)


@router.get("/feeds")
async def list_feeds(principal: Admin, request: Request) -> list[FeedOut]:
    """Every feed account."""
    return await _accounts(request).list_feeds()


@router.post("/feeds", status_code=201)
async def create_feed(body: FeedCreateIn, principal: Admin, request: Request) -> FeedCreatedOut:
    """Create a feed account; its bearer token is in this answer only."""
    feed, token = await _accounts(request).create_feed(body.name, principal.context)
    return FeedCreatedOut(feed=feed, token=token)


@router.delete("/feeds/{feed_id}")
async def revoke_feed(feed_id: str, principal: Admin, request: Request) -> FeedOut:
    """Revoke a feed account's token."""
    return await _accounts(request).revoke_feed(feed_id, principal.context)
