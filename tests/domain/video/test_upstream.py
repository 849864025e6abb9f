"""The relay's packet gate: which packets are muxed and on what timeline, including a camera
whose clock starts again (its decode times go back) while the connection stays up."""

from __future__ import annotations

from typing import cast

import av
from av.packet import Packet
from av.video.stream import VideoStream

from watchfloor.domain.video.upstream import _Pump

STEP = 6000  # one frame at 15 fps in 90 kHz ticks


def blank(data: bytes) -> Packet[VideoStream]:
    """A video packet holding data, with no times yet."""
    return cast("Packet[VideoStream]", av.Packet(data))


def packet(dts: int, *, key: bool = False, reorder: int = 0) -> Packet[VideoStream]:
    """A one-byte packet with its decode time, a presentation time reorder ticks later."""
    made = blank(b"\x00")
    made.dts = dts
    made.pts = dts + reorder
    made.is_keyframe = key
    return made


def timeline(pump: _Pump, packets: list[Packet[VideoStream]]) -> list[tuple[int, int] | None]:
    """(dts, pts) of each packet the pump lets through, None for each it skips."""
    return [(p.dts or 0, p.pts or 0) if pump.accepts(p) else None for p in packets]


def test_it_starts_at_a_keyframe_and_skips_empty_packets_and_times_going_back() -> None:
    pump = _Pump(5.0)
    empty = blank(b"")
    empty.dts = STEP
    first = [packet(0), packet(STEP, key=True), empty, packet(2 * STEP)]
    seen = timeline(pump, [*first, packet(STEP), packet(2 * STEP)])
    assert seen == [None, (STEP, STEP), None, (2 * STEP, 2 * STEP), None, None]
    assert pump.restarts == 0


def test_a_keyframe_going_back_carries_on_the_timeline_one_frame_later() -> None:
    pump = _Pump(5.0)
    before = [packet(90_000, key=True, reorder=STEP)] + [
        packet(90_000 + n * STEP, reorder=STEP) for n in range(1, 4)
    ]
    after = [packet(0, key=True, reorder=STEP), packet(STEP, reorder=STEP)]
    seen = timeline(pump, [*before, *after, packet(2 * STEP, reorder=STEP)])
    last = 90_000 + 3 * STEP
    assert seen[3] == (last, last + STEP)
    assert seen[4:] == [
        (last + STEP, last + 2 * STEP),
        (last + 2 * STEP, last + 3 * STEP),
        (last + 3 * STEP, last + 4 * STEP),
    ]
    assert pump.restarts == 1


def test_after_the_clock_goes_back_frames_before_the_next_keyframe_are_skipped() -> None:
    pump = _Pump(5.0)
    seen = timeline(
        pump,
        [
            packet(50 * STEP, key=True),
            packet(51 * STEP),
            packet(0),  # the tail of a GOP from the new clock, before its keyframe
            packet(STEP),
            packet(2 * STEP, key=True),
            packet(3 * STEP),
        ],
    )
    assert seen == [
        (50 * STEP, 50 * STEP),
        (51 * STEP, 51 * STEP),
        None,
        None,
        (52 * STEP, 52 * STEP),
        (53 * STEP, 53 * STEP),
    ]
    assert pump.restarts == 1


def test_a_repeated_keyframe_is_skipped_not_taken_for_a_restart() -> None:
    pump = _Pump(5.0)
    seen = timeline(pump, [packet(STEP, key=True), packet(STEP, key=True), packet(2 * STEP)])
    assert seen == [(STEP, STEP), None, (2 * STEP, 2 * STEP)]
    assert pump.restarts == 0
