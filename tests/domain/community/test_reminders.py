"""The requests' periodic job on the manual clock: one reminder before the owner's recordings are
overwritten (a fresh link only where the first was never opened), expiry at the link's end or the
footage's, nothing done twice."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from tests.conftest import START
from tests.domain.community.requests_support import (
    OPERATOR,
    OWNER,
    add_incident,
    add_site,
    community_settings,
    link_in,
    request_in,
)
from tests.support.smtp import SmtpServer, smtp_server  # noqa: F401
from watchfloor.app import Watchfloor
from watchfloor.core.clock import ManualClock
from watchfloor.core.errors import NotFound
from watchfloor.domain.community.models import FootageRequest
from watchfloor.domain.community.request_schemas import REQUEST_CHANGED
from watchfloor.domain.community.vocabulary import RequestStatus
from watchfloor.settings import Settings


@pytest.fixture
def settings(database_url: str, tmp_path: Path, smtp_server: SmtpServer) -> Settings:  # noqa: F811
    return community_settings(database_url, tmp_path, smtp_server.url)


async def _request(wf: Watchfloor, retention_days: int) -> str:
    incident = await add_incident(wf)
    site = await add_site(wf, retention_days=retention_days)
    (made,) = await wf.community.requests.create(request_in(incident, site.camera_ids), OPERATOR)
    return made.id


async def test_one_reminder_goes_before_the_footage_is_lost(
    wf: Watchfloor,
    clock: ManualClock,
    smtp_server: SmtpServer,  # noqa: F811
) -> None:
    await _request(wf, retention_days=3)  # footage lost at START - 2 h + 3 days
    first_link = link_in((await smtp_server.wait_for(1))[0].body)
    keeper = wf.community.request_keeper

    assert await keeper.run_once() == (0, 0)  # nothing due yet
    clock.set(START + timedelta(days=3) - timedelta(hours=2) - timedelta(hours=23))
    assert await keeper.run_once() == (0, 1)
    clock.advance(timedelta(hours=1))
    assert await keeper.run_once() == (0, 0)  # never twice

    mails = await smtp_server.wait_for(2)
    assert len(mails) == 2
    assert "reminder" in mails[1].subject
    assert "only reminder" in mails[1].body
    new_link = link_in(mails[1].body)  # never opened: a fresh link replaces the first
    with pytest.raises(NotFound):
        await wf.community.requests.answer_view(first_link, OWNER)
    view = await wf.community.requests.answer_view(new_link, OWNER)
    assert view.status is RequestStatus.OPENED


async def test_an_opened_request_is_reminded_without_a_new_link(
    wf: Watchfloor,
    clock: ManualClock,
    smtp_server: SmtpServer,  # noqa: F811
) -> None:
    await _request(wf, retention_days=3)
    link = link_in((await smtp_server.wait_for(1))[0].body)
    await wf.community.requests.answer_view(link, OWNER)
    clock.set(START + timedelta(days=2, hours=12))

    assert await wf.community.request_keeper.run_once() == (0, 1)

    reminder = (await smtp_server.wait_for(2))[1].body
    assert "#t=" not in reminder
    assert "earlier e-mail" in reminder
    assert (await wf.community.requests.answer_view(link, OWNER)).status is RequestStatus.OPENED


async def test_a_failed_reminder_is_tried_again_on_the_next_run(
    wf: Watchfloor,
    clock: ManualClock,
    smtp_server: SmtpServer,  # noqa: F811
) -> None:
    await _request(wf, retention_days=3)
    await smtp_server.wait_for(1)
    clock.set(START + timedelta(days=2, hours=12))
    smtp_server.refuse = True
    assert await wf.community.request_keeper.run_once() == (0, 0)
    smtp_server.refuse = False
    assert await wf.community.request_keeper.run_once() == (0, 1)
    assert await wf.community.request_keeper.run_once() == (0, 0)


@pytest.mark.parametrize(
    ("retention_days", "after"),
    [(3, timedelta(days=3)), (60, timedelta(days=14))],  # footage lost / the link's end
)
async def test_requests_expire_when_footage_is_lost_or_the_link_ends(
    wf: Watchfloor,
    clock: ManualClock,
    smtp_server: SmtpServer,  # noqa: F811
    retention_days: int,
    after: timedelta,
) -> None:
    request_id = await _request(wf, retention_days=retention_days)
    link = link_in((await smtp_server.wait_for(1))[0].body)
    changes = wf.bus.subscribe(REQUEST_CHANGED)
    clock.set(START + after - timedelta(hours=3))
    await wf.community.request_keeper.expire_due()
    clock.set(START + after)

    assert await wf.community.request_keeper.expire_due() == 1
    assert await wf.community.request_keeper.expire_due() == 0

    incident = await _incident_of(wf, request_id)
    (row,) = await wf.community.requests.for_incident(incident, OPERATOR)
    assert row.status is RequestStatus.EXPIRED
    assert (await changes.get(timeout=2)).payload.status == "expired"
    with pytest.raises(NotFound):
        await wf.community.requests.answer_view(link, OWNER)


async def _incident_of(wf: Watchfloor, request_id: str) -> str:
    async with wf.db.read_session() as session:
        row = await session.get(FootageRequest, request_id)
        assert row is not None
        return row.incident_id
