"""The supervisor's request statistics for a period and the public transparency numbers: counts by
outcome, answer rate and median time to answer; public figures are aggregates only."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from tests.conftest import START
from tests.domain.community.requests_support import OPERATOR, add_site
from watchfloor.app import Watchfloor
from watchfloor.core.errors import InvalidInput
from watchfloor.domain.community.models import FootageRequest
from watchfloor.domain.community.vocabulary import RequestStatus, SiteStatus

S = RequestStatus


async def _rows(
    wf: Watchfloor, site_id: str, *rows: tuple[datetime, S, float | None, bool | None]
) -> None:
    """Requests made at a time, in a status, answered after so many hours, rated useful or not."""
    async with wf.db.session() as session:
        for created_at, status, hours, useful in rows:
            session.add(
                FootageRequest(
                    site_id=site_id,
                    camera_ids=[],
                    incident_id="inc-1",
                    incident_type="Robbery",
                    kind="property_crime",
                    window_from=created_at - timedelta(hours=2),
                    window_to=created_at - timedelta(hours=1),
                    reason="Suspect fled east along Elm Street",
                    requested_by="op-1",
                    status=status.value,
                    created_at=created_at,
                    opened_at=created_at + timedelta(minutes=30) if status is not S.SENT else None,
                    answered_at=created_at + timedelta(hours=hours) if hours is not None else None,
                    footage_lost_at=created_at + timedelta(days=7),
                    expires_at=created_at + timedelta(days=14),
                    useful=useful,
                )
            )


async def test_the_supervisor_sees_how_requests_in_a_period_were_answered(wf: Watchfloor) -> None:
    site = await add_site(wf)
    day = timedelta(days=1)
    await _rows(
        wf,
        site.id,
        (START - 2 * day, S.UPLOADED, 2.0, True),
        (START - 3 * day, S.UPLOADED, 6.0, False),
        (START - 4 * day, S.DECLINED, 10.0, None),
        (START - 5 * day, S.EXPIRED, None, None),
        (START - 6 * day, S.WITHDRAWN, None, None),
        (START - 7 * day, S.SENT, None, None),
        (START - 40 * day, S.UPLOADED, 1.0, True),  # before the period
    )

    stats = await wf.community.request_stats.for_period(None, None, OPERATOR)

    assert (stats.sent, stats.opened, stats.uploaded, stats.declined) == (6, 5, 2, 1)
    assert (stats.expired, stats.withdrawn, stats.useful, stats.not_useful) == (1, 1, 1, 1)
    assert stats.answer_rate == 0.5
    assert stats.median_hours_to_answer == 6.0
    assert stats.until == START
    assert stats.since == START - 30 * day
    narrow = await wf.community.request_stats.for_period(
        START - 3.5 * day, START - 2.5 * day, OPERATOR
    )
    assert (narrow.sent, narrow.uploaded, narrow.median_hours_to_answer) == (1, 1, 6.0)
    empty = await wf.community.request_stats.for_period(START - day, START, OPERATOR)
    assert (empty.sent, empty.answer_rate, empty.median_hours_to_answer) == (0, 0.0, None)
    with pytest.raises(InvalidInput):
        await wf.community.request_stats.for_period(START, START - day, OPERATOR)


async def test_the_public_numbers_are_counts_by_month(wf: Watchfloor) -> None:
    site = await add_site(wf, cameras=("a", "b", "c"))
    await add_site(wf, status=SiteStatus.PAUSED)
    await add_site(wf, status=SiteStatus.PENDING)
    await _rows(
        wf,
        site.id,
        (START - timedelta(days=1), S.UPLOADED, 2.0, True),
        (START - timedelta(days=2), S.DECLINED, 3.0, None),
        (START - timedelta(days=40), S.EXPIRED, None, None),
        (START - timedelta(days=400), S.UPLOADED, 1.0, None),  # counted, but not in the months
    )

    numbers = await wf.community.request_stats.transparency()

    assert (numbers.registrations, numbers.cameras) == (1, 3)
    assert (numbers.requests, numbers.answered, numbers.uploaded, numbers.declined) == (4, 3, 2, 1)
    assert len(numbers.months) == 12
    assert numbers.months[-1].model_dump() == {"month": "2026-11", "requests": 2, "answered": 2}
    assert numbers.months[-2].model_dump() == {"month": "2026-10", "requests": 1, "answered": 0}
    assert numbers.months[0].month == "2025-12"
    shown = numbers.model_dump_json()
    assert "Elm" not in shown
    assert "owner@" not in shown
