"""Cameras mapped in OpenStreetMap (man_made=surveillance nodes) as camera records.

Nobody has confirmed an OSM-mapped camera: the owner says so, the status is unverified, and the
access level is recorded-only unless the mapper tagged the camera public."""

from __future__ import annotations

import math
from typing import Protocol

from watchfloor.domain.cameras.schemas import AccessLevel, CameraIn, CameraKind, CameraStatus

OSM_OWNER = "OpenStreetMap-mapped (unverified)"
DEFAULT_FOV_ANGLE = 90.0
DEFAULT_FOV_RANGE_M = 60.0
CARDINAL_NAMES = "N NNE NE ENE E ESE SE SSE S SSW SW WSW W WNW NW NNW"
CARDINALS = {name: index * 22.5 for index, name in enumerate(CARDINAL_NAMES.split(" "))}
KIND_BY_TYPE = {"alpr": CameraKind.PLATE_READER, "anpr": CameraKind.PLATE_READER}
KIND_BY_ZONE = {"traffic": CameraKind.TRAFFIC, "school": CameraKind.SCHOOL}
KIND_BY_SURVEILLANCE = {
    "public": CameraKind.CITY,
    "outdoor": CameraKind.BUSINESS,
    "indoor": CameraKind.BUSINESS,
    "traffic": CameraKind.TRAFFIC,
}
PTZ_TYPES = frozenset({"dome", "panning"})


class OsmCamera(Protocol):
    """An OpenStreetMap man_made=surveillance node (the demo city's loader yields these)."""

    @property
    def id(self) -> int: ...

    @property
    def lat(self) -> float: ...

    @property
    def lon(self) -> float: ...

    @property
    def tags(self) -> dict[str, str]: ...


def osm_kind(tags: dict[str, str]) -> CameraKind:
    """The kind of camera an OSM node's surveillance tags describe (city by default)."""
    kind = KIND_BY_TYPE.get(tags.get("surveillance:type", "").lower())
    kind = kind or KIND_BY_ZONE.get(tags.get("surveillance:zone", "").lower())
    kind = kind or KIND_BY_SURVEILLANCE.get(tags.get("surveillance", "").lower())
    return kind or CameraKind.CITY


def osm_bearing(tags: dict[str, str]) -> float | None:
    """Degrees the camera faces, from camera:direction or direction (numeric or cardinal)."""
    raw = (tags.get("camera:direction") or tags.get("direction") or "").strip().upper()
    if raw in CARDINALS:
        return CARDINALS[raw]
    try:
        degrees = float(raw)
    except ValueError:
        return None
    return degrees % 360 if math.isfinite(degrees) else None


def osm_height(tags: dict[str, str]) -> float | None:
    """Mounting height in metres, from height or est_height when it is a plain number."""
    for key in ("height", "est_height"):
        try:
            value = float(tags.get(key, "").removesuffix("m").strip())
        except ValueError:
            continue
        if 0 <= value <= 500:
            return value
    return None


def _ptz(tags: dict[str, str]) -> bool:
    return tags.get("revolving") == "yes" or tags.get("camera:type", "").lower() in PTZ_TYPES


def camera_from_osm(camera: OsmCamera) -> CameraIn:
    """The camera record of an OSM surveillance node (code osm-<node id>)."""
    tags = camera.tags
    public = tags.get("surveillance", "").lower() == "public"
    name = (tags.get("name") or f"OSM camera {camera.id}")[:200]
    operator = tags.get("operator")
    return CameraIn(
        code=f"osm-{camera.id}",
        name=name,
        kind=osm_kind(tags),
        owner=OSM_OWNER,
        lat=camera.lat,
        lon=camera.lon,
        location_note=f"operator per OSM: {operator}"[:300] if operator else None,
        mount_height_m=osm_height(tags),
        bearing=osm_bearing(tags),
        fov_angle=DEFAULT_FOV_ANGLE,
        fov_range_m=DEFAULT_FOV_RANGE_M,
        ptz=_ptz(tags),
        access_level=AccessLevel.LIVE if public else AccessLevel.RECORDED_ONLY,
        status=CameraStatus.UNVERIFIED,
        labels=["osm"],
        external_ref=f"osm:node/{camera.id}",
    )
