"""Prior incidents: counts and the most recent rows come from one statement and agree."""

from __future__ import annotations

from datetime import UTC, timedelta

from tests.domain.context.support import LAT, LON, build_world
from watchfloor.app import Watchfloor
from watchfloor.core.clock import ManualClock
from watchfloor.domain.context.prior import PriorAsk, prior_incidents
from watchfloor.domain.context.schemas import PriorIncidents


async def _prior(wf: Watchfloor, clock: ManualClock, recent: int, exclude: str) -> PriorIncidents:
    now = clock.now()
    return await wf.db.read_in_thread(
        lambda session: prior_incidents(
            session,
            PriorAsk(
                LAT,
                LON,
                "100  MAIN st ",
                radius_m=300,
                at_address_m=30,
                since=now - timedelta(days=365),
                until=now,
                recent=recent,
                exclude_id=exclude,
            ),
        )
    )


async def test_counts_cover_every_row_while_recent_keeps_only_the_newest(
    wf: Watchfloor, clock: ManualClock
) -> None:
    world = await build_world(wf, clock)
    prior = await _prior(wf, clock, recent=2, exclude=world.incident_id)
    assert (prior.nearby, prior.at_address) == (3, 2)
    assert [(t.type_code, t.count) for t in prior.by_type] == [("THEFT", 2), ("BURGLARY", 1)]
    assert [r.address for r in prior.recent] == ["100 main st", "102 Main St"]
    assert [r.distance_m for r in prior.recent] == [80.0, 20.0]
    assert all(r.received_at.tzinfo == UTC for r in prior.recent)
    assert prior.recent[0].received_at > prior.recent[1].received_at


async def test_no_recent_rows_asked_for_still_counts(wf: Watchfloor, clock: ManualClock) -> None:
    world = await build_world(wf, clock)
    prior = await _prior(wf, clock, recent=0, exclude=world.incident_id)
    assert (prior.nearby, prior.recent) == (3, [])


async def test_the_subject_counts_when_it_is_not_excluded(
    wf: Watchfloor, clock: ManualClock
) -> None:
    world = await build_world(wf, clock)
    prior = await _prior(wf, clock, recent=10, exclude="")
    assert (prior.nearby, prior.at_address) == (4, 3)
    assert world.incident_id in {r.id for r in prior.recent}
