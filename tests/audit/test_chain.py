"""The audit chain: records are hash-linked, append-only, and tampering is found and named."""

from __future__ import annotations

import asyncio
import itertools
from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.exc import DBAPIError

from tests.audit.tamper import plain_sql, tamper
from watchfloor.app import Watchfloor
from watchfloor.audit.chain import GENESIS_HASH, record_hash
from watchfloor.audit.models import AuditRecord
from watchfloor.audit.service import AuditEntry, Outcome
from watchfloor.audit.verify import Tampering
from watchfloor.core.clock import ManualClock
from watchfloor.core.context import Actor, Origin, RequestContext, Role

CONTEXT = RequestContext(
    actor=Actor(user_id="u-1", username="jdoe", role=Role.OPERATOR, designator="RT3"),
    origin=Origin(address="198.51.100.4", user_agent="console/1"),
    request_id="req-1",
)


async def _five_records(wf: Watchfloor, clock: ManualClock) -> None:
    for n in range(1, 6):
        clock.advance(timedelta(seconds=1, microseconds=1234))
        entry = AuditEntry("incident.read", Outcome.SUCCESS, "incident", f"I-{n}", details={"n": n})
        await wf.audit.record_alone(CONTEXT, entry)


async def _records(wf: Watchfloor) -> list[AuditRecord]:
    async with wf.db.read_session() as session:
        return list(await session.scalars(select(AuditRecord).order_by(AuditRecord.seq)))


async def test_records_carry_who_what_when_where_and_link_by_hash(
    wf: Watchfloor, clock: ManualClock
) -> None:
    await _five_records(wf, clock)
    records = await _records(wf)
    assert [r.seq for r in records] == [1, 2, 3, 4, 5]
    first = records[0]
    assert first.prev_hash == GENESIS_HASH
    who = (first.actor_username, first.actor_role, first.actor_designator)
    assert who == ("jdoe", "operator", "RT3")
    where = (first.address, first.user_agent, first.request_id)
    assert where == ("198.51.100.4", "console/1", "req-1")
    assert first.occurred_at.microsecond == 1234
    assert first.outcome == Outcome.SUCCESS
    for before, after in itertools.pairwise(records):
        assert after.prev_hash == before.hash
    fields = {c: getattr(first, c) for c in AuditRecord.__table__.columns.keys()}  # noqa: SIM118
    assert record_hash(fields, first.prev_hash) == first.hash


async def test_intact_chain_verifies(wf: Watchfloor, clock: ManualClock) -> None:
    await _five_records(wf, clock)
    result = await wf.audit.verify(batch_size=2)
    assert result.intact
    assert (result.records, result.head_seq) == (5, 5)


async def test_record_joins_the_callers_transaction(wf: Watchfloor) -> None:
    async def failing_change() -> None:
        async with wf.db.session() as session:
            await wf.audit.record(session, CONTEXT, AuditEntry("incident.note.added"))
            raise RuntimeError("the change failed")

    with pytest.raises(RuntimeError):
        await failing_change()
    assert await _records(wf) == []
    assert (await wf.audit.verify()).intact


async def test_concurrent_appends_keep_one_chain(wf: Watchfloor) -> None:
    entries = [AuditEntry("incident.read", object_id=str(n)) for n in range(20)]
    await asyncio.gather(*(wf.audit.record_alone(CONTEXT, e) for e in entries))
    result = await wf.audit.verify()
    assert result.intact
    assert result.records == 20


async def test_records_appended_together_chain_in_order_with_single_ones(wf: Watchfloor) -> None:
    await wf.audit.record_alone(CONTEXT, AuditEntry("incident.read", object_id="before"))
    batch = [AuditEntry("camera.ptz.cued", object_id=f"CAM-{n}") for n in range(4)]
    async with wf.db.session() as session:
        digests = await wf.audit.record_many(session, CONTEXT, batch)
    await wf.audit.record_alone(CONTEXT, AuditEntry("incident.read", object_id="after"))
    records = await _records(wf)
    assert [r.object_id for r in records] == ["before", "CAM-0", "CAM-1", "CAM-2", "CAM-3", "after"]
    assert [r.seq for r in records] == [1, 2, 3, 4, 5, 6]
    assert digests == [r.hash for r in records[1:5]]
    result = await wf.audit.verify(batch_size=2)
    assert result.intact
    assert result.records == 6


REFUSED = ["UPDATE audit_record SET reason = 'x'", "DELETE FROM audit_record"]


@pytest.mark.parametrize("statement", REFUSED)
async def test_store_refuses_update_and_delete(
    wf: Watchfloor, clock: ManualClock, database_url: str, statement: str
) -> None:
    await _five_records(wf, clock)
    with pytest.raises(DBAPIError, match="append-only"):
        plain_sql(database_url, statement)
    assert len(await _records(wf)) == 5


async def test_edited_field_is_found(wf: Watchfloor, clock: ManualClock, database_url: str) -> None:
    await _five_records(wf, clock)
    tamper(database_url, "UPDATE audit_record SET object_id = 'I-99' WHERE seq = 3")
    result = await wf.audit.verify(batch_size=2)
    assert not result.intact
    assert (result.tampering, result.seq) == (Tampering.EDITED, 3)


async def test_deleted_record_is_found(
    wf: Watchfloor, clock: ManualClock, database_url: str
) -> None:
    await _five_records(wf, clock)
    tamper(database_url, "DELETE FROM audit_record WHERE seq = 2")
    result = await wf.audit.verify(batch_size=2)
    assert (result.intact, result.tampering, result.seq) == (False, Tampering.DELETED, 2)


async def test_deleted_tail_is_found(wf: Watchfloor, clock: ManualClock, database_url: str) -> None:
    await _five_records(wf, clock)
    tamper(database_url, "DELETE FROM audit_record WHERE seq = 5")
    result = await wf.audit.verify()
    assert (result.intact, result.tampering, result.seq) == (False, Tampering.DELETED, 5)


async def test_forged_record_is_found(
    wf: Watchfloor, clock: ManualClock, database_url: str
) -> None:
    await _five_records(wf, clock)
    last = (await _records(wf))[-1]
    forged = {c: getattr(last, c) for c in AuditRecord.__table__.columns.keys()}  # noqa: SIM118
    forged.update(seq=6, id="forged-1", action="auth.logon", prev_hash=last.hash)
    forged["hash"] = record_hash(forged, last.hash)
    tamper(database_url, insert=forged)
    result = await wf.audit.verify()
    assert (result.intact, result.tampering, result.seq) == (False, Tampering.INSERTED, 6)


async def test_swapped_records_are_found(
    wf: Watchfloor, clock: ManualClock, database_url: str
) -> None:
    await _five_records(wf, clock)
    tamper(
        database_url,
        "UPDATE audit_record SET seq = -2 WHERE seq = 2",
        "UPDATE audit_record SET seq = 2 WHERE seq = 3",
        "UPDATE audit_record SET seq = 3 WHERE seq = -2",
    )
    result = await wf.audit.verify(batch_size=2)
    assert (result.intact, result.tampering, result.seq) == (False, Tampering.REORDERED, 2)
