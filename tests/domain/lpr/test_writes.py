"""Group commit: concurrent batches share transactions on SQLite, and one failing batch does not
take the others down with it."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import timedelta

import orjson
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from tests.domain.lpr.support import read, reader
from watchfloor.app import Watchfloor
from watchfloor.domain.lpr.store import PLATE, ReadRow, ReadStore


def _batch(wf: Watchfloor, prefix: str, size: int = 200) -> bytes:
    now = wf.clock.now()
    reads = [read(f"{prefix}{i:04d}", now - timedelta(seconds=i)) for i in range(size)]
    return orjson.dumps(reads)


async def _count(wf: Watchfloor) -> int:
    async with wf.db.read_session() as session:
        return int((await session.execute(text("SELECT count(*) FROM lpr_read"))).scalar_one())


async def test_concurrent_batches_are_all_stored_in_fewer_transactions(wf: Watchfloor) -> None:
    await reader(wf)
    writer = wf.lpr_intake._writer
    before = writer.transactions
    results = await asyncio.gather(
        *(wf.lpr_intake.accept_http(_batch(wf, f"G{n}"), None) for n in range(8))
    )
    assert [r.accepted for r in results] == [200] * 8
    assert await _count(wf) == 1600
    if not wf.db.is_postgresql:
        assert writer.transactions - before < 8


async def test_a_failing_batch_fails_alone(wf: Watchfloor, monkeypatch: pytest.MonkeyPatch) -> None:
    await reader(wf)
    original = ReadStore.write

    async def write(self: ReadStore, session: AsyncSession, rows: Sequence[ReadRow]) -> None:
        if any(row[PLATE].startswith("BAD") for row in rows):
            raise RuntimeError("disk full")
        await original(self, session, rows)

    monkeypatch.setattr(ReadStore, "write", write)
    outcomes = await asyncio.gather(
        *(wf.lpr_intake.accept_http(_batch(wf, p), None) for p in ("OKA", "BAD", "OKB")),
        return_exceptions=True,
    )
    assert [type(o).__name__ for o in outcomes] == ["IntakeResult", "RuntimeError", "IntakeResult"]
    assert await _count(wf) == 400
