"""Imports: progress rows, atomic replacement, failures that keep the old entries, audit, bus,
and the scheduled refresh of due lists only."""

from __future__ import annotations

import asyncio
import hashlib
from datetime import timedelta
from pathlib import Path

import pytest
from httpx import AsyncClient
from sqlalchemy import func, select

from tests.domain.hotlists.support import make_list, ncic_extract, ncic_line, upload
from tests.support.auth import login_as
from watchfloor.app import Watchfloor
from watchfloor.audit.service import AuditFilter
from watchfloor.core.clock import ManualClock
from watchfloor.core.context import Role
from watchfloor.domain.hotlists import imports
from watchfloor.domain.hotlists.models import HotlistEntry


@pytest.fixture
def landing(wf: Watchfloor) -> Path:
    """The directory extracts land in (sources elsewhere are refused)."""
    directory = wf.settings.lpr.hotlist_source_dir
    assert directory is not None
    directory.mkdir(parents=True, exist_ok=True)
    return directory


def _plates(wf: Watchfloor, *plates: str) -> list[str]:
    return [p for p in plates if wf.hotlists.matcher.match(p, "CA")]


async def _rows(wf: Watchfloor) -> dict[str, int]:
    async with wf.db.read_session() as session:
        query = select(HotlistEntry.plate, func.count()).group_by(HotlistEntry.plate)
        return {plate: n for plate, n in await session.execute(query)}


async def test_an_upload_imports_reports_bad_lines_and_is_audited_and_published(
    wf: Watchfloor, client: AsyncClient
) -> None:
    created = await make_list(wf, client)
    text = ncic_extract("ABC123", "XYZ789") + "Z" + ncic_line("BAD001")[1:] + "short\n"
    events = wf.bus.subscribe("hotlist.>")

    done = await upload(client, created["id"], text)

    assert done["status"] == "succeeded"
    assert (done["total_lines"], done["processed"]) == (5, 5)
    assert (done["accepted"], done["rejected"]) == (2, 2)
    assert [p["line"] for p in done["problems"]] == [4, 5]
    assert done["source_sha256"] == hashlib.sha256(text.encode()).hexdigest()
    assert _plates(wf, "ABC123", "XYZ789", "BAD001") == ["ABC123", "XYZ789"]
    [audited] = await wf.audit.query(AuditFilter(action="hotlist.refreshed"))
    assert audited.details["sha256"] == done["source_sha256"]
    assert (audited.details["accepted"], audited.details["rejected"]) == (2, 2)
    event = await events.get(timeout=1)
    assert event.kind == "hotlist.refreshed"
    assert (event.payload.entry_count, event.payload.import_id) == (2, done["id"])
    polled = await client.get(f"/api/hotlists/{created['id']}/imports/{done['id']}")
    assert polled.json() == done


