"""The plate sweep and nearest units rules: which alerts ask, and for what window."""

from __future__ import annotations

from tests.correlation.support import LAT, LON, NOW, alert, context
from watchfloor.correlation.actions import ListUnits, SweepPlates
from watchfloor.correlation.rules import nearest_units, plate_sweep


def test_a_gunshot_sweeps_reads_from_before_it_until_now() -> None:
    action = plate_sweep.evaluate(alert(occurred_at=NOW - 10), context(now=NOW))
    assert action == SweepPlates("A1", LAT, LON, NOW - 10 - 900, NOW, 500.0)


def test_the_sweep_follows_the_settings_and_needs_a_place() -> None:
    ctx = context(sweep_kinds=["panic"], sweep_radius_m=250, sweep_before_s=60)
    assert plate_sweep.evaluate(alert(), ctx) is None
    action = plate_sweep.evaluate(alert(kind="panic"), ctx)
    assert action == SweepPlates("A1", LAT, LON, NOW - 60, NOW, 250.0)
    assert plate_sweep.evaluate(alert(kind="panic", lat=None, lon=None), ctx) is None


def test_gunshots_and_panics_list_the_nearest_units() -> None:
    assert nearest_units.evaluate(alert(), context()) == ListUnits("A1", LAT, LON, 5)
    assert nearest_units.evaluate(alert(kind="panic"), context(units_limit=3)) == ListUnits(
        "A1", LAT, LON, 3
    )
    assert nearest_units.evaluate(alert(kind="cap"), context()) is None
