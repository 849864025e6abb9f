"""The incident's own facts, read in one statement: its place, cautions and attached alerts."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.domain.alerts.support import FEED, gunshot
from tests.domain.incidents.support import report, store
from watchfloor.app import Watchfloor
from watchfloor.core.clock import ManualClock
from watchfloor.core.errors import NotFound
from watchfloor.domain.context.subject import MAX_CAUTIONS, IncidentOwn, incident_own
from watchfloor.events.cad import CautionReport


async def _own(wf: Watchfloor, incident_id: str) -> IncidentOwn:
    return await wf.db.read_in_thread(lambda s: incident_own(s, incident_id))


def _caution(n: int) -> CautionReport:
    return CautionReport(eido_id=f"c{n:03d}", kind=f"K{n}", kind_text=f"Kind {n}", severity="low")


async def test_cautions_come_in_the_cads_order_and_no_more_than_the_limit(
    wf: Watchfloor,
) -> None:
    # stored in another order than the CAD's ids, and more of them than the packet lists
    cautions = [_caution(n) for n in reversed(range(MAX_CAUTIONS + 5))]
    incident_id = (await store(wf, report(cautions=cautions)))[0].incident_id
    own = await _own(wf, incident_id)
    assert own.found
    assert [c.kind for c in own.cautions] == [f"K{n}" for n in range(MAX_CAUTIONS)]
    assert (own.cautions[0].kind_text, own.cautions[0].severity) == ("Kind 0", "low")
    assert own.location is not None
    assert (own.location.lat, own.location.address) == (40.44, "100 Main St")


async def test_attached_alerts_come_oldest_first_with_their_summary(
    wf: Watchfloor, clock: ManualClock
) -> None:
    incident_id = (await store(wf, report()))[0].incident_id
    ages = {"GS-NEW": 5, "GS-OLD": 50, "GS-MID": 20}
    shots = [
        gunshot(clock, ref, occurred_at=clock.now() - timedelta(seconds=age), priority=1)
        for ref, age in ages.items()
    ]
    ids = {}
    for shot, receipt in zip(shots, await wf.alerts.receive(shots, FEED), strict=True):
        await wf.alerts.attach(receipt.alert_id, incident_id, "test")
        ids[receipt.alert_id] = shot
    own = await _own(wf, incident_id)
    assert [ids[a[0]].source_ref for a in own.alerts] == ["GS-OLD", "GS-MID", "GS-NEW"]
    alert_id, kind, title, status, priority, occurred_at = own.alerts[0]
    assert (kind, title, priority) == ("gunshot", "Multiple gunshots, 4 rounds", 1)
    assert status == (await wf.alerts.get(alert_id)).status
    # a time with its zone, on both stores: the union takes its columns' types from its first part
    assert occurred_at == ids[alert_id].occurred_at
    assert occurred_at.utcoffset() == timedelta(0)


async def test_an_incident_without_a_point_still_has_its_cautions(wf: Watchfloor) -> None:
    placeless = report(location=None, cautions=[_caution(1)])
    incident_id = (await store(wf, placeless))[0].incident_id
    own = await _own(wf, incident_id)
    assert own.found
    assert own.location is None
    assert [c.kind for c in own.cautions] == ["K1"]
    packet = await wf.context.assembler.for_incident(incident_id)
    assert packet.location is None
    assert packet.prior_incidents is None
    assert [c.kind for c in packet.cautions] == ["K1"]


async def test_no_such_incident_is_not_found(wf: Watchfloor) -> None:
    own = await _own(wf, "no-such-incident")
    assert not own.found
    assert (own.cautions, own.alerts) == ([], [])
    with pytest.raises(NotFound):
        await wf.context.assembler.for_incident("no-such-incident")