async def test_progress_is_written_while_the_import_runs(
    wf: Watchfloor, client: AsyncClient, landing: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(imports, "CHUNK_LINES", 3)
    extract = landing / "ncic.txt"
    extract.write_text(ncic_extract(*(f"PRG{n:03d}" for n in range(30))))
    created = await make_list(wf, client, source_uri=extract)

    started = await client.post(f"/api/hotlists/{created['id']}/refresh")
    seen: list[tuple[str, int]] = []
    while not seen or seen[-1][0] == "running":
        row = await wf.hotlists.import_status(created["id"], started.json()["id"])
        seen.append((row.status, row.processed))
        await asyncio.sleep(0.005)

    assert started.status_code == 202
    assert started.json()["status"] == "running"
    assert any(status == "running" and 0 < n < 31 for status, n in seen), seen
    assert seen[-1] == ("succeeded", 31)
    await wf.hotlists.wait_imports()
    assert len(wf.hotlists.matcher) == 30


async def test_a_refresh_replaces_imported_entries_and_keeps_manual_ones(
    wf: Watchfloor, client: AsyncClient
) -> None:
    created = await make_list(
        wf, client, name="Local", kind="local", source_format="csv", default_reason="bolo"
    )
    await upload(client, created["id"], "plate,state\nOLD111,CA\nKEEP22,CA\n")
    manual = await client.post(
        f"/api/hotlists/{created['id']}/entries",
        json={
            "plate": "MAN333",
            "state": "CA",
            "reason_code": "bolo",
            "reason": "armed robbery suspect vehicle",
            "expires_at": (wf.clock.now() + timedelta(days=1)).isoformat(),
        },
    )

    second = await upload(client, created["id"], "plate,state\nKEEP22,CA\nNEW444,CA\n")

    assert manual.status_code == 201
    assert second["accepted"] == 2
    assert _plates(wf, "OLD111", "KEEP22", "NEW444", "MAN333") == ["KEEP22", "NEW444", "MAN333"]
    assert await _rows(wf) == {"KEEP22": 1, "NEW444": 1, "MAN333": 1}
    status = (await client.get(f"/api/hotlists/{created['id']}")).json()
    assert status["entry_count"] == 3


async def test_a_failed_import_keeps_the_previous_entries_in_force(
    wf: Watchfloor, client: AsyncClient, landing: Path
) -> None:
    created = await make_list(wf, client)
    await upload(client, created["id"], ncic_extract("ABC123", "XYZ789"))

    garbage = await upload(client, created["id"], "header\nnot an extract line\n")
    status = (await client.get(f"/api/hotlists/{created['id']}")).json()

    assert garbage["status"] == "failed"
    assert "no entries accepted" in garbage["message"]
    assert garbage["rejected"] == 1
    assert _plates(wf, "ABC123", "XYZ789") == ["ABC123", "XYZ789"]
    assert await _rows(wf) == {"ABC123": 1, "XYZ789": 1}  # staged rows are gone
    assert (status["entry_count"], status["last_import"]["status"]) == (2, "failed")
    audited = await wf.audit.query(AuditFilter(action="hotlist.refreshed"))
    assert [r.outcome for r in audited] == ["success", "error"]


async def test_an_unreadable_source_fails_the_import_with_the_reason(
    wf: Watchfloor, client: AsyncClient, landing: Path
) -> None:
    created = await make_list(wf, client, source_uri=landing / "not-landed.txt")

    response = await client.post(f"/api/hotlists/{created['id']}/refresh", params={"wait": True})

    assert response.json()["status"] == "failed"
    assert "cannot read the source" in response.json()["message"]


async def test_a_refresh_of_an_unchanged_source_is_refused(
    wf: Watchfloor, client: AsyncClient, landing: Path
) -> None:
    extract = landing / "ncic.txt"
    extract.write_text(ncic_extract("ABC123"))
    created = await make_list(wf, client, source_uri=extract)
    url = f"/api/hotlists/{created['id']}/refresh"

    first = await client.post(url, params={"wait": True})
    again = await client.post(url, params={"wait": True})
    extract.write_text(ncic_extract("NEW123"))
    changed = await client.post(url, params={"wait": True})

    assert first.json()["status"] == "succeeded"
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "source_unchanged"
    assert changed.json()["status"] == "succeeded"
    assert _plates(wf, "ABC123", "NEW123") == ["NEW123"]


async def test_refresh_due_refreshes_only_lists_whose_interval_has_passed(
    wf: Watchfloor, client: AsyncClient, clock: ManualClock, landing: Path
) -> None:
    sources = {name: landing / f"{name}.txt" for name in ("due", "recent", "unscheduled")}
    for name, path in sources.items():
        path.write_text(ncic_extract(f"{name[:3].upper()}001"))
    due = await make_list(
        wf, client, name="due", source_uri=sources["due"], refresh_every_minutes=720
    )
    recent = await make_list(
        wf, client, name="recent", source_uri=sources["recent"], refresh_every_minutes=720
    )
    await make_list(wf, client, name="unscheduled", source_uri=sources["unscheduled"])
    await login_as(wf, client, Role.SUPERVISOR)
    await client.post(f"/api/hotlists/{due['id']}/refresh", params={"wait": True})
    clock.advance(timedelta(minutes=600))
    await login_as(wf, client, Role.SUPERVISOR)  # the session idled out meanwhile
    refreshed = await client.post(f"/api/hotlists/{recent['id']}/refresh", params={"wait": True})
    assert refreshed.json()["status"] == "succeeded"
    sources["due"].write_text(ncic_extract("DUE002"))
    sources["recent"].write_text(ncic_extract("REC002"))
    clock.advance(timedelta(minutes=121))

    await wf.hotlists.refresh_due()

    assert _plates(wf, "DUE001", "DUE002", "REC001", "REC002", "UNS001") == ["DUE002", "REC001"]
    scheduled = await wf.audit.query(AuditFilter(action="hotlist.refreshed"))
    assert [r.actor_username for r in scheduled][-1] == "system:hotlist-refresh"
    clock.advance(timedelta(minutes=721))
    await wf.hotlists.refresh_due()  # due again, but nothing new landed for "due"
    imports_of_due = await wf.hotlists.imports(due["id"])
    assert len(imports_of_due) == 2
    assert _plates(wf, "REC002") == ["REC002"]


async def test_load_builds_the_matcher_from_the_store(wf: Watchfloor, client: AsyncClient) -> None:
    created = await make_list(wf, client)
    await upload(client, created["id"], ncic_extract("ABC123", "XYZ789"))
    wf.hotlists.matcher.drop_list(created["id"])
    assert len(wf.hotlists.matcher) == 0

    await wf.hotlists.load()

    assert _plates(wf, "ABC123", "XYZ789") == ["ABC123", "XYZ789"]


async def test_a_source_outside_the_landing_directory_is_refused(
    wf: Watchfloor, client: AsyncClient, landing: Path
) -> None:
    outside = landing.parent.parent / "elsewhere.txt"
    outside.write_text("secret\n")
    await login_as(wf, client, Role.SUPERVISOR)
    response = await client.post(
        "/api/hotlists",
        json={
            "name": "Sneaky",
            "kind": "state",
            "source_format": "csv",
            "source_uri": str(outside),
            "max_age_minutes": 720,
        },
    )
    assert response.status_code == 422
    assert response.json()["error"]["problems"][0]["pointer"] == "/source_uri"
