"""Small helpers shared by the auth tests."""

from __future__ import annotations

from typing import Any

import pyotp
from httpx import AsyncClient, Response

from watchfloor.app import Watchfloor
from watchfloor.audit.models import AuditRecord
from watchfloor.audit.service import AuditFilter

PASSWORD = "a long and quiet harbour at dusk"


async def logon(
    client: AsyncClient, username: str, password: str, code: str, **extra: Any
) -> Response:
    """POST /api/auth/logon with the banner acknowledged unless told otherwise."""
    body = {"username": username, "password": password, "totp": code, "banner_acknowledged": True}
    return await client.post("/api/auth/logon", json=body | extra)


def code_at(wf: Watchfloor, secret: str) -> str:
    """The TOTP code for the Watchfloor clock's current time."""
    return str(pyotp.TOTP(secret).at(wf.clock.now()))


def wrong_code(wf: Watchfloor, secret: str) -> str:
    """A code that is not valid in any accepted step."""
    now = int(wf.clock.now().timestamp())
    valid = {str(pyotp.TOTP(secret).at(now + 30 * offset)) for offset in (-1, 0, 1)}
    return next(c for c in ("000000", "111111", "222222", "333333") if c not in valid)


async def audited(wf: Watchfloor, action: str) -> list[AuditRecord]:
    """Audit records whose action starts with action."""
    return await wf.audit.query(AuditFilter(action=action, limit=500))
