"""Account administration: users and feed accounts, every change audited (AC-2, AC-6(9))."""

from __future__ import annotations

import asyncio
import re
import secrets
import uuid
from collections.abc import Mapping
from enum import StrEnum

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from watchfloor.audit.service import AuditEntry, AuditLog
from watchfloor.auth import passwords, totp
from watchfloor.auth.feed_tokens import FeedTokenCache
from watchfloor.auth.models import AuthSession, FeedAccount, UserAccount
from watchfloor.auth.schemas import FeedOut, UserOut
from watchfloor.auth.tokens import digest
from watchfloor.core.clock import Clock
from watchfloor.core.context import Actor, RequestContext, Role
from watchfloor.core.errors import Conflict, FieldProblem, InvalidInput, NotFound
from watchfloor.db.engine import Database
from watchfloor.settings import SecuritySettings

OPERATOR_DESIGNATORS = frozenset(f"RT{n}" for n in range(1, 9))
SUPERVISOR_DESIGNATORS = frozenset({"RT700", "RT710", "RT720"})
_OTHER_DESIGNATOR = re.compile(r"^RT[0-9]{1,4}$")
CLI_CONTEXT = RequestContext(actor=Actor.system("cli"))


class AccountState(StrEnum):
    """Active accounts may log on; locked ones wait for an admin; disabled ones are retired."""

    ACTIVE = "active"
    LOCKED = "locked"
    DISABLED = "disabled"


def designator_problem(role: Role, designator: str | None) -> str | None:
    """Why a unit designator does not fit the role, or None."""
    if role is Role.OPERATOR and designator not in OPERATOR_DESIGNATORS:
        return "operators need a designator RT1 to RT8"
    if role is Role.SUPERVISOR and designator not in SUPERVISOR_DESIGNATORS:
        return "supervisors need a designator RT700, RT710 or RT720"
    if designator is not None and not _OTHER_DESIGNATOR.match(designator):
        return "a designator is RT followed by digits"
    return None


def _check_designator(role: Role, designator: str | None) -> None:
    problem = designator_problem(role, designator)
    if problem is not None:
        raise InvalidInput(
            f"designator {designator!r}: {problem}", [FieldProblem("/designator", problem)]
        )


