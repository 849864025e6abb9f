"""EIDO rejections: every problem at its JSON pointer; batches split or refused."""

from __future__ import annotations

import math
from datetime import UTC, datetime
from typing import Any

import orjson
import pytest

from tests.connectors.eido.documents import (
    DELETE,
    INC,
    LOC,
    NOW,
    SETTINGS,
    full_document,
    nena_sample,
    patched,
    pidf_point,
    problems_of,
)
from watchfloor.connectors.eido.mapping import pointer, split_batch, translate
from watchfloor.core.errors import FieldProblem, InvalidInput, MalformedInput
from watchfloor.settings import EidoSettings

BAD = [
    ("missing $id", "/$id", DELETE, "/$id", "required"),
    ("empty $id", "/$id", "", "/$id", "at least 1"),
    ("missing timestamp", "/lastUpdateTimeStamp", DELETE, "/lastUpdateTimeStamp", "required"),
    ("timestamp garbage", "/lastUpdateTimeStamp", "yesterday", "/lastUpdateTimeStamp", "RFC 3339"),
    (
        "timestamp no offset",
        "/lastUpdateTimeStamp",
        "2026-11-21T13:00:00",
        "/lastUpdateTimeStamp",
        "offset",
    ),
    ("timestamp number", "/lastUpdateTimeStamp", 1763730000, "/lastUpdateTimeStamp", "string"),
    (
        "future time",
        "/lastUpdateTimeStamp",
        "2026-11-21T14:10:00Z",
        "/lastUpdateTimeStamp",
        "future",
    ),
    (
        "time in 1970",
        "/lastUpdateTimeStamp",
        "1970-01-01T00:00:00Z",
        "/lastUpdateTimeStamp",
        "before 1990",
    ),
    (
        "future note",
        "/notesComponent/0/lastUpdateTimeStamp",
        "2027-01-01T00:00:00Z",
        "/notesComponent/0/lastUpdateTimeStamp",
        "future",
    ),
    (
        "old call",
        "/callComponent/0/callStartTimestamp",
        "1985-01-01T00:00:00Z",
        "/callComponent/0/callStartTimestamp",
        "before 1990",
    ),
    ("version", "/eidoVersion", "2.0", "/eidoVersion", "unsupported eidoVersion"),
    (
        "missing issuer",
        "/issuingElementIdentification",
        DELETE,
        "/issuingElementIdentification",
        "required",
    ),
    ("missing agencies", "/agencyComponent", DELETE, "/agencyComponent", "required"),
    (
        "priority 0",
        f"{INC}/incidentCommonPriorityNumber",
        0,
        f"{INC}/incidentCommonPriorityNumber",
        "unknown code",
    ),
    (
        "priority 6",
        f"{INC}/incidentCommonPriorityNumber",
        6,
        f"{INC}/incidentCommonPriorityNumber",
        "out of range 1-5",
    ),
    (
        "priority 10",
        f"{INC}/incidentCommonPriorityNumber",
        10,
        f"{INC}/incidentCommonPriorityNumber",
        "out of range 1-5",
    ),
    (
        "priority text",
        f"{INC}/incidentCommonPriorityNumber",
        "high",
        f"{INC}/incidentCommonPriorityNumber",
        "integer",
    ),
    (
        "unknown type",
        f"{INC}/incidentTypeCommonRegistryText",
        "XYZZY",
        f"{INC}/incidentTypeCommonRegistryText",
        "unknown incident type code",
    ),
    (
        "missing type",
        f"{INC}/incidentTypeCommonRegistryText",
        DELETE,
        f"{INC}/incidentTypeCommonRegistryText",
        "required",
    ),
    (
        "unknown status",
        f"{INC}/incidentStatusCommonRegistryText/1",
        "Teleported",
        f"{INC}/incidentStatusCommonRegistryText/1",
        "unknown code",
    ),
    ("two incidents", INC, [{}, {}], INC, "one incident component"),
    (
        "lat 91",
        f"{LOC}/locationByValue",
        pidf_point(91, -80),
        f"{LOC}/locationByValue",
        "latitude 91",
    ),
    (
        "lon -181",
        f"{LOC}/locationByValue",
        pidf_point(40, -181),
        f"{LOC}/locationByValue",
        "longitude -181",
    ),
    ("null island", f"{LOC}/locationByValue", pidf_point(0, 0), f"{LOC}/locationByValue", "0,0"),
    ("NaN", f"{LOC}/locationByValue", pidf_point("NaN", -80), f"{LOC}/locationByValue", "finite"),
    (
        "broken PIDF",
        f"{LOC}/locationByValue",
        "<presence><unclosed></presence>",
        f"{LOC}/locationByValue",
        "not well-formed",
    ),
    (
        "PIDF entity bomb",
        f"{LOC}/locationByValue",
        '<!DOCTYPE p [<!ENTITY a "x">]><p>&a;</p>',
        f"{LOC}/locationByValue",
        "forbidden",
    ),
    (
        "pos not numbers",
        f"{LOC}/locationByValue",
        pidf_point("north", "west"),
        f"{LOC}/locationByValue",
        "numbers",
    ),
    (
        "plain lat 91",
        "/locationComponent/0/latitude",
        91,
        "/locationComponent/0/latitude",
        "latitude 91",
    ),
    (
        "plain lon -181",
        "/locationComponent/0/longitude",
        -181,
        "/locationComponent/0/longitude",
        "longitude -181",
    ),
    (
        "plain 0,0",
        "/locationComponent/0",
        {"$id": "z", "latitude": 0, "longitude": 0},
        "/locationComponent/0/longitude",
        "0,0",
    ),
    (
        "geojson lat 91",
        "/locationComponent/2/locationByValue",
        {"type": "Point", "coordinates": [10, 91]},
        "/locationComponent/2/locationByValue",
        "latitude 91",
    ),
    (
        "note text",
        "/notesComponent/0/notesActionComments",
        DELETE,
        "/notesComponent/0/notesActionComments",
        "required",
    ),
    (
        "unit status",
        "/emergencyResourceComponent/0/primaryUnitStatusRegistryText",
        DELETE,
        "/emergencyResourceComponent/0/primaryUnitStatusRegistryText",
        "required",
    ),
    (
        "caution severity",
        "/cautionComponent/0/cautionSeverity",
        "extreme",
        "/cautionComponent/0/cautionSeverity",
        "highest",
    ),
    (
        "person roles",
        "/personComponent/0/personIncidentRoleRegistryText",
        [],
        "/personComponent/0/personIncidentRoleRegistryText",
        "at least 1",
    ),
    (
        "vehicle roles",
        "/vehicleComponent/0/vehicleRelationshipType",
        DELETE,
        "/vehicleComponent/0/vehicleRelationshipType",
        "required",
    ),
    (
        "units not a list",
        "/emergencyResourceComponent",
        {"$id": "u"},
        "/emergencyResourceComponent",
        "list",
    ),
]


