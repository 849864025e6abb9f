"""Which playbook an incident gets: one that names its type beats one matched by priority alone."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Candidate:
    """What matching needs to know of a playbook."""

    code: str
    type_codes: frozenset[str]
    priorities: frozenset[int]
    active: bool = True


def normalise_type(code: str) -> str:
    """Type codes compare without case and surrounding blanks."""
    return code.strip().upper()


def choose(
    playbooks: Sequence[Candidate],
    type_codes: Iterable[str | None],
    priority: int | None,
    *,
    fallback: bool,
) -> Candidate | None:
    """The playbook for an incident of these type codes (common and internal) and priority:
    a playbook naming the type (one that also names the priority first), else, with fallback,
    one for the priority alone; ties go to the lowest code."""
    wanted = {normalise_type(code) for code in type_codes if code}
    active = sorted((p for p in playbooks if p.active), key=lambda p: p.code)

    def priority_fits(playbook: Candidate) -> bool:
        return not playbook.priorities or priority in playbook.priorities

    by_type = [p for p in active if p.type_codes & wanted and priority_fits(p)]
    if by_type:
        return min(by_type, key=lambda p: (not p.priorities, p.code))
    if not fallback or priority is None:
        return None
    by_priority = [p for p in active if not p.type_codes and priority in p.priorities]
    return by_priority[0] if by_priority else None
