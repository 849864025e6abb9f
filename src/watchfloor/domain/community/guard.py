"""Abuse resistance for the public pages: per-key rate limits and a double-submit CSRF check.

The public side has no accounts, so every state-changing call must carry the CSRF token the page
got from `GET /community/api/start` (cookie and header must match), and cross-site calls are
refused by their Origin. Limits are kept in memory per process, bounded in size."""

from __future__ import annotations

import hmac
import secrets
from collections import OrderedDict, deque
from typing import Annotated

from fastapi import Depends, Request, Response

from watchfloor.core.clock import Clock
from watchfloor.core.errors import Forbidden, TooManyRequests

CSRF_COOKIE = "wfc_csrf"
CSRF_HEADER = "X-CSRF-Token"
OWNER_COOKIE = "wfc_owner"
MAX_KEYS = 50_000


class RateLimiter:
    """Sliding-window limits per key (a client address, an e-mail address); oldest keys forgotten
    first when more than `max_keys` are tracked."""

    def __init__(self, clock: Clock, max_keys: int = MAX_KEYS) -> None:
        self._clock = clock
        self._max_keys = max_keys
        self._hits: OrderedDict[str, deque[float]] = OrderedDict()

    def check(self, key: str, limit: int, per_s: float) -> None:
        """Count one attempt for `key`; refuse with 429 once `limit` were made within `per_s`."""
        now = self._clock.now().timestamp()
        hits = self._hits.pop(key, None) or deque()
        while hits and hits[0] <= now - per_s:
            hits.popleft()
        if len(hits) >= limit:
            self._hits[key] = hits
            wait = int(hits[0] + per_s - now) + 1
            raise TooManyRequests(f"Too many attempts. Please try again in {wait} seconds.")
        hits.append(now)
        self._hits[key] = hits
        while len(self._hits) > self._max_keys:
            self._hits.popitem(last=False)


def client_key(request: Request) -> str:
    """The rate-limit key of a caller: its address."""
    return request.client.host if request.client else "unknown"


def start_csrf(request: Request, response: Response, secure: bool) -> str:
    """The page's CSRF token: the one its cookie already holds, or a new one set as a cookie."""
    token = request.cookies.get(CSRF_COOKIE)
    if not token or len(token) > 100:
        token = secrets.token_urlsafe(32)
    response.set_cookie(
        CSRF_COOKIE, token, path="/community", secure=secure, httponly=True, samesite="strict"
    )
    return token


def check_csrf(request: Request) -> None:
    """Refuse a state-changing public call without a matching CSRF token or from another site."""
    origin = request.headers.get("origin")
    if origin is not None and origin != _own_origin(request):
        raise Forbidden("Requests from other sites are refused.", code="cross_site")
    cookie = request.cookies.get(CSRF_COOKIE) or ""
    header = request.headers.get(CSRF_HEADER) or ""
    if not cookie or not hmac.compare_digest(cookie.encode(), header.encode()):
        raise Forbidden(
            "The page's security token is missing or stale; reload the page.", code="csrf"
        )


def _own_origin(request: Request) -> str:
    return f"{request.url.scheme}://{request.url.netloc}"


async def _csrf_dependency(request: Request) -> None:
    check_csrf(request)


CsrfChecked = Annotated[None, Depends(_csrf_dependency)]