@pytest.mark.parametrize(
    ("path", "value", "expected_pointer", "fragment"),
    [case[1:] for case in BAD],
    ids=[case[0] for case in BAD],
)
def test_bad_document_is_rejected_at_its_pointer(
    path: str, value: Any, expected_pointer: str, fragment: str
) -> None:
    problems = problems_of(patched(path, value))
    assert [p.pointer for p in problems] == [expected_pointer]
    assert fragment in problems[0].reason


def test_every_problem_is_listed_at_once() -> None:
    doc = patched(f"{INC}/incidentCommonPriorityNumber", 9)
    doc["lastUpdateTimeStamp"] = "1970-01-01T00:00:00Z"
    doc["locationComponent"][1]["locationByValue"] = pidf_point(95, 10)
    pointers = {p.pointer for p in problems_of(doc)}
    assert pointers == {
        "/lastUpdateTimeStamp",
        f"{INC}/incidentCommonPriorityNumber",
        f"{LOC}/locationByValue",
    }


def test_not_an_object_is_rejected_at_the_root() -> None:
    assert problems_of([1, 2]) == [FieldProblem("", "an EIDO must be a JSON object")]


def test_agency_code_is_accepted_when_configured() -> None:
    doc = patched(f"{INC}/incidentTypeCommonRegistryText", "10-31A")
    doc["incidentComponent"].pop("incidentTypeInternalCode")
    assert problems_of(doc)[0].reason == "unknown incident type code '10-31A'"
    settings = EidoSettings(agency_incident_codes={"10-31A": "BURG"})
    report = translate(doc, settings, NOW)
    assert (report.type_code, report.type_internal_code) == ("BURG", "10-31A")


