"""Travel times over a small hand-made street graph: one-way streets, footways, snapping,
the reversed one-to-many search and its cache."""

from __future__ import annotations

import pytest

from watchfloor.domain.units.routing import NoStreets, Street, StreetRouter, streets_of
from watchfloor.settings_field import UnitSettings

# A block north of the incident T (60.000, 25.000): Main runs east from T, one-way.
T, M, E = (60.0, 25.0), (60.0, 25.002), (60.0, 25.004)
NE, NW, W = (60.002, 25.004), (60.002, 25.0), (60.0, 24.996)
SETTINGS = UnitSettings(speeds_kmh={"residential": 36.0}, access_speed_kmh=3.6)


def _block(main_oneway: int) -> list[Street]:
    return [
        Street((T, M, E), "residential", main_oneway),
        Street((E, NE, NW, T), "residential"),
        Street((W, T), "residential"),
        Street((M, (60.001, 25.002), NW), "footway"),  # a footpath is no shortcut for a car
    ]


async def test_a_unit_behind_a_one_way_street_ranks_after_a_farther_one() -> None:
    router = StreetRouter.over(SETTINGS, _block(main_oneway=1))
    routes = await router.routes_to(*T, {"A": M, "B": W})
    # A is 111 m away in a straight line but must drive round the block (~780 m at 10 m/s).
    assert 770 < routes["A"].route_m < 790
    assert routes["A"].travel_s == pytest.approx(routes["A"].route_m / 10, abs=0.2)
    assert 220 < routes["B"].route_m < 226
    assert routes["B"].travel_s < routes["A"].travel_s
    two_way = await StreetRouter.over(SETTINGS, _block(main_oneway=0)).routes_to(*T, {"A": M})
    assert 108 < two_way["A"].route_m < 114
    against = await StreetRouter.over(SETTINGS, _block(main_oneway=-1)).routes_to(*T, {"A": M})
    assert 108 < against["A"].route_m < 114  # "-1": the street runs against its drawing


async def test_points_off_the_street_are_snapped_with_a_walked_leg() -> None:
    router = StreetRouter.over(SETTINGS, _block(main_oneway=0))
    off = (60.0001, 24.996)  # 11 m north of W
    routes = await router.routes_to(*T, {"B": off, "far": (61.0, 25.0)})
    assert set(routes) == {"B"}  # a point beyond snap_max_m is not routed
    assert 232 < routes["B"].route_m < 238
    assert routes["B"].travel_s == pytest.approx(223 / 10 + 11 / 1, abs=1.5)
    with pytest.raises(NoStreets):
        await router.routes_to(61.0, 25.0, {"B": W})


async def test_the_search_from_a_target_is_done_once_and_kept() -> None:
    router = StreetRouter.over(SETTINGS.model_copy(update={"route_cache": 1}), _block(1))
    await router.routes_to(*T, {"A": M})
    await router.routes_to(*T, {"B": W})
    assert len(router._searches) == 1
    await router.routes_to(*W, {"A": M})
    assert len(router._searches) == 1  # the older search made room


async def test_no_streets_no_travel_times() -> None:
    with pytest.raises(NoStreets, match="no basemap"):
        await StreetRouter(UnitSettings(), None).graph()
    with pytest.raises(NoStreets, match="switched off"):
        await StreetRouter(UnitSettings(routing=False), None).graph()
    assert streets_of({"type": "FeatureCollection", "features": []}) == []
    only_paths = [Street((T, M), "footway")]
    with pytest.raises(NoStreets, match="no driveable streets"):
        await StreetRouter.over(UnitSettings(), only_paths).graph()


def test_streets_are_read_from_basemap_features() -> None:
    document = {
        "type": "FeatureCollection",
        "features": [
            _line("street", "residential", [(25.0, 60.0), (25.001, 60.0)], oneway="yes"),
            _line("street", None, [(25.0, 60.0), (25.001, 60.0)]),
            _line("water", "river", [(25.0, 60.0), (25.001, 60.0)]),
            _line("street", "primary", [(25.0, 60.0)]),
        ],
    }
    assert streets_of(document) == [Street(((60.0, 25.0), (60.0, 25.001)), "residential", 1)]


def _line(
    layer: str, road_class: str | None, coordinates: list[tuple[float, float]], **props: str
) -> dict[str, object]:
    return {
        "type": "Feature",
        "properties": {"layer": layer, "class": road_class, **props},
        "geometry": {"type": "LineString", "coordinates": [list(c) for c in coordinates]},
    }
