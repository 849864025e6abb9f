"""Helpers for the demo's plate-reader tests: a rewindable test clock and the set-up as the demo
runs it (with a smaller NCIC extract, to keep tests fast)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from watchfloor.app import Watchfloor
from watchfloor.core.clock import ManualClock
from watchfloor.core.context import Role
from watchfloor.demo.lpr_setup import LprDemo, set_up_lpr, stock_ncic, supervisor_context

SEED = 11
NCIC_ENTRIES = 300


class Rewinder:
    """Turns a test's ManualClock back for a block, as the demo's clock is."""

    def __init__(self, clock: ManualClock) -> None:
        self._clock = clock

    @contextmanager
    def rewound(self, by: timedelta) -> Iterator[None]:
        """Within the block the clock reads `by` earlier."""
        start = self._clock.now()
        self._clock.set(start - by)
        try:
            yield
        finally:
            self._clock.set(start)


async def set_up_demo_lpr(wf: Watchfloor, clock: ManualClock) -> LprDemo:
    """Readers and hotlists as `watchfloor demo` sets them up."""
    ncic = await stock_ncic(wf, SEED, Rewinder(clock), entries=NCIC_ENTRIES)
    user, _uri = await wf.auth.create_user(
        "supervisor", Role.SUPERVISOR, "RT700", "watchfloor demo shift lead passphrase"
    )
    return await set_up_lpr(wf, supervisor_context(user), ncic, SEED)
