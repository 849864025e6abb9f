"""AVL intake's batches: at most batch_size per roster delivery, stored on stop, times checked."""

from __future__ import annotations

from tests.connectors.nmea.sentences import gga, rmc
from watchfloor.app import Watchfloor
from watchfloor.audit.service import AuditFilter
from watchfloor.connectors.nmea.parser import NmeaFix, NmeaReader
from watchfloor.core.context import Actor, RequestContext
from watchfloor.domain.units.avl import AvlIntake
from watchfloor.domain.units.avl_sources import AvlSources
from watchfloor.settings_field import AvlSettings


def _intake(wf: Watchfloor, **settings: float) -> AvlIntake:
    return AvlIntake(
        wf.units,
        AvlSources(wf.db, wf.clock, wf.audit),
        wf.health,
        wf.clock,
        AvlSettings(**settings),
        RequestContext(actor=Actor.system("avl")),
    )


def _fixes(wf: Watchfloor, stream: bytes) -> list[NmeaFix]:
    reader = NmeaReader(wf.clock)
    return reader.feed(stream)


async def test_fixes_accepted_before_stop_are_stored_by_stop(wf: Watchfloor) -> None:
    intake = _intake(wf)  # not started: only stop() can store them
    await intake.accept("192.0.2.7", _fixes(wf, b"4D40," + rmc() + b"\r\n"))
    assert await wf.units.list() == []
    await intake.stop()
    assert [u.code for u in await wf.units.list()] == ["4D40"]


async def test_a_big_delivery_goes_to_the_roster_in_batches_of_at_most_500(
    wf: Watchfloor,
) -> None:
    intake = _intake(wf)
    stream = b"".join(f"U{i:04d},".encode() + rmc() + b"\r\n" for i in range(1200))
    await intake.accept("192.0.2.7", _fixes(wf, stream))
    await intake.flush()
    records = await wf.audit.query(AuditFilter(action="units.positions.received"))
    assert [r.details["positions"] for r in records] == [500, 500, 200]
    assert len(await wf.units.list()) == 1200


async def test_rmc_and_gga_of_the_same_second_are_one_position(wf: Watchfloor) -> None:
    intake = _intake(wf)
    await intake.accept("192.0.2.7", _fixes(wf, b"5E50," + gga() + b"\r\n5E50," + rmc() + b"\r\n"))
    await intake.flush()
    [record] = await wf.audit.query(AuditFilter(action="units.positions.received"))
    assert record.details["positions"] == 1
    [unit] = await wf.units.list()
    assert unit.speed_mps is not None  # the RMC's, though the GGA came first


async def test_old_fixes_are_refused_and_future_ones_taken_as_now(wf: Watchfloor) -> None:
    intake = _intake(wf, max_age_s=3600.0, future_tolerance_s=30.0)
    old = b"OLD1," + rmc(ddmmyy="191126") + b"\r\n"  # two days ago
    ahead = b"AHEAD1," + rmc(hhmmss="150000.00") + b"\r\n"  # an hour ahead of the clock
    await intake.accept("192.0.2.7", _fixes(wf, old + ahead))
    await intake.flush()
    assert intake.stats.too_old == 1
    [unit] = await wf.units.list()
    assert (unit.code, unit.position_at) == ("AHEAD1", wf.clock.now())


async def test_no_listener_runs_unless_a_port_is_configured(wf: Watchfloor) -> None:
    await wf.start()
    assert wf.fieldlink.avl.listener is None
