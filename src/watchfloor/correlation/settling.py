"""Which alerts and incidents the executor is still changing, so a reader can wait until they
settle: the context keeper waits before assembling a packet that a queued attach or priority
change is about to make stale (one packet when the dust settles, not one per step)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Sequence

from watchfloor.correlation.actions import (
    Action,
    Attach,
    Escalate,
    Merge,
    OpenIncident,
    SetPriority,
)

DESK_ACTIONS = (SetPriority, Merge, Attach, OpenIncident, Escalate)
"""The actions that change an alert or an incident record (the rest only look around)."""


def changed_by(actions: Iterable[Action]) -> set[str]:
    """The alert and incident ids (pending ones included) these actions change."""
    keys: set[str] = set()
    for action in actions:
        match action:
            case SetPriority() | Escalate():
                keys.add(action.alert_id)
            case Merge():
                keys.update((action.into_id, action.duplicate_id))
            case Attach():
                keys.update((action.alert_id, action.incident_id))
            case OpenIncident():
                keys.update((action.alert_id, action.pending_id))
    return keys


def desk_steps(actions: Sequence[Action]) -> list[tuple[Action, SetPriority | None]]:
    """A job's desk actions in order, each alert's new priority folded into the attach of that
    alert the job also makes: one desk write instead of two (a gunshot's commonest pair)."""
    desk = [action for action in actions if isinstance(action, DESK_ACTIONS)]
    attached = {a.alert_id for a in desk if isinstance(a, (Attach, OpenIncident))}
    held = {a.alert_id: a for a in desk if isinstance(a, SetPriority) and a.alert_id in attached}
    steps: list[tuple[Action, SetPriority | None]] = []
    for action in desk:
        if isinstance(action, SetPriority) and held.get(action.alert_id) is action:
            continue
        if isinstance(action, (Attach, OpenIncident)):
            steps.append((action, held.pop(action.alert_id, None)))
        else:
            steps.append((action, None))
    return steps


class Settling:
    """Unfinished changes per alert or incident id; each change is a future done when applied."""

    def __init__(self) -> None:
        self._changes: dict[str, set[asyncio.Future[None]]] = {}
        self._keys: dict[asyncio.Future[None], set[str]] = {}

    def begin(self, keys: Iterable[str]) -> asyncio.Future[None]:
        """Register a change of these ids; set the returned future's result when it is applied."""
        change: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._keys[change] = set(keys)
        for key in self._keys[change]:
            self._changes.setdefault(key, set()).add(change)
        change.add_done_callback(self._forget)
        return change

    def alias(self, key: str, also: str) -> None:
        """The changes of `key` change `also` too (a pending incident got its real id)."""
        for change in self._changes.get(key, ()):
            self._keys[change].add(also)
            self._changes.setdefault(also, set()).add(change)

    def busy(self, key: str) -> bool:
        """Whether a change of this id is still being applied."""
        return bool(self._changes.get(key))

    async def wait(self, key: str, limit_s: float) -> None:
        """Until every change of this id registered so far is applied (at most limit_s)."""
        changes = set(self._changes.get(key, ()))
        if changes:
            await asyncio.wait(changes, timeout=limit_s)

    def _forget(self, change: asyncio.Future[None]) -> None:
        for key in self._keys.pop(change, ()):
            found = self._changes.get(key)
            if found is not None:
                found.discard(change)
                if not found:
                    del self._changes[key]
