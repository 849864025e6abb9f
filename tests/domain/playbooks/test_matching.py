"""Matching: a playbook naming the type wins; the priority fallback only when allowed; the
bundled defaults cover the demo CAD's and the correlation engine's type codes."""

from __future__ import annotations

import pytest

from watchfloor.domain.playbooks.library import bundled_defaults, problems_of
from watchfloor.domain.playbooks.matching import Candidate, choose


def _candidates() -> list[Candidate]:
    return [
        Candidate(p.code, frozenset(p.type_codes), frozenset(p.priorities))
        for p in bundled_defaults()
    ]


@pytest.mark.parametrize(
    ("type_codes", "priority", "expected"),
    [
        (["SHOTS"], 1, "shots-fired"),
        (["SHOOTING"], 1, "shots-fired"),
        (["GUNSHOT"], None, "shots-fired"),  # the correlation engine's local incidents
        (["shots "], 3, "shots-fired"),  # case and blanks do not matter
        (["PANIC"], 1, "panic-alarm"),
        (["ROBBERY"], 1, "robbery-burglary"),
        (["BURG"], 2, "robbery-burglary"),
        (["BURG"], 4, None),  # a cold burglary report: no in-progress playbook, not P1
        (["AMBER"], 1, "missing-person"),
        (["OTHER", "MISSPER"], 2, "missing-person"),  # the internal code also counts
        (["WEAPON"], 1, "priority-1"),
        (["ASSAULT"], 1, "priority-1"),
        (["TRAFFIC"], 4, None),
        (["ROBBERY"], 3, None),
    ],
)
def test_bundled_defaults_match_types_then_priority(
    type_codes: list[str], priority: int | None, expected: str | None
) -> None:
    chosen = choose(_candidates(), type_codes, priority, fallback=True)
    assert (chosen.code if chosen else None) == expected


def test_fallback_off_leaves_unnamed_types_without_a_playbook() -> None:
    assert choose(_candidates(), ["WEAPON"], 1, fallback=False) is None
    chosen = choose(_candidates(), ["SHOTS"], 1, fallback=False)
    assert chosen is not None
    assert chosen.code == "shots-fired"


def test_a_playbook_naming_the_priority_beats_one_for_any_priority() -> None:
    general = Candidate("a-general", frozenset({"ROBBERY"}), frozenset())
    urgent = Candidate("b-urgent", frozenset({"ROBBERY"}), frozenset({1}))
    inactive = Candidate("0-off", frozenset({"ROBBERY"}), frozenset({1}), active=False)
    chosen = choose([general, urgent, inactive], ["ROBBERY"], 1, fallback=True)
    assert chosen == urgent
    assert choose([general, urgent, inactive], ["ROBBERY"], 2, fallback=True) == general


def test_bundled_defaults_are_valid() -> None:
    defaults = bundled_defaults()
    assert {p.code for p in defaults} == {
        "shots-fired",
        "panic-alarm",
        "robbery-burglary",
        "missing-person",
        "priority-1",
    }
    for playbook in defaults:
        assert problems_of(playbook) == []
        keys = [step.key for step in playbook.steps]
        assert "assess" in keys
        assert keys[-1] == "review"
