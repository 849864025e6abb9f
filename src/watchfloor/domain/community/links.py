"""Private links to owners: 256-bit random tokens, kept only as SHA-256 digests, each with an
expiry; issuing a link replaces the previous one of the same purpose, so a leaked old link dies.

Purposes: `owner` (the e-mailed link to confirm and manage a registration), `session` (the short
cookie the owner page holds after redeeming an owner link) and `upload` (one footage request's
answer link, spent once the owner has answered)."""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from watchfloor.auth.tokens import digest, new_token
from watchfloor.core.errors import Gone, NotFound
from watchfloor.domain.community.models import CommunityLink

MAX_TOKEN_CHARS = 100
UNKNOWN = "This link is not valid. Ask for a new one on the Community Connect page."
EXPIRED = "This link has expired. Ask for a new one on the Community Connect page."
SPENT = "This link has already been used."


class Purpose(StrEnum):
    """What a link lets its holder do."""

    OWNER = "owner"
    SESSION = "session"
    UPLOAD = "upload"


async def issue(
    session: AsyncSession,
    purpose: Purpose,
    site_id: str,
    now: datetime,
    lifetime: timedelta,
    request_id: str | None = None,
) -> str:
    """A new link token; the previous link of this purpose (per site, or per request) is void."""
    await revoke(session, purpose, site_id, request_id)
    token = new_token()
    session.add(
        CommunityLink(
            digest=digest(token),
            purpose=purpose.value,
            site_id=site_id,
            request_id=request_id,
            issued_at=now,
            expires_at=now + lifetime,
        )
    )
    await session.flush()
    return token


async def redeem(
    session: AsyncSession, token: str | None, purpose: Purpose, now: datetime
) -> CommunityLink:
    """The live link a token names; unknown, expired or spent links are refused alike in kind."""
    if not token or len(token) > MAX_TOKEN_CHARS:
        raise NotFound(UNKNOWN)
    link = await session.get(CommunityLink, digest(token))
    if link is None or link.purpose != purpose.value:
        raise NotFound(UNKNOWN)
    if link.used_at is not None:
        raise Gone(SPENT, code="link_used")
    if link.expires_at <= now:
        raise Gone(EXPIRED, code="link_expired")
    return link


async def spend(session: AsyncSession, link: CommunityLink, now: datetime) -> None:
    """Mark a one-time link used (an answered footage request)."""
    link.used_at = now
    await session.flush()


async def revoke(
    session: AsyncSession, purpose: Purpose, site_id: str, request_id: str | None = None
) -> None:
    """Void the links of a purpose for a site (or for one request)."""
    query = delete(CommunityLink).where(CommunityLink.purpose == purpose.value)
    if request_id is not None:
        query = query.where(CommunityLink.request_id == request_id)
    else:
        query = query.where(CommunityLink.site_id == site_id)
    await session.execute(query)


async def live_until(
    session: AsyncSession, purpose: Purpose, site_id: str, now: datetime
) -> datetime | None:
    """When the site's live link of this purpose expires (None when it has none)."""
    found = await session.execute(
        select(CommunityLink.expires_at).where(
            CommunityLink.purpose == purpose.value,
            CommunityLink.site_id == site_id,
            CommunityLink.expires_at > now,
            CommunityLink.used_at.is_(None),
        )
    )
    return found.scalars().first()
