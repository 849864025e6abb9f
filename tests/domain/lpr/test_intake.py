"""The read intake over HTTP: durable before the answer, every refused read named and held."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import orjson
from httpx import AsyncClient
from sqlalchemy import text

from tests.domain.lpr.support import JPEG, inline_image, read, reader
from tests.support.auth import feed_token, login_as
from watchfloor.app import Watchfloor
from watchfloor.core.context import Role


async def _feed(wf: Watchfloor, client: AsyncClient) -> dict[str, str]:
    return {"Authorization": f"Bearer {await feed_token(wf, client)}"}


async def _stored(wf: Watchfloor) -> list[tuple[str, int, float | None, bool]]:
    async with wf.db.read_session() as session:
        rows = await session.execute(
            text("SELECT plate, reader_id, lat, hit FROM lpr_read ORDER BY id")
        )
        return [(r[0], r[1], r[2], bool(r[3])) for r in rows]


async def _held(wf: Watchfloor) -> list[tuple[str, bytes]]:
    async with wf.db.read_session() as session:
        rows = await session.execute(
            text("SELECT source, body FROM quarantined_payload ORDER BY received_at")
        )
        return [(r[0], bytes(r[1])) for r in rows]


async def test_a_single_read_is_stored_normalised_with_the_fixed_readers_place(
    wf: Watchfloor, client: AsyncClient
) -> None:
    registered = await reader(wf)
    headers = await _feed(wf, client)
    response = await client.post(
        "/api/lpr/reads", json=read("abc-123", wf.clock.now()), headers=headers
    )
    assert response.status_code == 200, response.text
    assert response.json()["accepted"] == 1
    assert await _stored(wf) == [("ABC123", registered.id, registered.lat, False)]
    async with wf.db.read_session() as session:
        plates = (await session.execute(text("SELECT plate FROM lpr_plate"))).scalars().all()
    assert plates == ["ABC123"]


async def test_a_batch_is_stored_whole(wf: Watchfloor, client: AsyncClient) -> None:
    await reader(wf)
    now = wf.clock.now()
    batch = [read(f"XYZ{i:03d}", now - timedelta(seconds=i)) for i in range(49)]
    # the longest region and vehicle words the read format allows fit the store
    vehicle = {"make": "M" * 64, "model": "N" * 64, "colour": "C" * 64, "kind": "K" * 64}
    batch.append(read("LONG1", now, region="R" * 16, direction="D" * 32, vehicle=vehicle))
    response = await client.post("/api/lpr/reads", json=batch, headers=await _feed(wf, client))
    assert response.status_code == 200, response.text
    assert len(await _stored(wf)) == 50


async def test_impossible_reads_are_named_and_only_they_are_quarantined(
    wf: Watchfloor, client: AsyncClient
) -> None:
    await reader(wf)
    await reader(wf, "VAN-7", kind="mobile", lat=None, lon=None)
    now = wf.clock.now()
    batch = [
        read("GOOD1", now),
        read("FUTURE1", now + timedelta(hours=1)),
        read("OLD1", now - timedelta(days=400)),
        read("NOBODY1", now, reader_code="NOPE-9"),
        read("ISLAND1", now, lat=0.0, lon=0.0),
        read("FAR1", now, lat=60.30, lon=24.94),
        read("MOBILE1", now, reader_code="VAN-7"),
        read("GOOD2", now),
    ]
    response = await client.post("/api/lpr/reads", json=batch, headers=await _feed(wf, client))
    assert response.status_code == 207, response.text
    body = response.json()
    assert body["accepted"] == 2
    refused = {r["index"]: r["problems"][0] for r in body["rejected"]}
    assert refused[1] == {"pointer": "/1/captured_at", "reason": "in the future"}
    assert refused[2]["pointer"] == "/2/captured_at"
    assert refused[3] == {"pointer": "/3/reader", "reason": "unknown reader 'NOPE-9'"}
    assert "null island" in refused[4]["reason"]
    assert refused[5]["reason"].endswith("m from fixed reader ALPR-1")
    assert refused[6]["reason"] == "a mobile reader's read needs its location"
    assert [s[0] for s in await _stored(wf)] == ["GOOD1", "GOOD2"]
    [(source, held)] = await _held(wf)
    assert source == "lpr-http"
    assert [item["plate"] for item in orjson.loads(held)] == [
        "FUTURE1",
        "OLD1",
        "NOBODY1",
        "ISLAND1",
        "FAR1",
        "MOBILE1",
    ]


async def test_a_refused_single_read_is_a_422_and_replays_once_fixed(
    wf: Watchfloor, client: AsyncClient
) -> None:
    response = await client.post(
        "/api/lpr/reads",
        json=read("LATE1", wf.clock.now(), reader_code="NEW-1"),
        headers=await _feed(wf, client),
    )
    assert response.status_code == 422
    assert response.json()["error"]["problems"] == [
        {"pointer": "/reader", "reason": "unknown reader 'NEW-1'"}
    ]
    assert await _stored(wf) == []
    await reader(wf, "NEW-1")
    await login_as(wf, client, Role.ADMIN)
    [held] = (await client.get("/api/admin/quarantine")).json()
    replayed = await client.post(f"/api/admin/quarantine/{held['id']}/replay")
    assert replayed.status_code == 200, replayed.text
    assert [s[0] for s in await _stored(wf)] == ["LATE1"]


async def test_images_are_stored_by_their_hash_and_bad_ones_refused(
    wf: Watchfloor, client: AsyncClient
) -> None:
    await reader(wf)
    headers = await _feed(wf, client)
    now = wf.clock.now()
    digest = hashlib.sha256(JPEG).hexdigest()
    batch = [
        read("PIC1", now, plate_image=inline_image()),
        read("PIC2", now, vehicle_image={"sha256": "0" * 64}),
        read("PIC3", now, plate_image=inline_image(b"not an image at all")),
        read("PIC4", now),
    ]
    response = await client.post("/api/lpr/reads", json=batch, headers=headers)
    assert response.status_code == 207, response.text
    refused = {r["index"]: r["problems"][0]["pointer"] for r in response.json()["rejected"]}
    assert refused == {1: "/1/vehicle_image/sha256", 2: "/2/plate_image/data"}
    assert wf.images.verify(digest)
    async with wf.db.read_session() as session:
        row = (
            await session.execute(text("SELECT plate_image FROM lpr_read WHERE plate = 'PIC1'"))
        ).scalar_one()
    assert row == digest
    uploaded = await client.post("/api/lpr/images", content=JPEG, headers=headers)
    assert uploaded.status_code == 201
    assert uploaded.json()["sha256"] == digest
    again = await client.post(
        "/api/lpr/reads", json=read("PIC2", now, vehicle_image={"sha256": digest}), headers=headers
    )
    assert again.status_code == 200, again.text


async def test_only_feeds_post_reads(wf: Watchfloor, client: AsyncClient) -> None:
    await reader(wf)
    await login_as(wf, client, Role.OPERATOR)
    response = await client.post("/api/lpr/reads", json=read("ABC123", wf.clock.now()))
    assert response.status_code == 403
    assert await _stored(wf) == []


async def test_malformed_json_is_a_400_and_held(wf: Watchfloor, client: AsyncClient) -> None:
    response = await client.post(
        "/api/lpr/reads", content=b"{not json", headers=await _feed(wf, client)
    )
    assert response.status_code == 400
    assert await _held(wf) == [("lpr-http", b"{not json")]
