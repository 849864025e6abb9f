"""The matcher: exact and misread hits, ranking, state rules, limits, removal and expiry."""

from __future__ import annotations

import tracemalloc
from datetime import UTC, datetime, timedelta

from watchfloor.core.clock import ManualClock
from watchfloor.domain.hotlists.matcher import CONFUSION_CLASSES, Hit, HotlistMatcher, skeleton

NOW = datetime(2026, 11, 21, 14, 0, tzinfo=UTC)


def _matcher(max_substitutions: int = 2) -> HotlistMatcher:
    matcher = HotlistMatcher(max_substitutions=max_substitutions, clock=ManualClock(NOW))
    matcher.replace_list(
        1,
        [
            (10, "ABC123", "CA"),
            (11, "A8C123", "CA"),  # one B/8 misread away from ABC123
            (12, "ABC1Z3", None),  # one 2/Z away, no state on the entry
            (13, "XYZ999", "NV"),
        ],
    )
    return matcher


def test_exact_hit() -> None:
    assert _matcher().match("XYZ999", "NV") == [Hit(13, 1, "XYZ999", 0, "match")]


def test_misreads_rank_behind_the_exact_hit_then_state_match_first() -> None:
    hits = _matcher().match("ABC123", "CA")

    assert [(h.entry_id, h.substitutions, h.state_match) for h in hits] == [
        (10, 0, "match"),
        (11, 1, "match"),
        (12, 1, "entry_missing"),
    ]


def test_a_read_without_region_hits_every_state() -> None:
    hits = _matcher().match("XYZ999", None)

    assert [(h.entry_id, h.state_match) for h in hits] == [(13, "read_missing")]


def test_different_states_are_no_hit_and_regions_are_normalised() -> None:
    matcher = _matcher()

    assert matcher.match("XYZ999", "CA") == []
    assert [h.entry_id for h in matcher.match("XYZ999", "us-nv")] == [13]


def test_more_substitutions_than_allowed_are_no_hit() -> None:
    read = "A8C1Z3"  # two away from ABC123, one from A8C123 and ABC1Z3

    lenient = _matcher(2).match(read, "CA")
    strict = _matcher(1).match(read, "CA")
    exact_only = _matcher(0).match(read, "CA")

    assert sorted(h.entry_id for h in lenient) == [10, 11, 12]
    assert sorted(h.entry_id for h in strict) == [11, 12]
    assert exact_only == []


def test_characters_outside_a_confusion_class_never_match() -> None:
    assert _matcher().match("ABC124", "CA") == []
    assert _matcher().match("ABC12", "CA") == []


def test_confusion_classes_are_disjoint_and_cover_the_usual_misreads() -> None:
    chars = "".join(CONFUSION_CLASSES)

    assert len(chars) == len(set(chars))
    for pair in ("O0", "0D", "0Q", "I1", "1L", "B8", "S5", "Z2", "G6", "A4", "T7"):
        assert skeleton(pair[0]) == skeleton(pair[1])


def test_remove_and_add_and_len() -> None:
    matcher = _matcher()

    matcher.remove(10)
    matcher.add(2, 20, "ABC123", "CA")

    hits = matcher.match("ABC123", "CA")
    assert len(matcher) == 4
    assert (hits[0].entry_id, hits[0].hotlist_id) == (20, 2)
    assert 10 not in {h.entry_id for h in hits}


def test_replace_list_swaps_the_whole_list_and_leaves_others() -> None:
    matcher = _matcher()
    matcher.add(2, 20, "LOCAL1", None)

    matcher.replace_list(1, [(30, "NEW001", "CA")])

    assert matcher.match("ABC123", "CA") == []
    assert [h.entry_id for h in matcher.match("NEW001", "CA")] == [30]
    assert [h.entry_id for h in matcher.match("LOCAL1", "CA")] == [20]
    assert len(matcher) == 2


def test_an_expired_entry_stops_matching_before_the_sweep_and_the_sweep_removes_it() -> None:
    clock = ManualClock(NOW)
    matcher = HotlistMatcher(clock=clock)
    matcher.add(3, 40, "TEMP01", "CA", expires_at=NOW + timedelta(hours=1))

    before = matcher.match("TEMP01", "CA")
    clock.advance(timedelta(hours=1))
    after = matcher.match("TEMP01", "CA")
    swept = matcher.sweep_expired()

    assert [h.entry_id for h in before] == [40]
    assert after == []
    assert swept == [40]
    assert len(matcher) == 0


def test_entries_sharing_a_skeleton_are_all_found_and_removed_one_by_one() -> None:
    matcher = HotlistMatcher()
    matcher.replace_list(1, [(1, "OO1", None), (2, "0O1", None), (3, "DQ1", None)])

    matcher.remove(2)

    assert sorted(h.entry_id for h in matcher.match("OO1", None)) == [1, 3]
    matcher.remove(1)
    assert [h.entry_id for h in matcher.match("OO1", None)] == [3]


def test_the_index_stays_compact() -> None:
    plates = [
        f"{n:07d}".translate(str.maketrans("0123456789", "ABCDEFGHJK")) for n in range(100_000)
    ]
    tracemalloc.start()
    try:
        matcher = HotlistMatcher()
        matcher.replace_list(1, ((n + 1, plate, "CA") for n, plate in enumerate(plates)))
        size, _peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert len(matcher) == 100_000
    assert size < 20_000_000  # < 200 bytes an entry: 1M entries stay under 200 MB
