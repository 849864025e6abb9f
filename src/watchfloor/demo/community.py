"""Community Connect in the demo: about forty homes and businesses at real addresses of the demo
city have registered their cameras, a couple of them paused for now.

Each camera of a site sits at the building; the first looks at the nearest street, the others at
the yard, the driveway or the back. The sites are fixed (seeded), so a restart finds the same ones
and adds nothing twice. The owners are invented and their e-mail addresses undeliverable: a
footage request's e-mail lands in the demo's outbox folder as an .eml file.
"""

from __future__ import annotations

import math
import random
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select

from watchfloor.app import Watchfloor
from watchfloor.audit.service import AuditEntry
from watchfloor.core.context import Actor, RequestContext
from watchfloor.demo.city import Address, load_addresses
from watchfloor.demo.streets import DRIVABLE_CLASSES, Segment, bearing, street_segments
from watchfloor.domain.community.addresses import split_address
from watchfloor.domain.community.models import CommunityCamera, CommunitySite
from watchfloor.domain.community.vocabulary import Covers, RequestKind, SiteKind, SiteStatus

SYSTEM = RequestContext(actor=Actor.system("demo"))
SEED = 8
BUSINESSES = 12
RESIDENCES = 28
PAUSED = 2
EMAIL_DOMAIN = "demo.watchfloor.invalid"
NAMESPACE = uuid.UUID("6f0b8a52-2f7e-4f57-9c55-1a7c3e0c8d01")
FIRST = ("Aino", "Eero", "Helmi", "Juha", "Kaisa", "Lauri", "Maria", "Mikko", "Sanna", "Timo")
LAST = ("Virtanen", "Korhonen", "Nieminen", "Mäkinen", "Hämäläinen", "Laine", "Heikkinen")
CONTACT_TIMES = ("weekdays 9-17", "evenings after 18", "any time", None)
BACK_VIEWS = (
    ("Courtyard", [Covers.YARD]),
    ("Back door", [Covers.ENTRANCE, Covers.ALLEY]),
    ("Parking", [Covers.PARKING_LOT]),
    ("Driveway", [Covers.DRIVEWAY]),
)


@dataclass(frozen=True)
class CommunityDemo:
    """What the demo registered and where its e-mails go."""

    sites: int
    cameras: int
    listed: int
    outbox: Path
    sample_email: str | None = None

    def describe(self, base_url: str) -> list[str]:
        """The banner's lines about Community Connect."""
        lines = [
            f"Community Connect: {self.sites} registered homes and businesses, "
            f"{self.listed} of {self.cameras} cameras listed; public page {base_url}/community/",
            f"  e-mails to owners and residents (no mail server here): {self.outbox}",
        ]
        if self.sample_email:
            lines.append(
                f"  an owner's page: ask the public page for the link of {self.sample_email},"
                " then open it from the outbox"
            )
        return lines


@dataclass(frozen=True)
class DemoSite:
    """One registration the demo makes."""

    address: Address
    business: bool
    paused: bool


def demo_sites(seed: int = SEED) -> list[DemoSite]:
    """The registrations: named businesses and homes at distinct addresses, some paused."""
    rnd = random.Random(seed)  # noqa: S311 - a simulation
    by_line: dict[str, Address] = {}
    for address in load_addresses():
        if address.street:
            by_line.setdefault(address.line, address)
    named = [a for a in by_line.values() if a.name]
    homes = [a for a in by_line.values() if not a.name]
    shops = rnd.sample(named, min(BUSINESSES, len(named)))
    houses = rnd.sample(homes, min(RESIDENCES, len(homes)))
    sites = [DemoSite(a, business=True, paused=False) for a in shops]
    sites += [DemoSite(a, business=False, paused=i < PAUSED) for i, a in enumerate(houses)]
    return sites


def site_id(address: Address) -> str:
    """The site's fixed id, so a second seeding finds it."""
    return str(uuid.uuid5(NAMESPACE, f"community-site:{address.osm}"))


async def seed_community(wf: Watchfloor, seed: int = SEED) -> CommunityDemo:
    """Register the demo's sites and cameras (those not there yet), before Watchfloor starts so
    the registry's index loads them."""
    rnd = random.Random(seed)  # noqa: S311 - a simulation
    streets = street_segments(classes=DRIVABLE_CLASSES)
    now = wf.clock.now()
    added = 0
    async with wf.db.session() as session:
        for demo in demo_sites(seed):
            site = _site(rnd, demo, now - timedelta(days=rnd.randint(3, 200)))
            cameras = _cameras(rnd, demo, site, streets)
            if await session.get(CommunitySite, site.id) is not None:
                continue
            session.add(site)
            await session.flush()
            session.add_all(cameras)
            added += 1
        if added:
            entry = AuditEntry(
                action="community.demo.seed",
                object_type="community_site",
                details={"sites_added": added},
            )
            await wf.audit.record(session, SYSTEM, entry)
    return await _summary(wf)


