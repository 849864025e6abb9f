"""Vendor-style gunshot detection webhooks mapped to one normalised gunshot `AlertReport`.

A body is one alert object, a list of them, or `{"alerts": [...]}`:

    {"id": "GS-2026-000123", "time": "2026-11-21T13:59:40-06:00",
     "latitude": 44.9778, "longitude": -93.2650, "location_error_m": 25,
     "rounds": 4, "type": "multiple", "confidence": 0.93,
     "address": "500 Nicollet Mall", "beat": "B3", "district": "1",
     "review_status": "machine", "audio_uri": "https://vendor.example/audio/123.wav",
     "multiple_shooters": false}

Required: `id` (the detection; an update with the same id merges into its alert), `time` (ISO
8601 with an offset), `latitude` -90..90 and `longitude` -180..180. Optional, refused when bad:
`rounds` 0..1000, `type` single|multiple|automatic|probable|other (the open-data names
Single_Gunshot, Multiple_Gunshots, Gunshot_or_Firecracker and full_auto are understood),
`confidence` 0..1, `review_status` machine|reviewed|updated|dismissed (default machine),
`location_error_m` ≥ 0, `audio_uri` http(s), `multiple_shooters` true/false, `address`, `beat`,
`district`. Unknown fields are ignored. Every bad field is named by its JSON pointer
(`/alerts/2/latitude`) and the whole body is refused, so a replay cannot store half of it.
"""

from __future__ import annotations

from typing import Any

from watchfloor.connectors.gunshot.fields import Fields, items_of
from watchfloor.core.errors import FieldProblem, InvalidInput
from watchfloor.events.alerts import AlertKind, AlertReport

SOURCE = "alerts-gunshot"

TYPES = {
    "single": "single",
    "single_gunshot": "single",
    "multiple": "multiple",
    "multiple_gunshots": "multiple",
    "automatic": "automatic",
    "full_auto": "automatic",
    "probable": "probable",
    "probable_gunfire": "probable",
    "gunshot_or_firecracker": "probable",
    "other": "other",
}
REVIEW = {s: s for s in ("machine", "reviewed", "updated", "dismissed")}
_WORDS = {
    "single": "Single gunshot",
    "multiple": "Multiple gunshots",
    "automatic": "Automatic gunfire",
    "probable": "Probable gunshot",
    "other": "Possible gunshot",
}


def decode_gunshots(raw: bytes) -> list[AlertReport]:
    """Every gunshot alert of the body; MalformedInput for broken JSON, InvalidInput naming
    each bad field."""
    problems: list[FieldProblem] = []
    items = items_of(raw, "alerts")
    reports = [_report(Fields(item, pointer, problems)) for pointer, item in items]
    if problems:
        raise InvalidInput(f"{len(problems)} problems in the gunshot alerts", problems)
    return [r for r in reports if r is not None]


def title_of(kind: str, rounds: int | None, review_status: str) -> str:
    """One line for the operator: "Multiple gunshots, 4 rounds"."""
    title = _WORDS[kind]
    if rounds:
        title += f", {rounds} round{'s' if rounds != 1 else ''}"
    if review_status == "dismissed":
        title += " (dismissed on review)"
    return title


def _report(fields: Fields) -> AlertReport | None:
    ref = fields.text("id", 200, required=True)
    occurred_at = fields.time("time")
    point = fields.point()
    rounds = fields.integer("rounds", 0, 1000)
    details = _details(fields, rounds)
    address = fields.text("address", 500)
    beat = fields.text("beat", 100)
    if ref is None or occurred_at is None or point is None or fields.problems:
        return None
    return AlertReport(
        kind=AlertKind.GUNSHOT,
        source=SOURCE,
        source_ref=ref,
        occurred_at=occurred_at,
        title=title_of(details["type"], rounds, details["review_status"]),
        lat=point[0],
        lon=point[1],
        location_error_m=details["location_error_m"],
        address=address,
        beat=beat,
        details=details,
    )


def _details(fields: Fields, rounds: int | None) -> dict[str, Any]:
    vendor_type = fields.choice("type", TYPES)
    kind = vendor_type or _type_from(rounds)
    details: dict[str, Any] = {
        "rounds": rounds,
        "type": kind,
        "confidence": fields.number("confidence", 0.0, 1.0),
        "review_status": fields.choice("review_status", REVIEW) or "machine",
        "district": fields.text("district", 100),
        "audio_uri": _audio(fields),
        "multiple_shooters": bool(fields.boolean("multiple_shooters")),
        "location_error_m": fields.number("location_error_m", 0.0, 100_000.0),
    }
    original = fields.raw("type")
    if vendor_type is not None and str(original).strip().lower() != kind:
        details["original_type"] = str(original).strip()
    return details


def _type_from(rounds: int | None) -> str:
    if rounds == 1:
        return "single"
    return "multiple" if rounds and rounds > 1 else "other"


def _audio(fields: Fields) -> str | None:
    uri = fields.text("audio_uri", 2000)
    if uri is not None and not uri.lower().startswith(("https://", "http://")):
        fields.bad("audio_uri", "must be an http(s) URI")
        return None
    return uri
