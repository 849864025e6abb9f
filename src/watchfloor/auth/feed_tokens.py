"""Feed tokens recognised in memory for a few seconds: a feed posts many times a second (plate
reads, gunshots) and its account changes only when an administrator revokes it.

A revocation in this process forgets every kept token at once. A revocation written by another
process (a cluster node) takes effect here within `ttl_s`. Only tokens that matched an active
feed are kept, so garbage tokens never fill the cache and are always checked against the store.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from watchfloor.core.clock import Clock

FEED_TOKEN_TTL_S = 5.0
MAX_KEPT = 1024


@dataclass(frozen=True, slots=True)
class FeedIdentity:
    """Who an active feed token belongs to."""

    id: str
    name: str


class FeedTokenCache:
    """Active feed tokens by their hash, each kept for `ttl_s` after it was read from the store."""

    def __init__(self, clock: Clock, ttl_s: float = FEED_TOKEN_TTL_S) -> None:
        self._clock = clock
        self._ttl = timedelta(seconds=ttl_s)
        self._kept: dict[str, tuple[FeedIdentity, datetime]] = {}
        self.generation = 0

    def get(self, token_hash: str) -> FeedIdentity | None:
        """The feed of a token read from the store less than `ttl_s` ago, else None."""
        kept = self._kept.get(token_hash)
        if kept is None:
            return None
        identity, read_at = kept
        now = self._clock.now()
        if not read_at <= now < read_at + self._ttl:  # expired, or the clock went back
            del self._kept[token_hash]
            return None
        return identity

    def keep(self, token_hash: str, identity: FeedIdentity, generation: int) -> None:
        """Keep a token found active by a read that began at `generation`; a read that a
        revocation overtook is not kept (it may have seen the row before the revocation)."""
        if generation != self.generation or self._ttl <= timedelta(0):
            return
        if len(self._kept) >= MAX_KEPT:
            self._kept.clear()
        self._kept[token_hash] = (identity, self._clock.now())

    def forget_all(self) -> None:
        """A feed was revoked: every token is read from the store again."""
        self.generation += 1
        self._kept.clear()
