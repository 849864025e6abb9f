"""Keeps the garbage collector's full passes short, for a server whose answers count in ms.

CPython's full pass walks every container object the process holds. A served Watchfloor holds
about half a million once started (modules, routes, models, the cameras' ONVIF sessions), and on
a small machine walking them takes a third of a second: a gunshot arriving then waits for it.
What start builds lives as long as the process, so once start has settled the heap is collected
and what survives is frozen (`gc.freeze`): the collector's passes then walk only what was made
since. Every `refreeze_every_s` what survived since is frozen too, in a pass as short as it is
small. A frozen object that later becomes cyclic garbage would never be collected, so every
`full_every_s` everything is unfrozen and collected in one full pass, at a time of our choosing
rather than in the middle of an alert. The youngest generation is collected every
`young_threshold` allocations rather than CPython's 700: at 700 a request's short-lived objects
are caught alive mid-request and promoted, filling the older generations that trigger full
passes; at 20,000 most are gone before they are looked at (the gunshot bench: 25 young passes
instead of 1,300, and no full pass while it measures)."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import time
from collections.abc import Awaitable

from watchfloor.core.schedule import Periodic

log = logging.getLogger(__name__)


class HeapKeeper:
    """Freezes the long-lived heap after start, again on a schedule, and unfreezes it daily."""

    def __init__(
        self,
        enabled: bool = True,
        *,
        refreeze_every_s: float = 600.0,
        full_every_s: float = 86_400.0,
        warm_up_limit_s: float = 120.0,
        young_threshold: int = 20_000,
    ) -> None:
        self.enabled = enabled
        self.young_threshold = young_threshold
        self.refreeze_every_s = refreeze_every_s
        self.full_every_s = full_every_s
        self.warm_up_limit_s = warm_up_limit_s
        self.passes = 0
        self.last_pass_ms: float | None = None
        self._settled = asyncio.Event()

    def periodic_jobs(self) -> list[Periodic]:
        """The freeze of what survived since the last one, and the daily full pass."""
        if not self.enabled:
            return []
        return [
            Periodic("heap-freeze", self.refreeze_every_s, self.freeze, self.refreeze_every_s),
            Periodic("heap-full-pass", self.full_every_s, self.full_pass, self.full_every_s),
        ]

    async def settle(self, warm_up: Awaitable[None]) -> None:
        """After start's warm-up (bounded by warm_up_limit_s), freeze what start built."""
        try:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(warm_up, self.warm_up_limit_s)
            if self.enabled:
                _young, older, oldest = gc.get_threshold()
                gc.set_threshold(self.young_threshold, older, oldest)
                await self.freeze()
        finally:
            self._settled.set()

    async def settled(self) -> None:
        """Until start's heap has been frozen (at once when the keeper is off)."""
        await self._settled.wait()

    async def freeze(self) -> None:
        """Collect what is not frozen, then freeze what survived."""
        self._collect_and_freeze()

    async def full_pass(self) -> None:
        """Unfreeze everything, collect it all in one pass, and freeze the survivors again."""
        gc.unfreeze()
        self._collect_and_freeze()

    def _collect_and_freeze(self) -> None:
        started = time.perf_counter()
        gc.collect()
        gc.freeze()
        self.passes += 1
        self.last_pass_ms = (time.perf_counter() - started) * 1000
        log.info(
            "heap: %d objects frozen (pass of %.0f ms)", gc.get_freeze_count(), self.last_pass_ms
        )
