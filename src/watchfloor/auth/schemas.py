"""Request and response bodies of the auth routes."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from watchfloor.core.context import Role


class UserOut(BaseModel):
    """An account as shown to its owner and to admins (never secrets)."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    username: str
    display_name: str | None
    role: Role
    designator: str | None
    state: str
    created_at: datetime
    last_logon_at: datetime | None


class BannerOut(BaseModel):
    """The system use notification shown before logon."""

    text: str


class LogonIn(BaseModel):
    """Credentials, second factor and acknowledgement of the banner."""

    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=1024)
    totp: str = Field(min_length=6, max_length=10)
    banner_acknowledged: bool


class UnlockIn(BaseModel):
    """Re-authentication of a locked session."""

    password: str = Field(min_length=1, max_length=1024)
    totp: str = Field(min_length=6, max_length=10)


class LogonOut(BaseModel):
    """A new session: the caller and the CSRF token to send back on state changes."""

    user: UserOut
    csrf_token: str


class UserCreateIn(BaseModel):
    """An admin's request for a new account."""

    username: str = Field(min_length=2, max_length=64, pattern=r"^[A-Za-z0-9._-]+$")
    display_name: str | None = Field(None, max_length=200)
    role: Role
    designator: str | None = Field(None, max_length=20)
    password: str = Field(min_length=1, max_length=1024)


class UserCreatedOut(BaseModel):
    """A created account and its TOTP provisioning URI (shown this once)."""

    user: UserOut
    totp_provisioning_uri: str


class UserChangeIn(BaseModel):
    """A change of role and/or designator."""

    role: Role | None = None
    designator: str | None = Field(None, max_length=20)


class TotpResetOut(BaseModel):
    """A new TOTP secret's provisioning URI (shown this once)."""

    totp_provisioning_uri: str


class FeedCreateIn(BaseModel):
    """An admin's request for a feed account."""

    name: str = Field(min_length=2, max_length=100, pattern=r"^[A-Za-z0-9._-]+$")


class FeedOut(BaseModel):
    """A feed account (never its token)."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    name: str
    created_at: datetime
    revoked_at: datetime | None


class FeedCreatedOut(BaseModel):
    """A created feed account and its bearer token (shown this once)."""

    feed: FeedOut
    token: str
