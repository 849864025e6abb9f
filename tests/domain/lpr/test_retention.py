"""Retention: nothing past its limit survives a purge, what a legal hold or a case covers does,
and every purge leaves a receipt that proves what it deleted."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest

from tests.domain.lpr.reads import Read, add_reader, add_reads, dictionary, stored_ids
from watchfloor.app import Watchfloor
from watchfloor.audit.service import AuditFilter
from watchfloor.core.clock import ManualClock
from watchfloor.core.context import Actor, RequestContext, Role
from watchfloor.domain.lpr.models import PlateAlert, new_id
from watchfloor.domain.lpr.retention import RetentionService
from watchfloor.domain.lpr.retention_policy import PRESETS, resolve_policy
from watchfloor.domain.lpr.search import ReadQuery
from watchfloor.domain.lpr.search_schemas import HoldIn
from watchfloor.settings import LprSettings

SUPERVISOR = RequestContext(actor=Actor(username="sgt-lee", role=Role.SUPERVISOR))
LIMIT = timedelta(days=60)  # the default preset, Minnesota


def digest_of(ids: list[int]) -> str:
    """What a receipt's digest must be: SHA-256 over the ids ascending, one per line."""
    return hashlib.sha256("".join(f"{i}\n" for i in sorted(ids)).encode()).hexdigest()


async def add_alert(wf: Watchfloor, plate: str, case_number: str | None, **images: str) -> None:
    """An alert on plate, linked to a case when case_number is given."""
    reader_id = await add_reader(wf, "ALPR-1")
    now = wf.clock.now()
    async with wf.db.session() as session:
        session.add(
            PlateAlert(
                id=new_id(), raised_at=now, last_seen_at=now, repeat_count=1,
                reader_id=reader_id, reader_code="ALPR-1", hotlist_id=1, hotlist_name="NCIC",
                entry_id=1, entry={}, read={}, read_captured_at=now, plate_read=plate,
                plate_entry=plate, reason_code="stolen_vehicle", severity="high",
                match_kind="exact", substitutions=0, state_match="match",
                corroboration_detail={}, score=1.0, explanation="test", stale=False,
                status="closed", case_number=case_number, **images,
            )
        )  # fmt: skip


async def test_nothing_past_its_limit_survives_and_holds_and_cases_do(wf: Watchfloor) -> None:
    clock = wf.clock
    assert isinstance(clock, ManualClock)
    now = clock.now()
    old, young = now - LIMIT - timedelta(days=1), now - LIMIT + timedelta(days=1)
    held_from, held_to = now - timedelta(days=70), now - timedelta(days=65)
    reads = {
        "old": Read("OLD1", old),
        "young": Read("YOUNG1", young),
        "old_hit": Read("HIT1", old, hit=True),
        "young_hit": Read("HIT2", young, hit=True),
        "old_hit_alert_no_case": Read("HIT3", old, hit=True),
        "old_hit_with_case": Read("CASE1", old, hit=True),
        "old_nonhit_case_plate": Read("CASE1", old - timedelta(hours=1)),
        "held_by_plate": Read("HOLD1", now - timedelta(days=200)),
        "held_by_plate_hit": Read("HOLD1", now - timedelta(days=100), hit=True),
        "in_held_range": Read("RANGE1", held_from + timedelta(days=1)),
        "before_held_range": Read("RANGE1", held_from - timedelta(days=1)),
        "held_by_reader": Read("RDR1", old, reader="ALPR-H"),
        "same_plate_other_reader": Read("RDR1", old),
        "released": Read("FREED1", old),
    }
    ids = dict(zip(reads, await add_reads(wf, list(reads.values())), strict=True))
    await add_alert(wf, "HIT3", None)
    await add_alert(wf, "CASE1", "26-000123")
    holds = wf.retention.holds
    await holds.place(HoldIn(case_number="26-1", reason="homicide", plate="hold 1"), SUPERVISOR)
    await holds.place(
        HoldIn(case_number="26-2", reason="series", since=held_from, until=held_to), SUPERVISOR
    )
    await holds.place(HoldIn(case_number="26-3", reason="scene", reader_code="ALPR-H"), SUPERVISOR)
    freed = await holds.place(
        HoldIn(case_number="26-4", reason="was needed", plate="FREED1"), SUPERVISOR
    )
    await holds.release(freed.id, "case closed", SUPERVISOR)

    report = await wf.retention.purge()

    deleted = {"old", "old_hit", "old_hit_alert_no_case", "old_nonhit_case_plate",
               "before_held_range", "same_plate_other_reader", "released"}  # fmt: skip
    assert await stored_ids(wf) == {ids[k] for k in reads if k not in deleted}
    non_hit, hit = report.receipts
    assert (non_hit.retention_class, non_hit.count) == ("non_hit", 5)
    assert (hit.retention_class, hit.count) == ("hit", 2)
    assert non_hit.digest == digest_of([ids[k] for k in deleted if not reads[k].hit])
    assert hit.digest == digest_of([ids["old_hit"], ids["old_hit_alert_no_case"]])
    assert (non_hit.kept_by_hold, hit.kept_by_hold, hit.kept_with_case) == (3, 1, 1)
    assert non_hit.oldest == reads["before_held_range"].captured_at
    assert non_hit.newest == old

    # Once the cases end, the same purge takes what the holds and the link kept.
    for hold in await holds.find(SUPERVISOR, active_only=True):
        await holds.release(hold.id, "case closed", SUPERVISOR)
    again = await wf.retention.purge()
    assert await stored_ids(wf) == {ids["young"], ids["young_hit"], ids["old_hit_with_case"]}
    assert [r.count for r in again.receipts] == [3, 1]


