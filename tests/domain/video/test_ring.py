"""The kept fragments behind 'save the last N seconds': whole GOPs, trimmed by age."""

from __future__ import annotations

from datetime import UTC, datetime

from watchfloor.connectors.rtsp.fmp4 import Fragment, InitSegment
from watchfloor.domain.video.ring import FragmentRing

AT = datetime(2026, 11, 21, 14, 0, tzinfo=UTC)
INIT = InitSegment(b"init", "avc1.42C01E", 90000, 640, 360)


def fill(ring: FragmentRing, seconds: int, gop: int = 4) -> None:
    """`seconds` of 4 fragments a second, a keyframe every `gop` fragments."""
    for i in range(seconds * 4):
        ring.add(Fragment(bytes([i % 256]), i % gop == 0, i), i / 4, AT)


def test_the_ring_keeps_whole_gops_no_older_than_its_window() -> None:
    ring = FragmentRing(keep_s=5)
    ring.reset(INIT)
    fill(ring, 20)
    kept = ring.last(60, now_mono=20)
    assert kept[0].fragment.keyframe
    assert kept[0].mono == 14.0  # the GOP reaching over the 5 s edge (15 s) stays whole
    assert len(kept) == 24


def test_last_reaches_back_to_the_keyframe_at_or_before_the_point_asked() -> None:
    ring = FragmentRing(keep_s=60)
    ring.reset(INIT)
    fill(ring, 10, gop=8)  # keyframes every 2 s
    kept = ring.last(3, now_mono=10)
    assert kept[0].mono == 6.0
    assert kept[0].fragment.keyframe


def test_the_current_gop_is_what_a_new_viewer_starts_with_and_a_reconnect_clears_it() -> None:
    ring = FragmentRing(keep_s=0)
    ring.reset(INIT)
    ring.add(Fragment(b"p", False, 0), 0, AT)  # before any keyframe: not kept
    fill(ring, 2)
    assert [f.decode_time for f in ring.current_gop()] == [4, 5, 6, 7]
    ring.reset(INIT)
    assert ring.current_gop() == []
    assert ring.last(10, now_mono=5) == []
