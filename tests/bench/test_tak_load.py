"""The fan-out load generator's counting: the `</event>` splitter, delivery and latency maths."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from bench.tak_load import (
    EventSplitter,
    Tally,
    delivery_ratio,
    expected_deliveries,
    percentile,
    sa_event,
)

NOW = datetime(2026, 11, 21, 14, 0, tzinfo=UTC)


def test_splitter_joins_events_split_across_reads_and_keeps_only_this_run() -> None:
    stream = (
        sa_event(7, 1, 3, 1_000, NOW)
        + sa_event(8, 2, 4, 2_000, NOW)
        + sa_event(7, 2, 5, 3_000, NOW)
    )
    splitter = EventSplitter(run=7)
    cut = len(sa_event(7, 1, 3, 1_000, NOW)) - 5
    assert splitter.feed(stream[:cut]) == []
    assert splitter.feed(stream[cut:]) == [(1, 3, 1_000), (2, 5, 3_000)]
    assert splitter.events == 3


def test_splitter_reads_a_mark_moved_into_an_attribute() -> None:
    relayed = b'<event uid="x"><detail remarks="wfb 9 4 12 555"/><point lat="1" lon="2"/></event>'
    assert EventSplitter(run=9).feed(relayed) == [(4, 12, 555)]


def test_splitter_drops_an_endless_event_past_its_limit() -> None:
    splitter = EventSplitter(run=1, max_buffer=64)
    splitter.feed(b"<event>" + b"x" * 100)
    assert splitter.overflows == 1
    assert splitter.feed(sa_event(1, 0, 1, 5, NOW)) == [(0, 1, 5)]


def test_tally_counts_each_delivery_once_and_skips_own_and_announcements() -> None:
    tally = Tally(clients=3)
    tally.receive(0, [(1, 0, 0), (1, 1, 1_000_000), (2, 1, 2_000_000)], now_ns=3_000_000)
    tally.receive(0, [(1, 1, 1_000_000), (0, 1, 1_000_000)], now_ns=4_000_000)
    assert (tally.announced, tally.delivered, tally.duplicates) == (1, 2, 1)
    assert sorted(tally.latency_us) == [1_000, 2_000]
    assert tally.latency_ms()["max"] == 2.0


def test_percentiles_are_nearest_rank() -> None:
    values = list(range(1, 101))
    assert (percentile(values, 50), percentile(values, 95), percentile(values, 99)) == (
        50.0,
        95.0,
        99.0,
    )
    assert percentile([], 50) == 0.0
    assert percentile([7], 99) == 7.0


def test_broadcast_expects_every_other_client() -> None:
    assert expected_deliveries(10_000, 50) == 490_000
    assert expected_deliveries(5, 1) == 0
    assert delivery_ratio(401_800, 490_000) == 0.82
    assert delivery_ratio(0, 0) == 1.0


async def test_a_waiter_wakes_when_the_deliveries_arrive_and_gives_up_when_idle() -> None:
    tally = Tally(clients=2)
    waiting = asyncio.create_task(tally.wait_for_deliveries(2, timeout_s=30, idle_s=20))
    await asyncio.sleep(0)
    tally.receive(0, [(1, 1, 0)], now_ns=1_000)
    await asyncio.sleep(0)
    assert not waiting.done()
    tally.receive(0, [(1, 2, 0)], now_ns=2_000)
    await asyncio.wait_for(waiting, 1.0)  # woken by the delivery, long before idle_s
    started = asyncio.get_running_loop().time()
    await tally.wait_for_deliveries(5, timeout_s=30, idle_s=0.05)
    assert asyncio.get_running_loop().time() - started < 1.0
    assert tally.delivered == 2
