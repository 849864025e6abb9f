"""Plate readers in the demo city: fixed readers at surveillance cameras on the main streets, two
patrol cars with mobile readers, and the demo hotlists, all set up through Watchfloor's services.

Set-up has two steps so the audit log stays in time order: `stock_ncic` imports the NCIC extract
"yesterday" (the demo's clock turned back), before anything else is recorded; `set_up_lpr`
registers the readers and the supervisor's BOLO list at the real time, once the accounts exist.
The NCIC list is then 20 hours old against a 12-hour limit: stale, as when the extract stops
arriving, and the scheduled refresh finds the same file and leaves it so.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Protocol

from watchfloor.app import Watchfloor
from watchfloor.auth.schemas import UserOut
from watchfloor.core.context import Actor, RequestContext
from watchfloor.demo.city import Address, Camera, load_addresses, load_cameras
from watchfloor.demo.eido import AGENCY
from watchfloor.demo.lpr_hotlists import (
    NCIC_ENTRIES,
    PlateBook,
    bolo_vehicles,
    create_bolo_list,
    create_ncic_list,
    ncic_extract,
    ncic_vehicles,
)
from watchfloor.demo.lpr_simulator import DEFAULT_HIT_EVERY_S
from watchfloor.demo.lpr_vehicles import ListedVehicle
from watchfloor.demo.streets import (
    Segment,
    compass_word,
    distance_m,
    nearest_segment,
    segments_near,
    street_segments,
)
from watchfloor.domain.hotlists.schemas import HotlistOut
from watchfloor.domain.lpr.schemas import ReaderIn

SYSTEM = RequestContext(actor=Actor.system("demo"))
FIXED_READERS = 15
READER_PREFIX = "HKI-LPR-"
MAX_STREET_DISTANCE_M = 25.0  # a camera farther from a main street does not see its plates
MAX_ADDRESS_DISTANCE_M = 150.0
LANES = {"primary": 2, "secondary": 2, "tertiary": 1}
PATROL_CARS = ("1A11", "3B24")
NCIC_AGE = timedelta(hours=20)
# OSM direction=* may be a 16-wind compass point.
_WINDS = (
    "N", "NNE", "NE", "ENE", "E", "ESE", "SE", "SSE",
    "S", "SSW", "SW", "WSW", "W", "WNW", "NW", "NNW",
)  # fmt: skip
_DEGREES = re.compile(r"^\d{1,3}(\.\d+)?$")


class Rewindable(Protocol):
    """A clock that can be turned back for a while (to set up the demo's history)."""

    def rewound(self, by: timedelta) -> AbstractContextManager[None]:
        """Within the block, the clock reads `by` earlier."""
        ...


class DemoClock:
    """The wall clock, which the demo's set-up turns back while it lays down history."""

    def __init__(self) -> None:
        self._offset = timedelta(0)

    def now(self) -> datetime:
        """The current UTC time, less the rewind in force."""
        return datetime.now(UTC) - self._offset

    @contextmanager
    def rewound(self, by: timedelta) -> Iterator[None]:
        """Read `by` earlier within the block."""
        self._offset += by
        try:
            yield
        finally:
            self._offset -= by


def camera_heading(camera: Camera) -> float | None:
    """The way the camera faces per its OSM tags (camera:direction or direction), if given."""
    for key in ("camera:direction", "direction"):
        value = camera.tags.get(key, "").strip().upper()
        if _DEGREES.match(value) and float(value) <= 360:
            return float(value) % 360.0
        if value in _WINDS:
            return _WINDS.index(value) * 22.5
    return None


def fixed_readers(
    count: int = FIXED_READERS,
    cameras: Sequence[Camera] | None = None,
    segments: Sequence[Segment] | None = None,
    addresses: Sequence[Address] | None = None,
) -> list[ReaderIn]:
    """Readers at `count` cameras beside main streets, spread over the city (each next one the
    camera farthest from those already chosen, starting nearest the centre)."""
    sited = _beside_main_streets(
        cameras if cameras is not None else load_cameras(),
        segments if segments is not None else street_segments(),
    )
    points = [a for a in (addresses if addresses is not None else load_addresses()) if a.street]
    readers: list[ReaderIn] = []
    names: set[str] = set()
    for number, (camera, segment) in enumerate(_spread(sited, count), start=1):
        reader = _reader(number, camera, segment, points)
        if reader.name in names:
            reader = reader.model_copy(update={"name": f"{reader.name} #{camera.id}"})
        names.add(reader.name)
        readers.append(reader)
    return readers


def _beside_main_streets(
    cameras: Sequence[Camera], segments: Sequence[Segment]
) -> list[tuple[Camera, Segment]]:
    """Cameras near enough a named main street to read its plates, with that street, by id."""
    sited: list[tuple[Camera, Segment]] = []
    for camera in sorted(cameras, key=lambda c: c.id):
        near = segments_near(_at(camera), segments, MAX_STREET_DISTANCE_M)
        if not near:
            continue
        segment, distance = nearest_segment(_at(camera), near)
        if distance <= MAX_STREET_DISTANCE_M and segment.street:
            sited.append((camera, segment))
    return sited


def _at(camera: Camera) -> tuple[float, float]:
    return camera.lat, camera.lon


def _spread(sited: list[tuple[Camera, Segment]], count: int) -> list[tuple[Camera, Segment]]:
    """Farthest-point sampling: deterministic, and no two readers on the same corner."""
    if not sited:
        return []
    centre = (
        sum(c.lat for c, _ in sited) / len(sited),
        sum(c.lon for c, _ in sited) / len(sited),
    )
    first = min(sited, key=lambda s: distance_m(centre, _at(s[0])))
    chosen = [first]
    gaps = {camera.id: distance_m(_at(camera), _at(first[0])) for camera, _ in sited}
    while len(chosen) < min(count, len(sited)):
        farthest = max(sited, key=lambda s: gaps[s[0].id])  # first of equals: lowest id
        chosen.append(farthest)
        for camera, _segment in sited:
            gap = distance_m(_at(camera), _at(farthest[0]))
            gaps[camera.id] = min(gaps[camera.id], gap)
    return chosen


def _reader(number: int, camera: Camera, segment: Segment, addresses: list[Address]) -> ReaderIn:
    heading = camera_heading(camera)
    if heading is None:
        heading = segment.bearing
    direction = compass_word(heading)
    place = _place_name(camera, segment, addresses)
    return ReaderIn(
        code=f"{READER_PREFIX}{number:02d}",
        name=f"{place} ({direction})",
        kind="fixed",
        agency=AGENCY,
        lat=camera.lat,
        lon=camera.lon,
        heading=heading,
        direction=direction,
        lanes=LANES.get(segment.road_class, 1),
        camera_ref=f"osm:node/{camera.id}",
    )


def _place_name(camera: Camera, segment: Segment, addresses: list[Address]) -> str:
    """The nearest address on the camera's street, or the street's name alone."""
    on_street = [a for a in addresses if a.street == segment.street]
    if on_street:
        nearest = min(on_street, key=lambda a: distance_m(_at(camera), (a.lat, a.lon)))
        if distance_m(_at(camera), (nearest.lat, nearest.lon)) <= MAX_ADDRESS_DISTANCE_M:
            return nearest.line
    return segment.street or "unnamed street"


def mobile_readers() -> list[ReaderIn]:
    """The patrol cars' readers: they send their own position with every read."""
    return [
        ReaderIn(
            code=f"{READER_PREFIX}M{number}",
            name=f"Patrol car {unit} (mobile)",
            kind="mobile",
            agency=AGENCY,
        )
        for number, unit in enumerate(PATROL_CARS, start=1)
    ]


@dataclass(frozen=True)
class NcicStock:
    """The NCIC list as imported, and the cars on it."""

    hotlist: HotlistOut
    listed: list[ListedVehicle]
    book: PlateBook


@dataclass(frozen=True)
class LprDemo:
    """What the demo's plate readers were set up with."""

    readers: list[ReaderIn]
    listed: list[ListedVehicle]
    hotlists: list[HotlistOut]

    def describe(self, reads_per_second: float) -> list[str]:
        """Banner lines: the readers, the feed and the lists."""
        fixed = sum(1 for r in self.readers if r.kind == "fixed")
        mobile = len(self.readers) - fixed
        lines = [
            f"Plate readers: {fixed} fixed at city cameras ({self.readers[0].code}...) and "
            f"{mobile} patrol cars, about {reads_per_second:g} reads a second;",
            f"  hotlist hits raise console alerts, the first at once, then about every "
            f"{DEFAULT_HIT_EVERY_S:g} s (wanted and missing persons sound).",
        ]
        for hotlist in self.hotlists:
            state = "STALE" if hotlist.stale else "fresh"
            age = f", refreshed {hotlist.age_minutes / 60:.0f} h ago" if hotlist.age_minutes else ""
            lines.append(
                f"  hotlist {hotlist.name!r}: {hotlist.entry_count} entries{age} ({state})"
            )
        return lines


async def stock_ncic(
    wf: Watchfloor,
    seed: int,
    past: Rewindable | None = None,
    entries: int = NCIC_ENTRIES,
) -> NcicStock:
    """Create and import the NCIC list as the system, NCIC_AGE ago when the clock can rewind."""
    rng = random.Random(seed)  # noqa: S311 - reproducible simulation, not security
    book = PlateBook(rng)
    listed = ncic_vehicles(rng, book, entries)
    with past.rewound(NCIC_AGE) if past is not None else nullcontext():
        extract = ncic_extract(listed, rng, wf.clock.now())
        landing = wf.settings.lpr.hotlist_source_dir or wf.settings.data_dir / "hotlists"
        hotlist = await create_ncic_list(wf.hotlists, landing, extract, SYSTEM)
    return NcicStock(await wf.hotlists.get_list(hotlist.id), listed, book)


async def set_up_lpr(
    wf: Watchfloor, supervisor: RequestContext, ncic: NcicStock, seed: int
) -> LprDemo:
    """Register the readers (as the system) and the supervisor's BOLO list."""
    readers = [*fixed_readers(), *mobile_readers()]
    for reader in readers:
        await wf.lpr_readers.register(reader, SYSTEM)
    bolos = bolo_vehicles(random.Random(seed), ncic.book)  # noqa: S311 - a simulation
    bolo = await create_bolo_list(wf.hotlists, bolos, supervisor, wf.clock.now())
    listed = [vehicle for _bolo, vehicle in bolos] + ncic.listed
    return LprDemo(readers, listed, [bolo, await wf.hotlists.get_list(ncic.hotlist.id)])


def supervisor_context(user: UserOut) -> RequestContext:
    """The context of work the demo does in the supervisor's name."""
    actor = Actor(
        user_id=user.id, username=user.username, role=user.role, designator=user.designator
    )
    return RequestContext(actor=actor)
