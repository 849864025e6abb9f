"""Which OSM tags make a feature water, park, street, place, address or camera (build_city.py)."""

from __future__ import annotations

PARK_LEISURE = ("park", "garden", "playground", "dog_park", "common", "pitch")
PARK_LANDUSE = ("grass", "recreation_ground", "village_green", "meadow", "forest", "cemetery")
PARK_NATURAL = ("wood", "scrub", "heath", "grassland")
WATER_LANDUSE = ("basin", "reservoir", "pond")
STREET_CLASSES = {
    **{k: k for k in ("motorway", "trunk", "primary", "secondary", "tertiary")},
    **{f"{k}_link": k for k in ("motorway", "trunk", "primary", "secondary", "tertiary")},
    **dict.fromkeys(("residential", "unclassified", "living_street", "road"), "residential"),
    "service": "service",
    "pedestrian": "pedestrian",
    **dict.fromkeys(("footway", "path", "steps", "cycleway", "bridleway", "track"), "footway"),
}
SCHOOLS = ("school", "college", "university", "kindergarten")
OTHER_AMENITIES = (
    "townhall",
    "courthouse",
    "library",
    "embassy",
    "theatre",
    "clinic",
    "doctors",
    "pharmacy",
    "place_of_worship",
    "post_office",
    "community_centre",
    "cinema",
    "arts_centre",
    "social_facility",
)
DISTRICTS = ("suburb", "neighbourhood", "quarter")
CAMERA_DROPPED = ("man_made", "created_by")


def water_kind(tags: dict[str, str]) -> str | None:
    """'water', 'pond', 'basin' ... for a water area; None otherwise."""
    if tags.get("natural") == "water":
        return tags.get("water", "water")
    if tags.get("landuse") in WATER_LANDUSE:
        return tags["landuse"]
    if tags.get("waterway") == "riverbank":
        return "river"
    return None


def park_kind(tags: dict[str, str]) -> str | None:
    """The tag value that makes an area green (park, grass, scrub ...); None otherwise."""
    for key, values in (
        ("leisure", PARK_LEISURE),
        ("landuse", PARK_LANDUSE),
        ("natural", PARK_NATURAL),
    ):
        if tags.get(key) in values:
            return tags[key]
    return None


def street_class(tags: dict[str, str]) -> str | None:
    """The basemap class of a highway way; None when the way is not a highway."""
    highway = tags.get("highway")
    if highway is None:
        return None
    return STREET_CLASSES.get(highway, "other")


AMENITY_KINDS = {
    **{a: a for a in ("police", "fire_station", "hospital")},
    **dict.fromkeys(SCHOOLS, "school"),
    **dict.fromkeys(OTHER_AMENITIES, "other"),
}


def place_kind(tags: dict[str, str]) -> tuple[str, str] | None:
    """(kind, category) of a landmark: kind is police|fire_station|hospital|school|station|other."""
    amenity = tags.get("amenity", "")
    if tags.get("railway") == "station" or tags.get("public_transport") == "station":
        return "station", tags.get("station", "train")
    if amenity == "bus_station":
        return "station", "bus"
    if amenity in AMENITY_KINDS:
        return AMENITY_KINDS[amenity], amenity
    if tags.get("place") in DISTRICTS:
        return "other", tags["place"]
    return None


def address_of(tags: dict[str, str]) -> dict[str, str | None] | None:
    """Street, house number, postcode and name of a feature with addr:housenumber."""
    number = tags.get("addr:housenumber")
    if not number:
        return None
    return {
        "street": tags.get("addr:street"),
        "housenumber": number,
        "postcode": tags.get("addr:postcode"),
        "name": tags.get("name"),
    }


def camera_tags(tags: dict[str, str]) -> dict[str, str]:
    """A camera's tags less man_made (implied) and editor metadata."""
    return {k: v for k, v in sorted(tags.items()) if k not in CAMERA_DROPPED}
