"""The engine's memory: the grid index by cell, and old alerts falling out."""

from __future__ import annotations

import pytest

from tests.correlation.support import LAT, LON, NOW, alert, incident, moved
from watchfloor.correlation.state import CellIndex, IncidentState, Memory


def test_around_finds_items_within_the_radius_across_cells_with_their_distance() -> None:
    grid: CellIndex[IncidentState] = CellIndex(cell_m=100)
    for name, (north, east) in {"a": (0, 0), "b": (90, 90), "c": (0, 140), "d": (400, 0)}.items():
        lat, lon = moved(north, east)
        grid.put(incident(name, lat=lat, lon=lon))
    found = {item.id: d for item, d in grid.around(LAT, LON, 150)}
    assert set(found) == {"a", "b", "c"}
    assert found["b"] == pytest.approx(127.3, abs=0.5)
    assert found["c"] == pytest.approx(140.0, abs=0.5)


def test_put_moves_and_discard_forgets() -> None:
    grid: CellIndex[IncidentState] = CellIndex()
    grid.put(incident("a"))
    far_lat, far_lon = moved(north_m=5000)
    grid.put(incident("a", lat=far_lat, lon=far_lon))
    assert list(grid.around(LAT, LON, 100)) == []
    assert len(grid) == 1
    grid.discard("a")
    grid.put(incident("b", lat=None, lon=None))
    assert len(grid) == 0


def test_memory_keeps_open_alerts_on_the_grid_and_forgets_old_ones() -> None:
    memory = Memory(memory_s=600, grid_s=120)
    memory.remember_alert(alert("A1"))
    memory.remember_alert(alert("A2", seen_at=NOW + 100))
    memory.remember_alert(alert("A3", status="closed", seen_at=NOW + 100))
    assert {a.id for a, _ in memory.alert_grid.around(LAT, LON, 10)} == {"A1", "A2"}
    assert memory.prune(NOW + 200) == 0  # in memory still, but A1 has left the grid
    assert {a.id for a, _ in memory.alert_grid.around(LAT, LON, 10)} == {"A2"}
    assert memory.prune(NOW + 650) == 1
    assert set(memory.alerts) == {"A2", "A3"}


def test_closed_incidents_are_forgotten() -> None:
    memory = Memory(600)
    memory.remember_incident(incident("I1"))
    memory.remember_incident(incident("I1", status="cleared"))
    assert memory.incidents == {}
    assert list(memory.incident_grid.around(LAT, LON, 10)) == []
