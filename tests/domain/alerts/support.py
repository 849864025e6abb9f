"""Reports and contexts the alert desk tests share."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from watchfloor.core.clock import Clock
from watchfloor.core.context import Actor, RequestContext, Role
from watchfloor.events.alerts import AlertKind, AlertReport

FEED = RequestContext(actor=Actor(username="feed:gunshot-vendor", role=Role.FEED))
OPERATOR = RequestContext(actor=Actor(user_id="u1", username="op.lee", role=Role.OPERATOR))


def gunshot(clock: Clock, ref: str = "GS-1001", **changes: Any) -> AlertReport:
    """A gunshot report as the gunshot connector builds one."""
    fields: dict[str, Any] = {
        "kind": AlertKind.GUNSHOT,
        "source": "alerts-gunshot",
        "source_ref": ref,
        "occurred_at": clock.now() - timedelta(seconds=20),
        "title": "Multiple gunshots, 4 rounds",
        "lat": 44.9778,
        "lon": -93.2650,
        "location_error_m": 25.0,
        "address": "500 Nicollet Mall",
        "beat": "B3",
        "details": {"rounds": 4, "type": "multiple", "confidence": 0.93},
    }
    fields.update(changes)
    return AlertReport(**fields)


def at(lat: float, lon: float, when: datetime, ref: str, kind: AlertKind) -> AlertReport:
    """A minimal report of a kind at a place and time."""
    return AlertReport(
        kind=kind,
        source=f"test-{kind.value}",
        source_ref=ref,
        occurred_at=when,
        title=f"{kind.value} {ref}",
        lat=lat,
        lon=lon,
    )


def gunshot_body(when: datetime, ref: str = "GS-2026-000123", **changes: Any) -> dict[str, Any]:
    """A vendor-style gunshot webhook alert."""
    body: dict[str, Any] = {
        "id": ref,
        "time": when.isoformat(),
        "latitude": 44.9778,
        "longitude": -93.2650,
        "location_error_m": 25,
        "rounds": 4,
        "type": "multiple",
        "confidence": 0.93,
        "address": "500 Nicollet Mall",
        "beat": "B3",
        "district": "1",
        "review_status": "machine",
        "audio_uri": "https://vendor.example/audio/123.wav",
        "multiple_shooters": False,
    }
    body.update(changes)
    return body


def panic_body(when: datetime, device: str = "PB-0042", **changes: Any) -> dict[str, Any]:
    """A panic-button press."""
    body: dict[str, Any] = {
        "device_id": device,
        "owner": "Jane Roe",
        "pressed_at": when.isoformat(),
        "latitude": 44.9801,
        "longitude": -93.2702,
        "accuracy_m": 12,
        "phone": "+1 612 555 0100",
    }
    body.update(changes)
    return body
