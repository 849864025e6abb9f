"""EIDO out: notes appended as valid NotesType components, valid against NENA's schema."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import jsonschema  # type: ignore[import-untyped]  # no stubs among the dev dependencies
import pytest
import yaml

from tests.connectors.eido.documents import NENA_DIR, NOW, full_document, nena_sample
from watchfloor.connectors.eido.export import with_notes
from watchfloor.connectors.eido.mapping import translate
from watchfloor.events.cad import NoteReport
from watchfloor.settings import EidoSettings

ISSUER = "watchfloor.rtcc.example.gov"
NOTES = [
    NoteReport(
        eido_id="urn:watchfloor:note:1",
        text="Plate ABC1234 hit on LPR camera 7",
        author="analyst.kim",
        written_at=NOW - timedelta(minutes=2),
    ),
    NoteReport(eido_id="urn:watchfloor:note:2", text="No cameras on Oak", written_at=NOW),
]


def _adapt(node: Any) -> Any:
    """The minimal changes for jsonschema: NIEM files the EIDO refers to are not saved (accept
    anything there), and one `minItems: 1,` in the upstream YAML reads as the string "1,"."""
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and not ref.startswith("#"):
            return {}
        adapted = {key: _adapt(value) for key, value in node.items()}
        if isinstance(adapted.get("minItems"), str):
            adapted["minItems"] = int(adapted["minItems"].strip(", "))
        return adapted
    if isinstance(node, list):
        return [_adapt(item) for item in node]
    return node


@pytest.fixture(scope="module")
def eido_validator() -> jsonschema.protocols.Validator:
    spec = yaml.safe_load((NENA_DIR / "openapi.yaml").read_text(encoding="utf-8"))
    schema = {
        "$ref": "#/components/schemas/EmergencyIncidentDataObjectType",
        "components": _adapt(spec["components"]),
    }
    validator_class = jsonschema.validators.validator_for(
        schema, default=jsonschema.Draft7Validator
    )
    return validator_class(schema, format_checker=jsonschema.FormatChecker())


def _errors(validator: jsonschema.protocols.Validator, document: dict[str, Any]) -> list[str]:
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(document)]


def test_the_validator_catches_an_invalid_note(
    eido_validator: jsonschema.protocols.Validator,
) -> None:
    document = with_notes(nena_sample("sample-call-transfer-eido.json"), NOTES, ISSUER, NOW)
    assert _errors(eido_validator, document) == []
    del document["notesComponent"][-1]["notesActionComments"]
    assert _errors(eido_validator, document)


def test_export_validates_against_the_nena_schema(
    eido_validator: jsonschema.protocols.Validator,
) -> None:
    sample = nena_sample("sample-call-transfer-eido.json")
    assert _errors(eido_validator, sample) == []
    exported = with_notes(sample, NOTES, ISSUER, NOW)
    assert _errors(eido_validator, exported) == []
    assert [n["$id"] for n in exported["notesComponent"]] == [n.eido_id for n in NOTES]


def test_notes_are_appended_and_referenced() -> None:
    original = full_document()
    exported = with_notes(original, NOTES, ISSUER, NOW)
    assert [n["$id"] for n in exported["notesComponent"]] == ["note-1", *(n.eido_id for n in NOTES)]
    first = exported["notesComponent"][1]
    assert first == {
        "$id": "urn:watchfloor:note:1",
        "lastUpdateTimeStamp": "2026-11-21T13:58:00.000Z",
        "updatedByAgencyReference": {"$ref": ISSUER},
        "notesActionComments": "Plate ABC1234 hit on LPR camera 7",
        "agentReference": {"$ref": "analyst.kim"},
    }
    assert "agentReference" not in exported["notesComponent"][2]
    assert exported["incidentComponent"]["notesReference"] == [
        {"$ref": "note-1"},
        {"$ref": "urn:watchfloor:note:1"},
        {"$ref": "urn:watchfloor:note:2"},
    ]
    assert original == full_document(), "the stored document must not be changed"


def test_export_is_idempotent() -> None:
    once = with_notes(full_document(), NOTES, ISSUER, NOW)
    assert with_notes(once, NOTES, ISSUER, NOW) == once


def test_top_level_timestamp_is_the_later_one() -> None:
    later = with_notes(full_document(), NOTES, ISSUER, NOW)
    assert later["lastUpdateTimeStamp"] == "2026-11-21T14:00:00.000Z"
    assert later["updatedByAgencyReference"] == {"$ref": ISSUER}
    earlier = with_notes(full_document(), NOTES, ISSUER, datetime(2026, 11, 21, 12, tzinfo=UTC))
    assert earlier["lastUpdateTimeStamp"] == full_document()["lastUpdateTimeStamp"]
    assert earlier["updatedByAgencyReference"] == {"$ref": "police.example.gov"}


def test_round_trip_translates_back_to_the_notes() -> None:
    document = full_document()
    document["incidentComponent"] = [document["incidentComponent"]]
    exported = with_notes(document, NOTES, ISSUER, NOW)
    assert isinstance(exported["incidentComponent"], dict)
    report = translate(exported, EidoSettings(), NOW)
    assert report.notes[1:] == NOTES
    assert report.last_updated_at == NOW


def test_without_incident_component_notes_still_export() -> None:
    sample = nena_sample("sample-call-transfer-eido.json")
    exported = with_notes(sample, NOTES[:1], ISSUER, NOW)
    assert "incidentComponent" not in exported
    report = translate(exported, EidoSettings(), NOW)
    assert report.notes == NOTES[:1]
