"""The ~250 m grid: cells are about that size, and a radius search finds every point inside."""

from __future__ import annotations

import math
import random

from watchfloor.core.geo import cells_around, distance_m, grid_cell


def test_points_a_few_metres_apart_share_a_cell_and_far_points_do_not() -> None:
    assert grid_cell(40.44, -80.0) == grid_cell(40.44, -80.0)
    assert grid_cell(40.44, -80.0) != grid_cell(40.44 + 600 / 111_195, -80.0)
    assert grid_cell(40.44, -80.0) != grid_cell(40.44, -80.0 + 600 / (111_195 * 0.76))


def test_cells_around_cover_every_point_within_the_radius() -> None:
    rnd = random.Random(3)
    for lat, lon in ((40.44, -80.0), (60.25, 24.95), (-33.9, 151.2), (0.0, 179.999)):
        for radius in (30.0, 300.0, 1_000.0):
            cells = set(cells_around(lat, lon, radius))
            for _ in range(300):
                # half of them on the rim, where a cell left out would first show
                reach = radius * (1.0 if rnd.random() < 0.5 else rnd.random())
                bearing = rnd.uniform(0, 2 * math.pi)
                p_lat = lat + reach * math.cos(bearing) / 111_195
                p_lon = lon + reach * math.sin(bearing) / (111_195 * math.cos(math.radians(lat)))
                p_lon = (p_lon + 180) % 360 - 180
                if distance_m(lat, lon, p_lat, p_lon) <= radius:
                    assert grid_cell(p_lat, p_lon) in cells


def test_a_300_m_radius_touches_a_handful_of_cells() -> None:
    assert 4 <= len(cells_around(40.44, -80.0, 300)) <= 16


def test_the_corner_cells_a_circle_cannot_reach_are_left_out() -> None:
    # a point at a cell's south-west corner: the circle of 300 m spans three rows and three
    # columns each way of it, but its rows 250 m away are only as wide as the circle's chord
    centre_lat = grid_row_south(40.44)
    cells = cells_around(centre_lat, -80.0, 300.0)
    corner_lat, corner_lon = centre_lat + 280 / 111_195, -80.0 + 280 / (111_195 * 0.761)
    assert distance_m(centre_lat, -80.0, corner_lat, corner_lon) > 300.0
    assert grid_cell(corner_lat, corner_lon) not in cells
    assert grid_cell(centre_lat + 280 / 111_195, -80.0) in cells


def grid_row_south(lat: float) -> float:
    """The southern edge of the grid row the latitude lies in (a point on a row boundary)."""
    step = 250.0 / (math.pi * 6_371_008.8 / 180.0)
    return math.floor((lat + 90.0) / step) * step - 90.0 + 1e-9
