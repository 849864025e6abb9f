"""Playbook changes for the consoles: `playbook.>` events become `{"type": "playbook", ...}`."""

from __future__ import annotations

from typing import Any

from watchfloor.core.events import Event
from watchfloor.domain.playbooks.schemas import PlaybookChanged

PATTERN = "playbook.>"


async def playbook_message(event: Event[Any]) -> dict[str, Any] | None:
    """The console message of a playbook event: the run as it stands after the change."""
    change = event.payload
    if not isinstance(change, PlaybookChanged):
        return None
    return {
        "type": "playbook",
        "kind": event.kind,
        "incident_id": change.incident_id,
        "step_key": change.step_key,
        "run": change.run.model_dump(mode="json"),
    }
