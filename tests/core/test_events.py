"""The event envelope: dotted past-tense kinds, aware times, typed payloads."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from pydantic import BaseModel, ValidationError

from watchfloor.core.context import Actor, RequestContext
from watchfloor.core.events import Event, is_event_kind
from watchfloor.core.geo import GeoPoint, haversine_m

NOW = datetime(2026, 11, 21, 14, 0, tzinfo=UTC)


class Note(BaseModel):
    text: str


@pytest.mark.parametrize(
    ("kind", "ok"),
    [
        ("cad.incident.updated", True),
        ("lpr.plate.read", True),
        ("gunshot.detected", True),
        ("incident.note.added", True),
        ("incident.update", False),
        ("Incident.Updated", False),
        ("updated", False),
        ("incident..updated", False),
    ],
)
def test_kind_must_be_dotted_lower_case_past_tense(kind: str, ok: bool) -> None:
    assert is_event_kind(kind) is ok


def test_envelope_round_trips_with_typed_payload_and_context() -> None:
    event = Event[Note](
        kind="incident.note.added",
        source="console",
        occurred_at=NOW,
        received_at=NOW,
        location=GeoPoint(lat=40.44, lon=-80.0),
        payload=Note(text="suspect left northbound"),
        context=RequestContext(actor=Actor(username="op1", designator="RT3")),
    )
    again = Event[Note].model_validate_json(event.model_dump_json())
    assert again == event
    assert again.payload.text == "suspect left northbound"


def test_naive_times_and_bad_kinds_are_refused() -> None:
    with pytest.raises(ValidationError, match="timezone-aware"):
        Event[Note](
            kind="incident.note.added",
            source="x",
            occurred_at=datetime(2026, 1, 1),  # noqa: DTZ001 - the point of the test
            received_at=NOW,
            payload=Note(text="t"),
        )
    with pytest.raises(ValidationError, match="past tense"):
        Event[Note](
            kind="incident.add",
            source="x",
            occurred_at=NOW,
            received_at=NOW,
            payload=Note(text="t"),
        )


def test_geo_point_bounds_and_distance() -> None:
    with pytest.raises(ValidationError):
        GeoPoint(lat=91, lon=0)
    with pytest.raises(ValidationError):
        GeoPoint(lat=0, lon=float("nan"))
    pittsburgh, philly = GeoPoint(lat=40.4406, lon=-79.9959), GeoPoint(lat=39.9526, lon=-75.1652)
    assert 410_000 < haversine_m(pittsburgh, philly) < 415_000
