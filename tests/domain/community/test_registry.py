"""The registry as a service: unconfirmed registrations are purged, the index is rebuilt from the
store, the context packet lists cameras near an incident, and deletion keeps the police's record
of requests without the site."""

from __future__ import annotations

from datetime import timedelta
from email import message_from_bytes
from pathlib import Path

from sqlalchemy import func, select

from tests.domain.community.test_public_routes import ADDRESS, LAT, LON, link_in, registration
from tests.domain.context.support import LAT as INCIDENT_LAT
from tests.domain.context.support import LON as INCIDENT_LON
from tests.domain.context.support import METRE, build_world
from watchfloor.app import Watchfloor
from watchfloor.audit.service import AuditFilter
from watchfloor.core.clock import ManualClock
from watchfloor.core.context import Actor, RequestContext
from watchfloor.domain.community.models import (
    CommunityCamera,
    CommunitySite,
    FootageRequest,
    new_id,
)
from watchfloor.domain.community.registry import listed_cameras
from watchfloor.domain.community.schemas import RegistrationIn
from watchfloor.domain.community.vocabulary import SiteStatus

PUBLIC = RequestContext(actor=Actor.system("community-public"))


def outbox_tokens(wf: Watchfloor) -> list[str]:
    """Owner link tokens of the e-mails written to the outbox (no SMTP server configured)."""
    outbox: Path = wf.community.postbox.outbox
    tokens = []
    for path in sorted(outbox.glob("*.eml"), key=lambda p: p.stat().st_mtime_ns):
        payload = message_from_bytes(path.read_bytes()).get_payload(decode=True)
        assert isinstance(payload, bytes)
        tokens.append(link_in(payload.decode()))
    return tokens


async def sites(wf: Watchfloor) -> int:
    async with wf.db.read_session() as session:
        query = select(func.count()).select_from(CommunitySite)
        return int((await session.execute(query)).scalar_one())


async def test_unconfirmed_registrations_are_purged_after_their_time(
    wf: Watchfloor, clock: ManualClock
) -> None:
    registry = wf.community.registry
    await registry.register(RegistrationIn.model_validate(registration()), PUBLIC)
    await registry.register(RegistrationIn.model_validate(registration()), PUBLIC)
    first, _second = outbox_tokens(wf)
    await registry.owners.open_session(first, PUBLIC)  # confirmed: stays
    clock.advance(timedelta(hours=wf.settings.community.pending_expire_h - 1))
    assert await registry.purge_pending() == 0
    clock.advance(timedelta(hours=2))
    assert await registry.purge_pending() == 1
    assert await sites(wf) == 1
    [record] = await wf.audit.query(AuditFilter(action="community.site.purge"))
    assert record.details == {"sites": 1}
    assert any(job.name == "community-pending-purge" for job in wf.periodic_jobs())


async def test_load_rebuilds_the_index_from_listed_cameras_only(wf: Watchfloor) -> None:
    registry = wf.community.registry
    await registry.register(RegistrationIn.model_validate(registration()), PUBLIC)
    await registry.register(RegistrationIn.model_validate(registration()), PUBLIC)
    [token, _pending] = outbox_tokens(wf)
    await registry.owners.open_session(token, PUBLIC)
    registry.index.clear()
    assert await registry.load() == 2
    near = await registry.near(LAT, LON, 100, 20)
    assert sorted(c.name for c in near) == ["Front door", "Yard"]
    assert near[0].distance_m <= near[1].distance_m
    assert {c.retention_days for c in near} == {14}
    async with wf.db.read_session() as session:
        ids = [c.id for c in near] + ["unknown"]
        assert {c.id for c in await listed_cameras(session, ids)} == {c.id for c in near}


async def test_the_context_packet_lists_community_cameras_near_the_incident(
    wf: Watchfloor, clock: ManualClock
) -> None:
    world = await build_world(wf, clock)
    await _listed_site(wf, clock, "Corner Shop", INCIDENT_LAT + 40 * METRE, INCIDENT_LON)
    await _listed_site(wf, clock, "Far Away", INCIDENT_LAT + 900 * METRE, INCIDENT_LON)
    await _listed_site(
        wf, clock, "Paused", INCIDENT_LAT + 10 * METRE, INCIDENT_LON, SiteStatus.PAUSED
    )
    await wf.community.registry.load()
    packet = await wf.context.assembler.for_incident(world.incident_id)
    [found] = packet.community_cameras
    assert found.name == "Corner Shop: Door"
    assert found.distance_m == round(found.distance_m, 1)
    assert 39 < found.distance_m < 41
    assert (found.retention_days, found.covers, found.site_kind) == (5, ["street"], "business")
    assert found.accepts == ["property_crime"]


async def test_deletion_keeps_the_requests_made_without_the_site(
    wf: Watchfloor, clock: ManualClock
) -> None:
    registry = wf.community.registry
    await registry.register(RegistrationIn.model_validate(registration()), PUBLIC)
    [token] = outbox_tokens(wf)
    view, session_token = await registry.owners.open_session(token, PUBLIC)
    assert view.registration.address == ADDRESS
    async with wf.db.read_session() as session:
        site_id = (await session.execute(select(CommunitySite.id))).scalar_one()
    request_id = await _request(wf, clock, site_id)
    shown = await registry.owners.view(session_token)
    assert [r.id for r in shown.requests] == [request_id]
    assert shown.requests[0].reason == "a burglary across the street"
    await registry.owners.delete(session_token, PUBLIC)
    async with wf.db.read_session() as session:
        kept = await session.get(FootageRequest, request_id)
        assert kept is not None
        assert kept.site_id is None
        assert await session.get(CommunitySite, site_id) is None


async def _listed_site(
    wf: Watchfloor,
    clock: ManualClock,
    name: str,
    lat: float,
    lon: float,
    status: SiteStatus = SiteStatus.ACTIVE,
) -> None:
    now = clock.now()
    site = CommunitySite(
        id=new_id(),
        kind="business",
        name=name,
        contact_name="Owner",
        email="owner@example.org",
        address="100 Main St",
        address_key="100 MAIN ST",
        lat=lat,
        lon=lon,
        retention_days=5,
        accepts=["property_crime"],
        status=status.value,
        created_at=now,
        updated_at=now,
    )
    camera = CommunityCamera(
        site_id=site.id,
        label="Door",
        lat=lat,
        lon=lon,
        covers=["street"],
        listed=status == SiteStatus.ACTIVE,
    )
    async with wf.db.session() as session:
        session.add(site)
        await session.flush()
        session.add(camera)


async def _request(wf: Watchfloor, clock: ManualClock, site_id: str) -> str:
    now = clock.now()
    row = FootageRequest(
        id=new_id(),
        site_id=site_id,
        camera_ids=[],
        incident_id=new_id(),
        incident_type="Burglary",
        kind="property_crime",
        window_from=now - timedelta(hours=2),
        window_to=now - timedelta(hours=1),
        reason="a burglary across the street",
        requested_by="operator",
        status="sent",
        created_at=now,
        footage_lost_at=now + timedelta(days=10),
        expires_at=now + timedelta(days=7),
    )
    async with wf.db.session() as session:
        session.add(row)
    return row.id
