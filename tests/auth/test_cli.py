"""`watchfloor user add` helper: creates the account as system:cli and returns the URI."""

from __future__ import annotations

import asyncio

from watchfloor.app import build
from watchfloor.audit.service import AuditFilter
from watchfloor.auth.cli import add_user
from watchfloor.settings import Settings


def test_add_user_returns_the_uri_and_is_audited_as_the_cli(settings: Settings) -> None:
    uri = add_user(settings, "root-admin", "admin", None, "a long and quiet harbour")
    assert uri.startswith("otpauth://totp/")
    assert "root-admin" in uri

    async def created_by() -> list[str]:
        wf = build(settings, migrate=False)
        try:
            records = await wf.audit.query(AuditFilter(action="admin.user.created"))
            return [r.actor_username for r in records]
        finally:
            await wf.stop()

    assert asyncio.run(created_by()) == ["system:cli"]
