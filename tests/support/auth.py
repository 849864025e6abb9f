"""Log a test client on as a fresh user of a given role, or mint a feed token."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

import pyotp
from httpx import AsyncClient

from watchfloor.app import Watchfloor
from watchfloor.core.context import Role

DEFAULT_DESIGNATORS: dict[Role, str | None] = {
    Role.OPERATOR: "RT1",
    Role.SUPERVISOR: "RT700",
    Role.ANALYST: None,
    Role.ADMIN: None,
    Role.AUDITOR: None,
}


@dataclass(frozen=True)
class LoggedOn:
    """What a test knows about the user it logged on as."""

    user_id: str
    username: str
    role: Role
    designator: str | None
    password: str
    totp_secret: str
    csrf_token: str

    def totp_now(self, wf: Watchfloor) -> str:
        """The TOTP code for the current time on the Watchfloor's clock."""
        return str(pyotp.TOTP(self.totp_secret).at(wf.clock.now()))


def totp_secret_of(provisioning_uri: str) -> str:
    """The base32 secret inside an otpauth:// provisioning URI."""
    parsed = pyotp.parse_uri(provisioning_uri)
    return str(parsed.secret)


async def login_as(
    wf: Watchfloor,
    client: AsyncClient,
    role: Role,
    *,
    username: str | None = None,
    designator: str | None = None,
) -> LoggedOn:
    """Create a user of role, log the client on over HTTP, and set its X-CSRF-Token header."""
    username = username or f"{role.value}-{secrets.token_hex(3)}"
    designator = designator if designator is not None else DEFAULT_DESIGNATORS.get(role)
    password = f"correct horse {secrets.token_hex(4)} battery"
    user, uri = await wf.auth.create_user(username, role, designator, password)
    secret = totp_secret_of(uri)
    response = await client.post(
        "/api/auth/logon",
        json={
            "username": username,
            "password": password,
            "totp": str(pyotp.TOTP(secret).at(wf.clock.now())),
            "banner_acknowledged": True,
        },
    )
    assert response.status_code == 200, response.text
    csrf = str(response.json()["csrf_token"])
    client.headers["X-CSRF-Token"] = csrf
    return LoggedOn(user.id, username, role, designator, password, secret, csrf)


async def feed_token(wf: Watchfloor, client: AsyncClient, name: str | None = None) -> str:
    """Create a feed account (as the system) and return its bearer token."""
    del client  # bearer tokens travel per request: Authorization: Bearer <token>
    _feed, token = await wf.auth.create_feed(name or f"cad-{secrets.token_hex(3)}")
    return token
