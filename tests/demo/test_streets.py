"""The demo city's street geometry: bearings, nearest streets, and patrol cars that drive them."""

from __future__ import annotations

import itertools
import random

import pytest

from watchfloor.demo.streets import (
    Patrol,
    Segment,
    StreetNetwork,
    bearing,
    compass_word,
    distance_m,
    nearest_segment,
    street_segments,
)

HERE = (60.17, 24.94)
NORTH = (60.171, 24.94)  # ~110 m north
EAST = (60.17, 24.942)  # ~111 m east


def test_bearings_and_the_travel_direction_they_name() -> None:
    assert bearing(HERE, NORTH) == 0.0
    assert bearing(HERE, EAST) == 90.0
    assert bearing(NORTH, HERE) == 180.0
    assert compass_word(0.0) == "northbound"
    assert compass_word(226.0) == "southwestbound"
    assert compass_word(355.0) == "northbound"
    assert distance_m(HERE, NORTH) == pytest.approx(110.6, abs=0.5)


def test_the_nearest_segment_and_its_distance() -> None:
    street = Segment("Northway", "primary", HERE, NORTH)
    avenue = Segment("Eastway", "secondary", HERE, EAST)
    point = (60.1705, 24.9401)  # 5.5 m east of the middle of Northway

    found, metres = nearest_segment(point, [avenue, street])

    assert found is street
    assert metres == pytest.approx(5.5, abs=0.3)


def test_the_city_has_main_streets_with_names() -> None:
    segments = street_segments()
    names = {s.street for s in segments}

    assert {"Mannerheimintie", "Pohjoisesplanadi"} <= names
    assert {s.road_class for s in segments} == {"primary", "secondary", "tertiary"}


def test_a_patrol_car_drives_along_the_streets_at_its_speed() -> None:
    network = StreetNetwork.of_city()
    car = Patrol(network, random.Random(5), speed_mps=8.0)
    lats = [node[0] for node in network.nodes]
    lons = [node[1] for node in network.nodes]
    positions = [car.position]
    for _ in range(120):
        car.drive(1.0)
        positions.append(car.position)

    steps = [distance_m(a, b) for a, b in itertools.pairwise(positions)]
    assert max(steps) <= 8.0 + 0.5  # a turn at a junction only shortens the straight line
    assert distance_m(positions[0], positions[-1]) > 50  # it got somewhere
    assert all(min(lats) <= lat <= max(lats) for lat, _lon in positions)
    assert all(min(lons) <= lon <= max(lons) for _lat, lon in positions)
    assert 0 <= car.heading < 360


def test_a_patrol_is_the_same_for_the_same_seed() -> None:
    network = StreetNetwork.of_city()
    first, second = Patrol(network, random.Random(9)), Patrol(network, random.Random(9))
    first.drive(300)
    second.drive(300)

    assert first.position == second.position