async def _summary(wf: Watchfloor) -> CommunityDemo:
    demo = CommunitySite.email.like(f"%@{EMAIL_DOMAIN}")
    async with wf.db.read_session() as session:
        sites = await session.scalar(select(func.count()).select_from(CommunitySite).where(demo))
        joined = select(func.count()).select_from(CommunityCamera).join(CommunitySite).where(demo)
        cameras = await session.scalar(joined)
        listed = await session.scalar(joined.where(CommunityCamera.listed.is_(True)))
        sample = await session.scalar(
            select(CommunitySite.email).where(demo).order_by(CommunitySite.email).limit(1)
        )
    outbox = wf.community.postbox.outbox
    return CommunityDemo(sites or 0, cameras or 0, listed or 0, outbox, sample)


def _site(rnd: random.Random, demo: DemoSite, since: datetime) -> CommunitySite:
    address = demo.address
    person = f"{rnd.choice(FIRST)} {rnd.choice(LAST)}"
    street, number = split_address(address.line)
    kinds = [RequestKind.PROPERTY_CRIME, RequestKind.VIOLENT_CRIME, RequestKind.TRAFFIC_COLLISION]
    if not demo.business:
        kinds = rnd.sample(list(RequestKind), rnd.randint(1, len(RequestKind)))
    status = SiteStatus.PAUSED if demo.paused else SiteStatus.ACTIVE
    return CommunitySite(
        id=site_id(address),
        kind=SiteKind.BUSINESS if demo.business else SiteKind.RESIDENCE,
        name=address.name if demo.business else None,
        contact_name=person,
        email=f"{address.osm}@{EMAIL_DOMAIN}",
        phone=f"+358 40 {rnd.randrange(1_000_000, 9_999_999)}" if rnd.random() < 0.6 else None,
        address=f"{address.line}, {address.postcode or ''} Helsinki".replace(" ,", ","),
        address_key=f"{street} {number}".strip(),
        lat=address.lat,
        lon=address.lon,
        retention_days=rnd.choice((7, 7, 10, 14, 14, 21, 30)),
        accepts=[k.value for k in kinds],
        contact_times=None if demo.business else rnd.choice(CONTACT_TIMES),
        status=status.value,
        created_at=since,
        confirmed_at=since,
        updated_at=since,
    )


def _cameras(
    rnd: random.Random, demo: DemoSite, site: CommunitySite, streets: list[Segment]
) -> list[CommunityCamera]:
    where = (demo.address.lat, demo.address.lon)
    front = _facing(where, streets)
    listed = not demo.paused
    first = CommunityCamera(
        id=_camera_id(site.id, 0),
        site_id=site.id,
        label="Shop front" if demo.business else "Front door",
        lat=where[0],
        lon=where[1],
        bearing=front,
        fov_angle=rnd.choice((90.0, 110.0)),
        range_m=rnd.choice((15.0, 20.0, 30.0)),
        covers=[
            Covers.STREET.value,
            Covers.SIDEWALK.value if demo.business else Covers.ENTRANCE.value,
        ],
        listed=listed,
    )
    cameras = [first]
    for i in range(1, rnd.choice((1, 1, 2, 3))):
        label, covers = BACK_VIEWS[rnd.randrange(len(BACK_VIEWS))]
        back = None if front is None else (front + 180 + rnd.uniform(-40, 40)) % 360
        cameras.append(
            CommunityCamera(
                id=_camera_id(site.id, i),
                site_id=site.id,
                label=f"{label} {i}" if i > 1 else label,
                lat=where[0] + rnd.uniform(-4e-5, 4e-5),
                lon=where[1] + rnd.uniform(-8e-5, 8e-5),
                bearing=round(back, 1) if back is not None else None,
                fov_angle=rnd.choice((70.0, 90.0, 120.0)),
                range_m=rnd.choice((8.0, 12.0, 20.0)),
                covers=[c.value for c in covers],
                listed=listed,
            )
        )
    return cameras


def _camera_id(site: str, n: int) -> str:
    return str(uuid.uuid5(NAMESPACE, f"community-camera:{site}:{n}"))


def _facing(point: tuple[float, float], streets: list[Segment]) -> float | None:
    """The bearing from the point to the nearest street; None when no street is near."""
    if not streets:
        return None
    nearest = min(streets, key=lambda segment: segment.distance_to(point))
    cos = math.cos(math.radians(point[0]))
    ax, ay = (nearest.start[1] - point[1]) * cos, nearest.start[0] - point[0]
    dx = (nearest.end[1] - nearest.start[1]) * cos
    dy = nearest.end[0] - nearest.start[0]
    length2 = dx * dx + dy * dy
    t = 0.0 if length2 == 0 else max(0.0, min(1.0, -(ax * dx + ay * dy) / length2))
    foot = (nearest.start[0] + t * dy, nearest.start[1] + t * (nearest.end[1] - nearest.start[1]))
    return bearing(point, foot) if foot != point else None
