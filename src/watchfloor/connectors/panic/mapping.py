"""Mobile panic-button presses mapped to a Priority 1 `AlertReport`.

A body is one press, a list of them, or `{"presses": [...]}`:

    {"device_id": "PB-0042", "owner": "Jane Roe", "pressed_at": "2026-11-21T14:00:05Z",
     "latitude": 44.9801, "longitude": -93.2702, "accuracy_m": 12,
     "address": "12 Hennepin Ave", "phone": "+1 612 555 0100", "note": "silent alarm"}

Required: `device_id`, `owner` (the person the device is issued to), `pressed_at` (ISO 8601 with
an offset). Optional: `latitude` -90..90 and `longitude` -180..180 (both or neither: a press
from a device without a fix is still a Priority 1 alert, titled "location unknown"),
`accuracy_m` ≥ 0, `address`, `phone`, `note`. One press is one alert (source_ref device id +
press time), so the same press sent twice merges. Every bad field is named by its JSON pointer.
"""

from __future__ import annotations

from datetime import UTC

from watchfloor.connectors.gunshot.fields import Fields, items_of
from watchfloor.core.errors import FieldProblem, InvalidInput
from watchfloor.events.alerts import AlertKind, AlertReport

SOURCE = "alerts-panic"


def decode_panic(raw: bytes) -> list[AlertReport]:
    """Every press in the body; MalformedInput for broken JSON, InvalidInput naming each bad
    field."""
    problems: list[FieldProblem] = []
    items = items_of(raw, "presses")
    reports = [_report(Fields(item, pointer, problems)) for pointer, item in items]
    if problems:
        raise InvalidInput(f"{len(problems)} problems in the panic presses", problems)
    return [r for r in reports if r is not None]


def _report(fields: Fields) -> AlertReport | None:
    device = fields.text("device_id", 100, required=True)
    owner = fields.text("owner", 200, required=True)
    pressed_at = fields.time("pressed_at")
    point = fields.point(required=False)
    accuracy = fields.number("accuracy_m", 0.0, 100_000.0)
    address = fields.text("address", 500)
    phone = fields.text("phone", 50)
    note = fields.text("note", 1000)
    if device is None or owner is None or pressed_at is None:
        return None
    stamp = pressed_at.astimezone(UTC).isoformat().replace("+00:00", "Z")
    return AlertReport(
        kind=AlertKind.PANIC,
        source=SOURCE,
        source_ref=f"{device}@{stamp}",
        occurred_at=pressed_at,
        title=f"Panic button: {owner}" + ("" if point or address else " (location unknown)"),
        priority=1,
        lat=point[0] if point else None,
        lon=point[1] if point else None,
        location_error_m=accuracy,
        address=address,
        subject=device,
        details={
            "owner": owner,
            "device_id": device,
            "phone": phone,
            "accuracy_m": accuracy,
            "note": note,
        },
    )
