"""Access control: logon with password + TOTP, lockout, sessions, and the Gate every route uses.

A locked or disabled account gets the same "invalid credentials" answer as a wrong password and
its password is not even checked: telling the caller the account is locked, or that the password
was right, would let guessing go on past the lockout (AC-7). The audit record names the reason.
"""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from fastapi import Request
from sqlalchemy import bindparam, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from watchfloor.audit.service import AuditEntry, AuditLog, Outcome
from watchfloor.auth import passwords, tokens, totp
from watchfloor.auth.accounts import Accounts, AccountState
from watchfloor.auth.feed_tokens import FeedIdentity, FeedTokenCache
from watchfloor.auth.models import AuthSession, FeedAccount, LogonFailure, UserAccount
from watchfloor.auth.schemas import FeedOut, UserOut
from watchfloor.core.clock import Clock
from watchfloor.core.context import Actor, RequestContext, Role
from watchfloor.core.errors import Forbidden, NotAuthenticated
from watchfloor.db.engine import Database
from watchfloor.settings import SecuritySettings
from watchfloor.web.policy import Principal, origin_of

STATE_CHANGING = frozenset({"POST", "PUT", "PATCH", "DELETE"})
TOUCH_EVERY = timedelta(seconds=30)  # last_seen is written at most this often per session
_FEED_BY_TOKEN = select(FeedAccount.id, FeedAccount.name, FeedAccount.revoked_at).where(
    FeedAccount.token_hash == bindparam("token_hash")
)


def _invalid() -> NotAuthenticated:
    return NotAuthenticated("invalid credentials", "invalid_credentials")


@dataclass(frozen=True)
class NewSession:
    """A session just created: the raw tokens go to the client once, never to the store."""

    token: str
    csrf_token: str
    user: UserOut


