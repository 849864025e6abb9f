"""Payloads the sensor-feed tests share (recorded fixtures of the connector tests)."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

CONNECTORS = Path(__file__).parents[2] / "connectors"
CAP = CONNECTORS / "cap" / "fixtures"
FRIGATE = CONNECTORS / "frigate" / "fixtures"


def cap(name: str = "nws_tornado_warning.xml") -> bytes:
    """A CAP fixture."""
    return (CAP / name).read_bytes()


def frigate(name: str = "front_cam_activity.jsonl") -> list[tuple[str, bytes]]:
    """A recorded Frigate message sequence: (topic, payload)."""
    lines = (FRIGATE / name).read_text().splitlines()
    return [(m["topic"], json.dumps(m["payload"]).encode()) for m in map(json.loads, lines)]


def sensor(when: datetime, state: str = "active", **changes: Any) -> dict[str, Any]:
    """A flood sensor message."""
    return {
        "sensor_id": "FLOOD-0007",
        "kind": "flood",
        "at": when.isoformat(),
        "latitude": 60.1699,
        "longitude": 24.9384,
        "value": 1.42,
        "unit": "m",
        "severity": "severe",
        "message": "water over the road",
        "state": state,
    } | changes
