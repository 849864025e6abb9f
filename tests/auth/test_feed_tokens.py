"""The feed token cache: kept for its time only, never a read that a revocation overtook."""

from __future__ import annotations

from datetime import timedelta

from tests.conftest import START
from watchfloor.auth import feed_tokens
from watchfloor.auth.feed_tokens import FeedIdentity, FeedTokenCache
from watchfloor.core.clock import ManualClock

FEED = FeedIdentity("feed-1", "lpr-east")


def test_a_token_is_kept_for_its_time_only() -> None:
    clock = ManualClock(START)
    cache = FeedTokenCache(clock, ttl_s=5)
    cache.keep("h1", FEED, cache.generation)
    clock.advance(timedelta(seconds=4.9))
    assert cache.get("h1") == FEED
    clock.advance(timedelta(seconds=0.1))
    assert cache.get("h1") is None


def test_a_read_overtaken_by_a_revocation_is_not_kept() -> None:
    cache = FeedTokenCache(ManualClock(START))
    began = cache.generation
    cache.forget_all()  # a revocation committed while the read was in flight
    cache.keep("h1", FEED, began)
    assert cache.get("h1") is None
    cache.keep("h1", FEED, cache.generation)
    assert cache.get("h1") == FEED


def test_a_clock_that_went_back_does_not_stretch_the_time() -> None:
    clock = ManualClock(START)
    cache = FeedTokenCache(clock)
    cache.keep("h1", FEED, cache.generation)
    clock.set(START - timedelta(hours=1))
    assert cache.get("h1") is None


def test_no_time_keeps_nothing_and_the_cache_is_bounded() -> None:
    clock = ManualClock(START)
    off = FeedTokenCache(clock, ttl_s=0)
    off.keep("h1", FEED, off.generation)
    assert off.get("h1") is None
    cache = FeedTokenCache(clock)
    for n in range(feed_tokens.MAX_KEPT + 1):
        cache.keep(f"h{n}", FEED, cache.generation)
    assert cache.get("h0") is None
    assert cache.get(f"h{feed_tokens.MAX_KEPT}") == FEED
