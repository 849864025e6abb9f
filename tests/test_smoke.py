"""The app builds on the store under test and answers /healthz."""

from __future__ import annotations

from httpx import AsyncClient


async def test_healthz_reports_database_ok(client: AsyncClient) -> None:
    response = await client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["components"]["database"]["state"] == "ok"
    assert response.headers["x-content-type-options"] == "nosniff"