class Accounts:
    """Creates and changes user and feed accounts."""

    def __init__(
        self,
        db: Database,
        clock: Clock,
        audit: AuditLog,
        security: SecuritySettings,
        feed_tokens: FeedTokenCache,
    ) -> None:
        self._db = db
        self._clock = clock
        self._audit = audit
        self._security = security
        self._feed_tokens = feed_tokens

    async def create_user(
        self,
        username: str,
        role: Role,
        designator: str | None,
        password: str,
        display_name: str | None = None,
        context: RequestContext | None = None,
    ) -> tuple[UserOut, str]:
        """A new active account and its TOTP provisioning URI (to be shown once)."""
        if role is Role.FEED:
            raise InvalidInput(
                "feed accounts are created as feeds",
                [FieldProblem("/role", "use /api/admin/feeds")],
            )
        _check_designator(role, designator)
        sec = self._security
        passwords.check_password(
            password, username, sec.password_min_length, sec.password_max_length
        )
        password_hash = await asyncio.to_thread(passwords.hash_password, password)
        secret = totp.new_secret()
        user = UserAccount(
            id=str(uuid.uuid4()), username=username, display_name=display_name, role=role.value,
            designator=designator, state=AccountState.ACTIVE.value, password_hash=password_hash,
            totp_secret=secret, created_at=self._clock.now(),
        )  # fmt: skip
        async with self._db.session() as session:
            if await session.scalar(select(UserAccount.id).where(UserAccount.username == username)):
                raise Conflict(f"username {username!r} is taken", "username_taken")
            session.add(user)
            await session.flush()
            details = {"username": username, "role": role.value, "designator": designator}
            await self._audited(session, context, "admin.user.created", user.id, details)
        return UserOut.model_validate(user), totp.provisioning_uri(
            secret, username, sec.totp_issuer
        )

    async def list_users(self) -> list[UserOut]:
        """Every account, by username."""
        async with self._db.read_session() as session:
            users = await session.scalars(select(UserAccount).order_by(UserAccount.username))
            return [UserOut.model_validate(u) for u in users]

    async def change_user(
        self, user_id: str, role: Role | None, designator: str | None, context: RequestContext
    ) -> UserOut:
        """Change role and/or designator; a changed role ends the user's sessions (IA-11)."""
        async with self._db.session() as session:
            user = await self._user(session, user_id)
            new_role = role or Role(user.role)
            if new_role is Role.FEED:
                raise InvalidInput(
                    "a person cannot hold the feed role", [FieldProblem("/role", "not allowed")]
                )
            new_designator = designator if designator is not None else user.designator
            if (
                role is not None
                and designator is None
                and designator_problem(new_role, new_designator)
            ):
                new_designator = None
            _check_designator(new_role, new_designator)
            details = {
                "role": [user.role, new_role.value],
                "designator": [user.designator, new_designator],
            }
            if new_role.value != user.role:
                await session.execute(delete(AuthSession).where(AuthSession.user_id == user_id))
            user.role, user.designator = new_role.value, new_designator
            await self._audited(session, context, "admin.user.changed", user_id, details)
            return UserOut.model_validate(user)

    async def set_state(
        self, user_id: str, state: AccountState, context: RequestContext
    ) -> UserOut:
        """Disable, or release (unlock) an account; disabling ends its sessions."""
        async with self._db.session() as session:
            user = await self._user(session, user_id)
            before = user.state
            if state is AccountState.ACTIVE:
                if before == AccountState.DISABLED:
                    raise Conflict("a disabled account stays disabled", "account_disabled")
                user.failures_since = self._clock.now()
            else:
                await session.execute(delete(AuthSession).where(AuthSession.user_id == user_id))
            user.state = state.value
            action = (
                "admin.user.unlocked"
                if state is AccountState.ACTIVE
                else f"admin.user.{state.value}"
            )
            await self._audited(session, context, action, user_id, {"state": [before, state.value]})
            return UserOut.model_validate(user)

    async def reset_totp(self, user_id: str, context: RequestContext) -> str:
        """A new TOTP secret for the account; returns its provisioning URI (shown once)."""
        async with self._db.session() as session:
            user = await self._user(session, user_id)
            user.totp_secret, user.totp_last_step = totp.new_secret(), None
            await session.execute(delete(AuthSession).where(AuthSession.user_id == user_id))
            await self._audited(session, context, "admin.user.totp_reset", user_id, {})
            return totp.provisioning_uri(
                user.totp_secret, user.username, self._security.totp_issuer
            )

    async def create_feed(
        self, name: str, context: RequestContext | None = None
    ) -> tuple[FeedOut, str]:
        """A feed account and its bearer token (returned once, stored only as a hash)."""
        token = secrets.token_urlsafe(32)
        feed = FeedAccount(
            id=str(uuid.uuid4()), name=name, token_hash=digest(token), created_at=self._clock.now()
        )
        async with self._db.session() as session:
            if await session.scalar(select(FeedAccount.id).where(FeedAccount.name == name)):
                raise Conflict(f"feed {name!r} exists", "feed_exists")
            session.add(feed)
            await session.flush()
            await self._audited(
                session, context, "admin.feed.created", feed.id, {"name": name}, "feed"
            )
        return FeedOut.model_validate(feed), token

    async def list_feeds(self) -> list[FeedOut]:
        """Every feed account, by name."""
        async with self._db.read_session() as session:
            feeds = await session.scalars(select(FeedAccount).order_by(FeedAccount.name))
            return [FeedOut.model_validate(f) for f in feeds]

    async def revoke_feed(self, feed_id: str, context: RequestContext) -> FeedOut:
        """Revoke a feed's token; it authenticates no more."""
        async with self._db.session() as session:
            feed = await session.get(FeedAccount, feed_id, with_for_update=True)
            if feed is None:
                raise NotFound("no such feed")
            feed.revoked_at = feed.revoked_at or self._clock.now()
            await self._audited(
                session, context, "admin.feed.revoked", feed_id, {"name": feed.name}, "feed"
            )
            revoked = FeedOut.model_validate(feed)
        self._feed_tokens.forget_all()  # committed: no token is recognised from memory now
        return revoked

    async def _user(self, session: AsyncSession, user_id: str) -> UserAccount:
        user = await session.get(UserAccount, user_id, with_for_update=True)
        if user is None:
            raise NotFound("no such user")
        return user

    async def _audited(
        self,
        session: AsyncSession,
        context: RequestContext | None,
        action: str,
        object_id: str,
        details: Mapping[str, object],
        object_type: str = "user",
    ) -> None:
        entry = AuditEntry(
            action, object_type=object_type, object_id=object_id, details=dict(details)
        )
        await self._audit.record(session, context or CLI_CONTEXT, entry)
