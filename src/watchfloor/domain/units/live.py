"""The consoles' view of unit events: every `unit.changed` bus event as one live message."""

from __future__ import annotations

from typing import Any

from watchfloor.core.events import Event
from watchfloor.domain.units.schemas import UNIT_CHANGED, UnitOut

PATTERN = UNIT_CHANGED
"""The bus subjects this translator takes."""


async def unit_message(event: Event[Any]) -> dict[str, Any] | None:
    """`{"type": "unit", "kind": "unit.changed", "unit": UnitOut JSON}`; None for a payload
    that is not a UnitOut."""
    if not isinstance(event.payload, UnitOut):
        return None
    return {"type": "unit", "kind": event.kind, "unit": event.payload.model_dump(mode="json")}
