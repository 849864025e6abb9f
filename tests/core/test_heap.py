"""The heap keeper: start's heap frozen out of the collector's passes, garbage collected first,
and the daily full pass reaching what was frozen."""

from __future__ import annotations

import asyncio
import gc
import weakref
from collections.abc import Iterator

import pytest

from watchfloor.core.heap import HeapKeeper


class Node:
    """A container that can be made part of a reference cycle."""

    def __init__(self) -> None:
        self.other: Node | None = None


def _cycle() -> weakref.ref[Node]:
    first, second = Node(), Node()
    first.other, second.other = second, first
    return weakref.ref(first)


@pytest.fixture(autouse=True)
def unfrozen() -> Iterator[None]:
    """The test process's heap as the other tests expect it: nothing frozen, its thresholds."""
    thresholds = gc.get_threshold()
    gc.unfreeze()
    yield
    gc.unfreeze()
    gc.set_threshold(*thresholds)


async def test_a_freeze_collects_garbage_first_then_keeps_the_survivors_out_of_passes() -> None:
    garbage = _cycle()
    kept = Node()
    keeper = HeapKeeper()
    await keeper.freeze()
    assert garbage() is None  # collected, not frozen
    assert gc.get_freeze_count() > 0
    assert not any(o is kept for o in gc.get_objects())  # the collector no longer walks it
    assert keeper.passes == 1
    assert keeper.last_pass_ms is not None


async def test_what_was_frozen_and_became_garbage_goes_in_the_full_pass() -> None:
    keeper = HeapKeeper()
    held = [Node()]
    held[0].other = held[0]  # a cycle, still referenced while the heap is frozen
    cycle = weakref.ref(held[0])
    await keeper.freeze()
    held.clear()  # now garbage, but frozen: the collector's passes do not see it
    gc.collect()
    assert cycle() is not None
    await keeper.full_pass()
    assert cycle() is None
    assert keeper.passes == 2


async def test_settling_waits_for_the_warm_up_and_is_bounded() -> None:
    keeper = HeapKeeper(warm_up_limit_s=0.05)
    never = asyncio.get_running_loop().create_future()
    await asyncio.wait_for(keeper.settle(never), 5)
    await asyncio.wait_for(keeper.settled(), 1)
    assert keeper.passes == 1
    assert gc.get_threshold()[0] == keeper.young_threshold == 20_000


async def test_a_keeper_switched_off_freezes_nothing_and_has_no_jobs() -> None:
    keeper = HeapKeeper(enabled=False)
    thresholds = gc.get_threshold()
    await keeper.settle(asyncio.sleep(0))
    await asyncio.wait_for(keeper.settled(), 1)
    assert (keeper.passes, gc.get_freeze_count(), keeper.periodic_jobs()) == (0, 0, [])
    assert gc.get_threshold() == thresholds
    assert [job.name for job in HeapKeeper().periodic_jobs()] == ["heap-freeze", "heap-full-pass"]
