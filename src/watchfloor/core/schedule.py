"""Periodic jobs (hotlist refreshes, retention purges): one asyncio task each, never overlapping
itself, surviving its own failures."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

log = logging.getLogger(__name__)

Job = Callable[[], Awaitable[object]]


@dataclass
class Periodic:
    """Runs `job` every `every_s` seconds (first run after `first_after_s`); a failing run is
    logged and counted, and the next run still happens."""

    name: str
    every_s: float
    job: Job
    first_after_s: float = 0.0
    runs: int = 0
    failures: int = 0

    async def run_forever(self) -> None:
        """The task body: sleep, run, repeat until cancelled."""
        await asyncio.sleep(self.first_after_s)
        while True:
            await self.run_once()
            await asyncio.sleep(self.every_s)

    async def run_once(self) -> None:
        """One run of the job, its failure contained."""
        self.runs += 1
        try:
            await self.job()
        except asyncio.CancelledError:
            raise
        except Exception:
            self.failures += 1
            log.exception("periodic job %s failed (%d failures)", self.name, self.failures)
