"""Footage requests through the desk: one request and one e-mail (through a real SMTP server) per
site, refusals naming the camera, the owner's first look, declines, withdrawals; each audited,
on the incident's timeline and on the bus."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.conftest import START
from tests.domain.community.requests_support import (
    OPERATOR,
    OWNER,
    OWNER_EMAIL,
    add_incident,
    add_site,
    audit_actions,
    community_settings,
    link_in,
    request_in,
)
from tests.support.smtp import SmtpServer, smtp_server  # noqa: F401
from watchfloor.app import Watchfloor
from watchfloor.core.clock import ManualClock
from watchfloor.core.errors import Conflict, Gone, InvalidInput, NotFound
from watchfloor.domain.community.models import FootageRequest
from watchfloor.domain.community.request_schemas import REQUEST_CHANGED
from watchfloor.domain.community.request_views import request_message, requests_for_site
from watchfloor.domain.community.vocabulary import RequestKind, RequestStatus, SiteKind, SiteStatus
from watchfloor.domain.incidents.models import IncidentTimelineEntry
from watchfloor.settings import Settings


@pytest.fixture
def settings(database_url: str, tmp_path: Path, smtp_server: SmtpServer) -> Settings:  # noqa: F811
    return community_settings(database_url, tmp_path, smtp_server.url)


async def _count_requests(wf: Watchfloor) -> int:
    async with wf.db.read_session() as session:
        return int(await session.scalar(select(func.count(FootageRequest.id))) or 0)


async def test_a_request_goes_to_each_site_once_with_a_link_and_no_pressure(
    wf: Watchfloor,
    smtp_server: SmtpServer,  # noqa: F811
) -> None:
    incident = await add_incident(wf)
    home = await add_site(wf, retention_days=7)
    shop = await add_site(wf, kind=SiteKind.BUSINESS, name="Corner Bakery", email="b@example.org")
    changes = wf.bus.subscribe(REQUEST_CHANGED)

    made = await wf.community.requests.create(
        request_in(incident, [*home.camera_ids, shop.camera_ids[0]]), OPERATOR
    )

    assert [(r.site_id, sorted(r.camera_ids)) for r in made] == [
        (home.id, sorted(home.camera_ids)),
        (shop.id, [shop.camera_ids[0]]),
    ]
    first = made[0]
    assert first.status is RequestStatus.SENT
    assert first.site_label == "Residence near Elm Street"
    assert made[1].site_label == "Corner Bakery"
    assert first.footage_lost_at == START - timedelta(hours=2) + timedelta(days=7)
    assert first.expires_at == START + timedelta(days=wf.settings.community.request_link_days)
    assert first.incident_type == "Robbery of a shop"
    assert first.requested_by == "op-1"
    mails = await smtp_server.wait_for(2)
    assert sorted(m.recipients[0] for m in mails) == sorted([OWNER_EMAIL, "b@example.org"])
    body = next(m.body for m in mails if m.recipients == [OWNER_EMAIL])
    assert body.count("https://watch.example.gov/community/answer#t=") == 1
    assert len(link_in(body)) >= 40
    assert "Robbery of a shop" in body
    assert "Suspect fled east" in body
    assert "entirely your choice" in body
    assert "Front door" in body
    assert "12:00" in body
    assert "13:00" in body
    event = await changes.get(timeout=2)
    assert event.payload.status == "sent"
    assert await request_message(event) == {
        "type": "community.request",
        "kind": REQUEST_CHANGED,
        "id": first.id,
        "incident_id": incident,
        "status": "sent",
    }
    audited = await audit_actions(wf, "community.request.create")
    assert audited == [("community.request.create", first.reason)] * 2
    async with wf.db.read_session() as session:
        kinds = (
            await session.scalars(
                select(IncidentTimelineEntry.kind).where(
                    IncidentTimelineEntry.incident_id == incident
                )
            )
        ).all()
    assert kinds.count("community.request.sent") == 2


@pytest.mark.parametrize(
    ("site", "reason"),
    [
        ({"status": SiteStatus.PAUSED}, "paused"),
        ({"accepts": [RequestKind.TRAFFIC_COLLISION]}, "does not accept property_crime"),
        ({"retention_days": 1}, "recordings of that time are gone"),
    ],
)
async def test_a_camera_that_cannot_be_asked_is_named_and_nothing_is_sent(
    wf: Watchfloor,
    smtp_server: SmtpServer,  # noqa: F811
    site: dict[str, object],
    reason: str,
) -> None:
    incident = await add_incident(wf)
    good = await add_site(wf)
    bad = await add_site(wf, **site)  # type: ignore[arg-type]
    if "retention_days" in site:
        wf.clock.advance(timedelta(days=1))  # type: ignore[attr-defined]

    with pytest.raises(InvalidInput) as refused:
        await wf.community.requests.create(
            request_in(incident, [good.camera_ids[0], bad.camera_ids[0], "no-such-camera"]),
            OPERATOR,
        )

    problems = {p.pointer: p.reason for p in refused.value.problems}
    assert reason in problems["/camera_ids/1"]
    assert problems["/camera_ids/2"] == "not a listed community camera"
    assert "/camera_ids/0" not in problems or "gone" in reason  # the good site is fine
    assert await _count_requests(wf) == 0
    assert smtp_server.received == []


@pytest.mark.parametrize(
    ("window", "pointer"),
    [
        ({"window_to": START + timedelta(hours=1)}, "/window_to"),
        ({"window_from": START - timedelta(hours=30)}, "/window_to"),
    ],
)
async def test_a_window_in_the_future_or_too_long_is_refused(
    wf: Watchfloor, window: dict[str, object], pointer: str
) -> None:
    incident = await add_incident(wf)
    site = await add_site(wf)
    with pytest.raises(InvalidInput) as refused:
        await wf.community.requests.create(
            request_in(incident, site.camera_ids, **window), OPERATOR
        )
    assert [p.pointer for p in refused.value.problems] == [pointer]


async def test_an_unknown_incident_or_a_second_open_request_is_refused(wf: Watchfloor) -> None:
    site = await add_site(wf)
    with pytest.raises(InvalidInput) as unknown:
        await wf.community.requests.create(request_in("nope", site.camera_ids), OPERATOR)
    assert unknown.value.problems[0].pointer == "/incident_id"
    incident = await add_incident(wf)
    await wf.community.requests.create(request_in(incident, site.camera_ids[:1]), OPERATOR)
    with pytest.raises(InvalidInput) as again:
        await wf.community.requests.create(request_in(incident, site.camera_ids[1:]), OPERATOR)
    assert "still open" in again.value.problems[0].reason


async def test_the_owners_first_look_marks_the_request_opened_once(
    wf: Watchfloor,
    smtp_server: SmtpServer,  # noqa: F811
    clock: ManualClock,
) -> None:
    incident = await add_incident(wf)
    site = await add_site(wf)
    (made,) = await wf.community.requests.create(request_in(incident, site.camera_ids), OPERATOR)
    token = link_in((await smtp_server.wait_for(1))[0].body)
    clock.advance(timedelta(minutes=5))

    view = await wf.community.requests.answer_view(token, OWNER)
    clock.advance(timedelta(minutes=5))
    again = await wf.community.requests.answer_view(token, OWNER)

    assert view.status is RequestStatus.OPENED
    assert again.status is RequestStatus.OPENED
    assert [c.label for c in view.cameras] == ["Front door", "Driveway"]
    assert view.reason == made.reason
    assert ".mp4" in view.accepted
    (listed,) = await wf.community.requests.for_incident(incident, OPERATOR)
    assert listed.opened_at == START + timedelta(minutes=5)
    assert [a for a, _ in await audit_actions(wf, "community.request.open")] == [
        "community.request.open"
    ]
    with pytest.raises(NotFound):
        await wf.community.requests.answer_view("x" * 43, OWNER)


async def test_a_decline_is_recorded_with_its_note_and_the_link_is_spent(
    wf: Watchfloor,
    smtp_server: SmtpServer,  # noqa: F811
) -> None:
    incident = await add_incident(wf)
    site = await add_site(wf)
    await wf.community.requests.create(request_in(incident, site.camera_ids), OPERATOR)
    token = link_in((await smtp_server.wait_for(1))[0].body)

    view = await wf.community.requests.decline(token, "Camera was off that night", OWNER)

    assert view.status is RequestStatus.DECLINED
    (listed,) = await wf.community.requests.for_incident(incident, OPERATOR)
    assert listed.decline_note == "Camera was off that night"
    assert listed.answered_at == START
    with pytest.raises(Gone):
        await wf.community.requests.answer_view(token, OWNER)
    with pytest.raises(Gone):
        await wf.community.requests.finish(token, None, OWNER)
    async with wf.db.read_session() as session:
        (mine,) = await requests_for_site(session, site.id)
    assert mine.status is RequestStatus.DECLINED
    assert mine.incident_type == "Robbery of a shop"


async def test_finishing_needs_a_stored_file(
    wf: Watchfloor,
    smtp_server: SmtpServer,  # noqa: F811
) -> None:
    incident = await add_incident(wf)
    site = await add_site(wf)
    await wf.community.requests.create(request_in(incident, site.camera_ids), OPERATOR)
    token = link_in((await smtp_server.wait_for(1))[0].body)
    with pytest.raises(InvalidInput) as refused:
        await wf.community.requests.finish(token, None, OWNER)
    assert refused.value.problems[0].pointer == "/files"


async def test_a_withdrawal_tells_the_owner_kills_the_link_and_is_audited(
    wf: Watchfloor,
    smtp_server: SmtpServer,  # noqa: F811
) -> None:
    incident = await add_incident(wf)
    site = await add_site(wf)
    (made,) = await wf.community.requests.create(request_in(incident, site.camera_ids), OPERATOR)
    token = link_in((await smtp_server.wait_for(1))[0].body)

    out = await wf.community.requests.withdraw(made.id, "Suspect arrested, not needed", OPERATOR)

    assert out.status is RequestStatus.WITHDRAWN
    mails = await smtp_server.wait_for(2)
    assert "no longer needs footage" in mails[1].body
    assert "#t=" not in mails[1].body
    with pytest.raises(NotFound):
        await wf.community.requests.answer_view(token, OWNER)
    assert await audit_actions(wf, "community.request.withdraw") == [
        ("community.request.withdraw", "Suspect arrested, not needed")
    ]
    with pytest.raises(Conflict):
        await wf.community.requests.withdraw(made.id, "again, twice", OPERATOR)
    with pytest.raises(Conflict):
        await wf.community.requests.mark_useful(made.id, True, OPERATOR)


async def test_the_floor_sees_no_contact_details(wf: Watchfloor) -> None:
    incident = await add_incident(wf)
    site = await add_site(wf)
    await wf.community.requests.create(request_in(incident, site.camera_ids), OPERATOR)
    (listed,) = await wf.community.requests.for_incident(incident, OPERATOR)
    shown = listed.model_dump_json()
    assert OWNER_EMAIL not in shown
    assert "Pat Owner" not in shown
    assert "555 0100" not in shown  # the whole number: ids and times may hold "555" by chance
    assert "12 Elm" not in shown