async def test_each_purge_leaves_a_receipt_per_class_even_when_nothing_expired(
    wf: Watchfloor,
) -> None:
    await add_reads(wf, [Read("NEW1", wf.clock.now() - timedelta(days=1))])

    await wf.retention.purge()

    records = await wf.audit.query(AuditFilter(action="lpr.retention.purged"))
    assert [r.details["class"] for r in records] == ["non_hit", "hit"]
    for record in records:
        details = record.details
        assert (details["count"], details["oldest"], details["newest"]) == (0, None, None)
        assert details["digest"] == hashlib.sha256(b"").hexdigest()
        assert details["rule"]["preset"] == "MN"
        assert details["rule"]["limit"] == "P60D"
        assert details["rule"]["statute"] == "Minn. Stat. §13.824"
        assert record.actor_username == "system:lpr-retention"


async def test_a_large_purge_goes_in_chunks_and_its_digest_covers_every_chunk(
    wf: Watchfloor,
) -> None:
    now = wf.clock.now()
    expired = [
        Read(f"CH{i}", now - LIMIT - timedelta(minutes=i % 4, seconds=i + 1)) for i in range(11)
    ]
    ids = await add_reads(wf, [*expired, Read("CH0", now - timedelta(days=1))])
    await wf.retention.holds.place(
        HoldIn(case_number="26-9", reason="needed", plate="CH5"), SUPERVISOR
    )
    wf.retention.chunk_size = 3

    report = await wf.retention.purge()

    survivors = {ids[5], ids[11]}
    assert await stored_ids(wf) == survivors
    assert report.receipts[0].count == 10
    assert report.receipts[0].digest == digest_of([i for i in ids if i not in survivors])
    assert await dictionary(wf) == {"CH0", "CH5"}
    assert report.receipts[0].plates_removed == 9


async def test_images_go_when_no_read_or_alert_refers_to_them(wf: Watchfloor) -> None:
    now = wf.clock.now()
    own, shared, alerted = (wf.images.put(f"image {n}".encode()) for n in range(3))
    await add_reads(
        wf,
        [
            Read("IMG1", now - LIMIT - timedelta(days=1), plate_image=own, vehicle_image=shared),
            Read("IMG2", now - LIMIT - timedelta(days=1), vehicle_image=alerted),
            Read("IMG3", now - timedelta(days=1), vehicle_image=shared),
        ],
    )
    await add_alert(wf, "IMG2", None, vehicle_image=alerted)

    report = await wf.retention.purge()

    assert not wf.images.exists(own)
    assert wf.images.exists(shared)
    assert wf.images.exists(alerted)
    assert report.receipts[0].images_deleted == 1


async def test_the_plate_dictionary_forgets_plates_nobody_reads_any_more(wf: Watchfloor) -> None:
    now = wf.clock.now()
    await add_reads(
        wf,
        [
            Read("GONE12", now - LIMIT - timedelta(days=1)),
            Read("STAY12", now - LIMIT - timedelta(days=1)),
            Read("STAY12", now - timedelta(days=1)),
        ],
    )

    await wf.retention.purge()

    assert await dictionary(wf) == {"STAY12"}
    query = ReadQuery(since=now - timedelta(days=366), until=now, plate="*Y12*")
    result = await wf.read_search.search(query, "criminal_investigation", "26-1", SUPERVISOR)
    assert [hit.plate for hit in result.reads] == ["STAY12"]


async def test_new_hampshire_purges_non_hits_after_three_minutes(wf: Watchfloor) -> None:
    settings = LprSettings(retention_preset="NH", purge_every_s=60)
    service = RetentionService(wf.db, wf.clock, wf.audit, settings, wf.images)
    now = wf.clock.now()
    ids = await add_reads(
        wf,
        [
            Read("NH1", now - timedelta(minutes=4)),
            Read("NH2", now - timedelta(minutes=2)),
            Read("NH3", now - timedelta(minutes=4), hit=True),
        ],
    )
    await add_alert(wf, "NH3", "26-77")

    report = await service.purge()

    assert await stored_ids(wf) == {ids[1], ids[2]}
    assert report.receipts[0].count == 1


def test_presets_carry_limit_statute_and_verification_tag() -> None:
    expected_days = {"ME": 21, "VA": 21, "CA": 60, "MN": 60, "TN": 90, "MT": 90, "AR": 150,
                     "NE": 180, "UT": 274, "CO": 365, "VT": 548, "GA": 913}  # fmt: skip
    assert set(PRESETS) == {*expected_days, "NH"}
    assert PRESETS["NH"].nonhit == timedelta(minutes=3)
    for code, days in expected_days.items():
        policy = PRESETS[code]
        assert policy.nonhit == policy.hit == timedelta(days=days)
        assert policy.statute
        assert policy.verification.startswith("[")


def test_settings_pick_a_preset_override_it_or_define_a_custom_policy() -> None:
    overridden = resolve_policy(LprSettings(retention_preset="ca", hit_days=365))
    custom = resolve_policy(LprSettings(retention_preset="custom", nonhit_days=7, hit_days=30))

    assert (overridden.preset, overridden.nonhit, overridden.hit) == (
        "CA",
        timedelta(days=60),
        timedelta(days=365),
    )
    assert overridden.overridden is True
    assert (custom.nonhit, custom.hit) == (timedelta(days=7), timedelta(days=30))
    with pytest.raises(ValueError, match="needs both nonhit_days and hit_days"):
        resolve_policy(LprSettings(retention_preset="custom", nonhit_days=7))
    with pytest.raises(ValueError, match="unknown retention_preset"):
        resolve_policy(LprSettings(retention_preset="XX"))
    with pytest.raises(ValueError, match="purge_every_s"):
        resolve_policy(LprSettings(retention_preset="NH", purge_every_s=3600))
