"""EIDO out: the stored EIDO with Watchfloor's intel notes added, for `GET /EIDO/{id}`."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from typing import Any

from watchfloor.events.cad import NoteReport


def timestamp(value: datetime) -> str:
    """An RFC 3339 UTC timestamp with milliseconds, as EIDO date-time fields carry them."""
    return value.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _parsed(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else None


def note_component(note: NoteReport, issued_by: str) -> dict[str, Any]:
    """One Watchfloor note as an EIDO NotesType component."""
    component: dict[str, Any] = {
        "$id": note.eido_id,
        "lastUpdateTimeStamp": timestamp(note.written_at),
        "updatedByAgencyReference": {"$ref": issued_by},
        "notesActionComments": note.text,
    }
    if note.author:
        component["agentReference"] = {"$ref": note.author}
    return component


def _incident(document: dict[str, Any]) -> dict[str, Any] | None:
    incident = document.get("incidentComponent")
    if isinstance(incident, list) and len(incident) == 1:
        # The schema makes it one object; older producers sent a one-element list.
        incident = document["incidentComponent"] = incident[0]
    return incident if isinstance(incident, dict) else None


def with_notes(
    original: dict[str, Any], notes: list[NoteReport], issued_by: str, updated_at: datetime
) -> dict[str, Any]:
    """The stored EIDO with Watchfloor's notes appended to notesComponent, each referenced from
    the incident component; top-level lastUpdateTimeStamp = max(original, updated_at)."""
    document = copy.deepcopy(original)
    added = {note.eido_id: note_component(note, issued_by) for note in notes}
    existing = document.get("notesComponent")
    kept = [
        n
        for n in (existing if isinstance(existing, list) else [])
        if not (isinstance(n, dict) and n.get("$id") in added)
    ]
    document["notesComponent"] = [*kept, *added.values()]
    incident = _incident(document)
    if incident is not None and added:
        refs = incident.get("notesReference")
        refs = refs if isinstance(refs, list) else []
        known = {r.get("$ref") for r in refs if isinstance(r, dict)}
        incident["notesReference"] = [*refs, *({"$ref": i} for i in added if i not in known)]
    stored = _parsed(document.get("lastUpdateTimeStamp"))
    if stored is None or updated_at > stored:
        document["lastUpdateTimeStamp"] = timestamp(updated_at)
        document["updatedByAgencyReference"] = {"$ref": issued_by}
    return document
