from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest

from tests.domain.video.support import quick, relay_threads
from tests.support.rtsp import rtsp_server, rtsp_server_with_login
from watchfloor.core.clock import ManualClock
from watchfloor.domain.video.relay import RelayPool
from watchfloor.settings import Settings

__all__ = ["pools", "rtsp_server", "rtsp_server_with_login"]


@pytest.fixture
async def pools(settings: Settings, clock: ManualClock) -> AsyncIterator[Callable[..., RelayPool]]:
    """Make relay pools with quick settings (changes as keywords); all closed after the test,
    and then no relay thread may be left."""
    made: list[RelayPool] = []

    def make(**changes: Any) -> RelayPool:
        pool = RelayPool(quick(settings, **changes), clock)
        made.append(pool)
        return pool

    yield make
    for pool in made:
        await pool.close()
    assert relay_threads() == []
