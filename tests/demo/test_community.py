"""The demo's Community Connect sites: listed cameras at real addresses, seeded once."""

from __future__ import annotations

from sqlalchemy import select

from watchfloor.app import Watchfloor
from watchfloor.demo.city import load_addresses
from watchfloor.demo.community import (
    BUSINESSES,
    PAUSED,
    RESIDENCES,
    CommunityDemo,
    demo_sites,
    seed_community,
)
from watchfloor.domain.community.models import CommunityCamera, CommunitySite
from watchfloor.domain.community.vocabulary import RequestKind, SiteKind, SiteStatus


async def _stored(wf: Watchfloor) -> tuple[list[CommunitySite], list[CommunityCamera]]:
    async with wf.db.read_session() as session:
        sites = list((await session.execute(select(CommunitySite))).scalars())
        cameras = list((await session.execute(select(CommunityCamera))).scalars())
    return sites, cameras


async def test_seeding_registers_homes_and_businesses_with_listed_cameras(wf: Watchfloor) -> None:
    summary = await seed_community(wf)
    sites, cameras = await _stored(wf)

    assert len(sites) == BUSINESSES + RESIDENCES == summary.sites
    assert sum(s.kind == SiteKind.BUSINESS and bool(s.name) for s in sites) == BUSINESSES
    assert sum(s.status == SiteStatus.PAUSED for s in sites) == PAUSED
    active = {s.id for s in sites if s.status == SiteStatus.ACTIVE}
    assert {c.site_id for c in cameras if c.listed} == active
    assert summary.listed == sum(c.listed for c in cameras) >= len(active)
    assert all(1 <= sum(c.site_id == s.id for c in cameras) <= 3 for s in sites)
    assert all(7 <= s.retention_days <= 30 and s.accepts for s in sites)
    assert all(set(s.accepts) <= {k.value for k in RequestKind} for s in sites)
    assert all(c.bearing is None or 0 <= c.bearing < 360 for c in cameras)
    assert all(c.covers for c in cameras)
    real = {(a.lat, a.lon) for a in load_addresses()}
    assert all((s.lat, s.lon) in real for s in sites)


async def test_seeding_twice_adds_nothing(wf: Watchfloor) -> None:
    first = await seed_community(wf)
    again = await seed_community(wf)
    sites, cameras = await _stored(wf)

    assert again == first
    assert (len(sites), len(cameras)) == (first.sites, first.cameras)


async def test_the_registry_finds_the_seeded_cameras_once_started(wf: Watchfloor) -> None:
    await seed_community(wf)
    await wf.start()
    home = next(s for s in demo_sites() if not s.paused and not s.business).address

    found = await wf.community.context_source().near(home.lat, home.lon, 50, 20)

    assert found
    assert all(camera.distance_m <= 50 for camera in found)


def test_the_banner_names_the_public_page_and_the_outbox(wf: Watchfloor) -> None:
    outbox = wf.community.postbox.outbox
    text = "\n".join(CommunityDemo(40, 80, 76, outbox, "a@b.invalid").describe("http://h:1"))

    assert "http://h:1/community/" in text
    assert str(outbox) in text
    assert "a@b.invalid" in text