class AuthService:
    """Logon, sessions, lockout and role checks (implements web.policy.Gate)."""

    def __init__(
        self, db: Database, clock: Clock, audit: AuditLog, security: SecuritySettings
    ) -> None:
        self._db = db
        self._clock = clock
        self._audit = audit
        self._security = security
        self.feed_tokens = FeedTokenCache(clock)
        self.accounts = Accounts(db, clock, audit, security, self.feed_tokens)

    @property
    def security(self) -> SecuritySettings:
        """The access-control settings in force."""
        return self._security

    async def create_user(
        self,
        username: str,
        role: Role,
        designator: str | None,
        password: str,
        display_name: str | None = None,
        context: RequestContext | None = None,
    ) -> tuple[UserOut, str]:
        """A new account and its otpauth:// provisioning URI (audited; system:cli by default)."""
        return await self.accounts.create_user(
            username, role, designator, password, display_name, context
        )

    async def create_feed(
        self, name: str, context: RequestContext | None = None
    ) -> tuple[FeedOut, str]:
        """A feed account and its bearer token, returned once."""
        return await self.accounts.create_feed(name, context)

    async def logon(
        self, username: str, password: str, code: str, context: RequestContext
    ) -> NewSession:
        """Check password and TOTP; on success a new session, else InvalidCredentials (audited)."""
        async with self._db.read_session() as session:
            found = await session.scalar(
                select(UserAccount).where(UserAccount.username == username)
            )
        usable = found is not None and found.state == AccountState.ACTIVE
        stored = found.password_hash if found is not None and usable else None
        password_ok = await asyncio.to_thread(passwords.password_matches, stored, password)
        async with self._db.session() as session:
            created = await self._judge_logon(session, username, password_ok, code, context)
        if created is None:
            raise _invalid()
        return created

    async def _judge_logon(
        self,
        session: AsyncSession,
        username: str,
        password_ok: bool,
        code: str,
        context: RequestContext,
    ) -> NewSession | None:
        user = await session.scalar(
            select(UserAccount).where(UserAccount.username == username).with_for_update()
        )
        if user is None or user.state != AccountState.ACTIVE:
            reason = "unknown account" if user is None else f"account {user.state}"
            ctx = (
                _as(context, user)
                if user
                else context.model_copy(update={"actor": Actor(username=username)})
            )
            await self._audit.record(session, ctx, _logon_entry(Outcome.DENIED, reason, user))
            return None
        if not await self._factors_ok(
            session, user, password_ok, code, _as(context, user), "auth.logon"
        ):
            return None
        now = self._clock.now()
        user.failures_since, user.last_logon_at = now, now
        token, csrf = tokens.new_token(), tokens.new_token()
        row = AuthSession(
            id=str(uuid.uuid4()), token_hash=tokens.digest(token), csrf_hash=tokens.digest(csrf),
            user_id=user.id, created_at=now, last_seen_at=now,
        )  # fmt: skip
        session.add(row)
        await self._audit.record(
            session, _as(context, user), _logon_entry(Outcome.SUCCESS, None, user, row.id)
        )
        return NewSession(token, csrf, UserOut.model_validate(user))

    async def _factors_ok(
        self,
        session: AsyncSession,
        user: UserAccount,
        password_ok: bool,
        code: str,
        context: RequestContext,
        action: str,
    ) -> bool:
        """Password then TOTP; a failure is counted, audited and may lock the account."""
        now = self._clock.now()
        step = (
            totp.matching_step(user.totp_secret, code, now, user.totp_last_step)
            if password_ok
            else None
        )
        if step is not None:
            user.totp_last_step = step
            return True
        reason = "wrong password" if not password_ok else "wrong or reused second factor"
        session.add(LogonFailure(user_id=user.id, at=now))
        await session.flush()
        await self._audit.record(
            session, context, _logon_entry(Outcome.DENIED, reason, user, action=action)
        )
        if await self._recent_failures(session, user, now) >= self._security.lockout_threshold:
            user.state = AccountState.LOCKED.value
            await session.execute(delete(AuthSession).where(AuthSession.user_id == user.id))
            reason = f"{self._security.lockout_threshold} failed logons"
            entry = AuditEntry(
                "auth.account.locked", object_type="user", object_id=user.id, reason=reason
            )
            await self._audit.record(session, context, entry)
        return False

    async def _recent_failures(
        self, session: AsyncSession, user: UserAccount, now: datetime
    ) -> int:
        since = now - timedelta(minutes=self._security.lockout_window_minutes)
        if user.failures_since is not None and user.failures_since > since:
            since = user.failures_since
        query = select(func.count()).where(LogonFailure.user_id == user.id, LogonFailure.at > since)
        return int(await session.scalar(query) or 0)

    async def unlock_session(
        self, token: str | None, csrf: str | None, password: str, code: str, context: RequestContext
    ) -> UserOut:
        """Re-authenticate an idle-locked session; it resumes with the same token."""
        row, user = await self._session_of(token)
        self._check_age(row)
        if not tokens.same_token(csrf, row.csrf_hash):
            raise Forbidden("CSRF token missing or wrong", "csrf_failed")
        password_ok = await asyncio.to_thread(
            passwords.password_matches, user.password_hash, password
        )
        async with self._db.session() as session:
            fresh = await session.get(UserAccount, user.id, with_for_update=True)
            ok = (
                fresh is not None
                and fresh.state == AccountState.ACTIVE
                and await self._factors_ok(
                    session, fresh, password_ok, code, _as(context, fresh), "auth.session.unlock"
                )
            )
            if ok and fresh is not None:
                await session.execute(
                    update(AuthSession)
                    .where(AuthSession.id == row.id)
                    .values(last_seen_at=self._clock.now())
                )
                entry = AuditEntry("auth.session.unlock", object_type="session", object_id=row.id)
                await self._audit.record(session, _as(context, fresh), entry)
                return UserOut.model_validate(fresh)
        raise _invalid()

    async def logout(self, token: str | None, csrf: str | None, context: RequestContext) -> None:
        """End the session: its row is deleted, so the token is worthless from now on."""
        if token is None:
            return
        async with self._db.session() as session:
            row = await session.scalar(
                select(AuthSession).where(AuthSession.token_hash == tokens.digest(token))
            )
            if row is None:
                return
            if not tokens.same_token(csrf, row.csrf_hash):
                raise Forbidden("CSRF token missing or wrong", "csrf_failed")
            user = await session.get(UserAccount, row.user_id)
            await session.delete(row)
            ctx = _as(context, user) if user else context
            await self._audit.record(
                session, ctx, AuditEntry("auth.logoff", object_type="session", object_id=row.id)
            )

    async def principal_for(self, request: Request, roles: frozenset[Role]) -> Principal:
        """The caller of a request, if its session or bearer token is valid and its role allowed."""
        context = RequestContext(
            actor=Actor(username="anonymous"),
            origin=origin_of(request),
            request_id=getattr(request.state, "request_id", None),
        )
        authorization = request.headers.get("authorization", "")
        if authorization.lower().startswith("bearer "):
            principal = await self._feed_principal(authorization[7:].strip(), context)
        else:
            principal = await self._session_principal(request, context)
        if principal.role not in roles:
            route = getattr(request.scope.get("route"), "path", request.url.path)
            await self._refuse(principal, route, request.method)
        return principal

    async def _refuse(self, principal: Principal, route: str, method: str) -> None:
        entry = AuditEntry(
            "access.denied",
            Outcome.DENIED,
            object_type="route",
            object_id=route,
            reason=f"role {principal.role.value} not allowed",
            details={"method": method},
        )
        await self._audit.record_alone(principal.context, entry)
        raise Forbidden("your role may not do this")

    async def watcher_for(
        self, token: str | None, roles: frozenset[Role], context: RequestContext, route: str
    ) -> Principal:
        """The person behind a live connection's session cookie; watching is not activity, so the
        session's idle clock is not reset (the lock still falls after idle minutes of no input)."""
        row, user = await self._unlocked_session(token)
        principal = Principal(
            user.id, user.username, Role(user.role), user.designator, row.id, _as(context, user)
        )
        if principal.role not in roles:
            await self._refuse(principal, route, "WEBSOCKET")
        return principal

    async def _unlocked_session(self, token: str | None) -> tuple[AuthSession, UserAccount]:
        row, user = await self._session_of(token)
        self._check_age(row)
        if self._clock.now() - row.last_seen_at > timedelta(
            minutes=self._security.session_idle_minutes
        ):
            raise NotAuthenticated("session locked after inactivity: unlock it", "session_locked")
        return row, user

    async def _session_principal(self, request: Request, context: RequestContext) -> Principal:
        row, user = await self._unlocked_session(request.cookies.get(tokens.SESSION_COOKIE))
        now = self._clock.now()
        if request.method in STATE_CHANGING and not tokens.same_token(
            request.headers.get(tokens.CSRF_HEADER), row.csrf_hash
        ):
            raise Forbidden("CSRF token missing or wrong", "csrf_failed")
        if now - row.last_seen_at >= TOUCH_EVERY:
            async with self._db.session() as session:
                await session.execute(
                    update(AuthSession).where(AuthSession.id == row.id).values(last_seen_at=now)
                )
        ctx = _as(context, user)
        return Principal(user.id, user.username, Role(user.role), user.designator, row.id, ctx)

    async def _feed_principal(self, token: str, context: RequestContext) -> Principal:
        token_hash = tokens.digest(token)
        feed = self.feed_tokens.get(token_hash) or await self._active_feed(token_hash)
        actor = Actor(user_id=feed.id, username=f"feed:{feed.name}", role=Role.FEED)
        ctx = context.model_copy(update={"actor": actor})
        return Principal(feed.id, actor.username, Role.FEED, None, feed.id, ctx)

    async def _active_feed(self, token_hash: str) -> FeedIdentity:
        generation = self.feed_tokens.generation
        found = await self._db.read_in_thread(
            lambda session: session.execute(_FEED_BY_TOKEN, {"token_hash": token_hash}).first()
        )
        if found is None or found.revoked_at is not None:
            raise NotAuthenticated("invalid or revoked feed token")
        feed = FeedIdentity(found.id, found.name)
        self.feed_tokens.keep(token_hash, feed, generation)
        return feed

    async def _session_of(self, token: str | None) -> tuple[AuthSession, UserAccount]:
        if not token:
            raise NotAuthenticated("not logged on")
        wanted = (
            select(AuthSession, UserAccount)
            .join(UserAccount, UserAccount.id == AuthSession.user_id)
            .where(AuthSession.token_hash == tokens.digest(token))
        )
        # Every request asks: one worker-thread hop, not a round trip per step of the read.
        found = await self._db.read_in_thread(lambda session: session.execute(wanted).first())
        if found is None or found[1].state != AccountState.ACTIVE:
            raise NotAuthenticated("not logged on")
        return found[0], found[1]

    def _check_age(self, row: AuthSession) -> None:
        if self._clock.now() - row.created_at > timedelta(hours=self._security.session_max_hours):
            raise NotAuthenticated("session expired: log on again", "session_expired")

    async def me(self, principal: Principal) -> UserOut:
        """The caller's own account."""
        async with self._db.read_session() as session:
            user = await session.get(UserAccount, principal.user_id)
        if user is None:
            raise NotAuthenticated("not logged on")
        return UserOut.model_validate(user)


def _as(context: RequestContext, user: UserAccount) -> RequestContext:
    actor = Actor(
        user_id=user.id, username=user.username, role=Role(user.role), designator=user.designator
    )
    return context.model_copy(update={"actor": actor})


def _logon_entry(
    outcome: Outcome,
    reason: str | None,
    user: UserAccount | None,
    session_id: str | None = None,
    action: str = "auth.logon",
) -> AuditEntry:
    details = {"session_id": session_id} if session_id else {}
    object_id = user.id if user else None
    return AuditEntry(
        action, outcome, object_type="user", object_id=object_id, reason=reason, details=details
    )