def test_registry_code_is_case_insensitive() -> None:
    report = translate(patched(f"{INC}/incidentTypeCommonRegistryText", "robbery"), SETTINGS, NOW)
    assert report.type_code == "ROBBERY"


def test_incident_component_as_one_element_list_uses_list_pointers() -> None:
    doc = full_document()
    doc["incidentComponent"] = [doc["incidentComponent"]]
    assert translate(doc, SETTINGS, NOW).priority == 1
    doc["incidentComponent"][0]["incidentCommonPriorityNumber"] = 7
    assert [p.pointer for p in problems_of(doc)] == [f"{INC}/0/incidentCommonPriorityNumber"]


def test_skew_allowance_is_honoured() -> None:
    doc = patched("/lastUpdateTimeStamp", "2026-11-21T14:04:59Z")
    assert translate(doc, SETTINGS, NOW).last_updated_at == datetime(
        2026, 11, 21, 14, 4, 59, tzinfo=UTC
    )
    assert problems_of(doc, EidoSettings(max_future_skew_s=60))[0].pointer == "/lastUpdateTimeStamp"


def test_nena_2020_draft_sample_is_rejected_with_pointers() -> None:
    problems = problems_of(nena_sample("sample-eido-2020.json"))
    assert {p.pointer: p.reason for p in problems} == {
        "/lastUpdateTimeStamp": "required field is missing",
        "/eidoVersion": "required field is missing",
        "/incidentComponent/0/incidentTypeCommonRegistryText": "unknown incident type code 'CU1'",
        "/incidentComponent/0/incidentCommonPriorityNumber": (
            "unknown code: common priority 10 is out of range 1-5"
        ),
    }


@pytest.mark.parametrize("lat", [-1e9, -90.0001, 90.0001, math.inf])
def test_every_impossible_latitude_is_rejected(lat: float) -> None:
    problems = problems_of(patched("/locationComponent/0/latitude", lat))
    assert [p.pointer for p in problems] == ["/locationComponent/0/latitude"]


def test_pointer_escapes_rfc6901() -> None:
    assert pointer(("a/b", "m~n", 0)) == "/a~1b/m~0n/0"
    assert pointer(()) == ""


def test_split_batch_one_object_and_arrays() -> None:
    doc = full_document()
    assert split_batch(orjson.dumps(doc), 5) == [doc]
    assert split_batch(orjson.dumps([doc, doc]), 2) == [doc, doc]


@pytest.mark.parametrize(
    ("raw", "error", "fragment"),
    [
        (b'{"$id": ', MalformedInput, "line 1 column"),
        (b"", MalformedInput, "line 1 column"),
        (b'"just a string"', MalformedInput, "not an EIDO object or array"),
        (b"42", MalformedInput, "not an EIDO object or array"),
        (b"[]", InvalidInput, "empty batch"),
        (b"[{}, {}, {}]", InvalidInput, "larger than max_batch 2"),
    ],
)
def test_split_batch_rejections(raw: bytes, error: type[Exception], fragment: str) -> None:
    with pytest.raises(error) as caught:
        split_batch(raw, 2)
    assert isinstance(caught.value, MalformedInput | InvalidInput)
    (problem,) = caught.value.problems
    assert problem.pointer == ""
    assert fragment in problem.reason
