"""Session and feed tokens: random, shown once, stored only as SHA-256 hashes."""

from __future__ import annotations

import hashlib
import hmac
import secrets

SESSION_COOKIE = "wf_session"
CSRF_COOKIE = "wf_csrf"
CSRF_HEADER = "X-CSRF-Token"


def new_token() -> str:
    """256 bits from the OS CSPRNG, URL-safe."""
    return secrets.token_urlsafe(32)


def digest(token: str) -> str:
    """The stored form of a token: hex SHA-256."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def same_token(presented: str | None, stored_digest: str) -> bool:
    """Constant-time check of a presented token against a stored digest."""
    if not presented:
        return False
    return hmac.compare_digest(digest(presented), stored_digest)
