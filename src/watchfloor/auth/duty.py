"""Who is on duty: supervisors with a live (unlocked, unexpired) session right now."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from watchfloor.auth.accounts import AccountState
from watchfloor.auth.models import AuthSession, UserAccount
from watchfloor.core.clock import Clock
from watchfloor.core.context import Role
from watchfloor.db.engine import Database
from watchfloor.settings import SecuritySettings


@dataclass(frozen=True, slots=True)
class OnDuty:
    """A person on duty."""

    user_id: str
    username: str
    display_name: str | None
    designator: str | None


async def on_duty(
    db: Database, now: datetime, security: SecuritySettings, role: Role = Role.SUPERVISOR
) -> list[OnDuty]:
    """Active accounts of the role with a session seen within the idle limit and not expired."""
    idle_since = now - timedelta(minutes=security.session_idle_minutes)
    born_since = now - timedelta(hours=security.session_max_hours)
    query = (
        select(
            UserAccount.id, UserAccount.username, UserAccount.display_name, UserAccount.designator
        )
        .join(AuthSession, AuthSession.user_id == UserAccount.id)
        .where(
            UserAccount.role == role.value,
            UserAccount.state == AccountState.ACTIVE.value,
            AuthSession.last_seen_at >= idle_since,
            AuthSession.created_at >= born_since,
        )
        .distinct()
        .order_by(UserAccount.username)
    )
    async with db.read_session() as session:
        rows = (await session.execute(query)).all()
    return [OnDuty(user_id=r[0], username=r[1], display_name=r[2], designator=r[3]) for r in rows]


async def supervisors_on_duty(db: Database, clock: Clock, security: SecuritySettings) -> list[str]:
    """Usernames of the supervisors on duty now."""
    return [person.username for person in await on_duty(db, clock.now(), security)]
