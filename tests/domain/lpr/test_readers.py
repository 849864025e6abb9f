"""The reader registry: supervisors register readers (audited); feeds cannot."""

from __future__ import annotations

from httpx import AsyncClient
from sqlalchemy import text

from tests.support.auth import login_as
from watchfloor.app import Watchfloor
from watchfloor.core.context import Role

AUDITED = "SELECT action FROM audit_record WHERE object_type = 'lpr_reader' ORDER BY seq"
BODY = {"code": "ALPR-9", "name": "Mannerheimintie N", "kind": "fixed", "lat": 60.17, "lon": 24.94}


async def test_a_supervisor_registers_and_moves_a_reader(
    wf: Watchfloor, client: AsyncClient
) -> None:
    await login_as(wf, client, Role.SUPERVISOR)
    created = await client.post("/api/lpr/readers", json=BODY)
    assert created.status_code == 201, created.text
    again = await client.post("/api/lpr/readers", json=BODY)
    assert again.status_code == 409
    moved = await client.put("/api/lpr/readers/ALPR-9", json={**BODY, "heading": 180})
    assert moved.json()["heading"] == 180
    assert [r["code"] for r in (await client.get("/api/lpr/readers")).json()] == ["ALPR-9"]
    async with wf.db.read_session() as session:
        actions = (await session.execute(text(AUDITED))).scalars().all()
    assert actions == ["lpr.reader.registered", "lpr.reader.updated"]


async def test_operators_cannot_register_readers(wf: Watchfloor, client: AsyncClient) -> None:
    await login_as(wf, client, Role.OPERATOR)
    assert (await client.post("/api/lpr/readers", json=BODY)).status_code == 403
    assert (await client.get("/api/lpr/readers")).status_code == 200


async def test_an_unknown_field_is_a_422_naming_it(wf: Watchfloor, client: AsyncClient) -> None:
    await login_as(wf, client, Role.SUPERVISOR)
    response = await client.post("/api/lpr/readers", json={**BODY, "lat": 91})
    assert response.status_code == 422
    assert "lat" in response.text
