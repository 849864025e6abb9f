"""The consoles' view of alert events: every `alert.*` bus event as one live message."""

from __future__ import annotations

from typing import Any

from watchfloor.core.events import Event
from watchfloor.events.alerts import AlertChanged

PATTERN = "alert.>"
"""The bus subjects this translator takes."""


async def alert_message(event: Event[Any]) -> dict[str, Any] | None:
    """`{"type": "alert", "kind": <bus kind>, "alert": AlertChanged JSON}`; None for a payload
    that is not an AlertChanged."""
    if not isinstance(event.payload, AlertChanged):
        return None
    return {"type": "alert", "kind": event.kind, "alert": event.payload.model_dump(mode="json")}
