"""Plain functions behind `watchfloor user add`."""

from __future__ import annotations

import asyncio

from watchfloor.audit.service import AuditLog
from watchfloor.auth.service import AuthService
from watchfloor.core.clock import SystemClock
from watchfloor.core.context import Role
from watchfloor.db.engine import Database
from watchfloor.settings import Settings


async def _add_user(
    settings: Settings, username: str, role: Role, designator: str | None, password: str
) -> str:
    db = Database(settings.sqlalchemy_url(), sqlite_synchronous=settings.sqlite_synchronous)
    clock = SystemClock()
    try:
        auth = AuthService(db, clock, AuditLog(db, clock), settings.security)
        _user, uri = await auth.create_user(username, role, designator, password)
        return uri
    finally:
        await db.dispose()


def add_user(
    settings: Settings, username: str, role: Role | str, designator: str | None, password: str
) -> str:
    """Create an account as the system actor system:cli; returns its TOTP provisioning URI."""
    return asyncio.run(_add_user(settings, username, Role(role), designator, password))
